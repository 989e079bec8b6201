using BankClientele.CustomerCare.Assignment;
using BankClientele.CustomerCare.Managers;

namespace BankClientele.CustomerCare.Tests.Assignment;

/// <summary>The assignment rules on the solver alone: capacity, weights, continuity, status, departure, optimality.</summary>
public sealed class AssignmentSolverTests
{
    private static readonly AssignmentCosts Costs = new();

    private static SolverCustomer Customer(int weight = 1, int current = -1, bool senior = false, decimal assets = 1_000_000m) =>
        new(weight, senior, current, assets);

    [Test]
    public void Capacity_in_weighted_units_is_never_exceeded_and_the_rest_stay_unassigned()
    {
        var managers = new[] { new SolverManager("A", 10, ManagerStatus.Active, false), new SolverManager("B", 6, ManagerStatus.Active, false) };
        // 12 customers weighing 2 (24 units) for 16 units of capacity: 8 fit.
        var customers = Enumerable.Range(0, 12).Select(_ => Customer(weight: 2)).ToList();
        var solution = AssignmentSolver.Solve(managers, customers, Costs);
        Assert.Multiple(() =>
        {
            Assert.That(solution.Loads[0], Is.LessThanOrEqualTo(10));
            Assert.That(solution.Loads[1], Is.LessThanOrEqualTo(6));
            Assert.That(solution.Unassigned, Is.EqualTo(4));
            Assert.That(solution.Loads.Sum(), Is.EqualTo(16));
            Assert.That(Recount(customers, solution.ManagerOf, 2), Is.EqualTo(solution.Loads), "loads are the weights of the customers placed");
        });
    }

    [Test]
    public void Heavier_tiers_weigh_more_and_mixed_weights_still_respect_capacity()
    {
        var managers = new[] { new SolverManager("A", 7, ManagerStatus.Active, false), new SolverManager("B", 7, ManagerStatus.Active, false) };
        var customers = new[] { Customer(5), Customer(5), Customer(3), Customer(1) };
        var solution = AssignmentSolver.Solve(managers, customers, Costs);
        var loads = Recount(customers, solution.ManagerOf, 2);
        Assert.Multiple(() =>
        {
            Assert.That(loads, Is.All.LessThanOrEqualTo(7));
            Assert.That(solution.ManagerOf[0], Is.Not.EqualTo(solution.ManagerOf[1]), "two customers of 5 units cannot share 7");
            Assert.That(solution.Unassigned, Is.EqualTo(1), "14 units of room for 14 units of demand, but 5+5+3+1 cannot be packed into 7+7");
        });
    }

    [Test]
    public void Existing_assignments_are_kept_when_the_imbalance_does_not_pay_for_a_move()
    {
        // A carries 6 of 10, B 4 of 10: moving one customer saves less than the continuity cost.
        var managers = new[] { new SolverManager("A", 10, ManagerStatus.Active, false), new SolverManager("B", 10, ManagerStatus.Active, false) };
        var customers = Enumerable.Range(0, 6).Select(_ => Customer(current: 0)).Concat(Enumerable.Range(0, 4).Select(_ => Customer(current: 1))).ToList();
        var solution = AssignmentSolver.Solve(managers, customers, Costs);
        Assert.That(solution.ManagerOf, Is.EqualTo(customers.Select(c => c.CurrentManager).ToArray()));
    }

    [Test]
    public void A_heavy_imbalance_is_evened_out_moving_only_what_pays()
    {
        var managers = new[] { new SolverManager("A", 10, ManagerStatus.Active, false), new SolverManager("B", 10, ManagerStatus.Active, false) };
        var customers = Enumerable.Range(0, 10).Select(i => Customer(current: 0, assets: i)).ToList();
        var solution = AssignmentSolver.Solve(managers, customers, Costs);
        var moved = solution.ManagerOf.Count(j => j == 1);
        Assert.Multiple(() =>
        {
            Assert.That(moved, Is.InRange(2, 5), "some move, not more than half");
            // Customer i has assets i: the smallest move, the biggest stay with their manager.
            Assert.That(solution.ManagerOf.Skip(moved), Is.All.EqualTo(0), "the biggest customers stay with their manager");
            Assert.That(solution.ManagerOf.Take(moved), Is.All.EqualTo(1));
        });
    }

    [Test]
    public void Managers_on_leave_keep_their_book_but_get_no_new_customer_and_inactive_ones_keep_nothing()
    {
        var managers = new[]
        {
            new SolverManager("ONLEAVE", 10, ManagerStatus.OnLeave, false),
            new SolverManager("GONE", 10, ManagerStatus.Inactive, false),
            new SolverManager("ACTIVE", 10, ManagerStatus.Active, false),
        };
        var customers = new[] { Customer(current: 0), Customer(current: 1), Customer(current: 1), Customer(), Customer() };
        var solution = AssignmentSolver.Solve(managers, customers, Costs);
        Assert.Multiple(() =>
        {
            Assert.That(solution.ManagerOf[0], Is.EqualTo(0), "on leave keeps their own");
            Assert.That(solution.ManagerOf.Skip(1), Is.All.EqualTo(2), "the leaver's book and the new customers go to the active manager");
        });
    }

    [Test]
    public void A_departed_managers_book_is_spread_over_the_others_by_room()
    {
        var managers = new[]
        {
            new SolverManager("GONE", 50, ManagerStatus.Inactive, false),
            new SolverManager("FULLER", 20, ManagerStatus.Active, false, FixedLoad: 15),
            new SolverManager("EMPTIER", 20, ManagerStatus.Active, false, FixedLoad: 2),
        };
        var customers = Enumerable.Range(0, 12).Select(_ => Customer(current: 0)).ToList();
        var solution = AssignmentSolver.Solve(managers, customers, Costs);
        Assert.Multiple(() =>
        {
            Assert.That(solution.Unassigned, Is.Zero);
            Assert.That(solution.Loads[0], Is.Zero);
            Assert.That(solution.Loads[1], Is.LessThanOrEqualTo(20));
            Assert.That(solution.Loads[2], Is.LessThanOrEqualTo(20));
            Assert.That(solution.Loads[2] - 2, Is.GreaterThan(solution.Loads[1] - 15), "the emptier manager takes more");
            Assert.That(Math.Abs(solution.Loads[1] - solution.Loads[2]), Is.LessThanOrEqualTo(2), "loads end up even (within a block)");
        });
    }

    [Test]
    public void High_tiers_go_to_senior_managers_when_they_have_room()
    {
        var managers = new[] { new SolverManager("JUNIOR", 10, ManagerStatus.Active, false), new SolverManager("SENIOR", 10, ManagerStatus.Active, true) };
        var customers = new[] { Customer(weight: 3, senior: true), Customer(weight: 1), Customer(weight: 1), Customer(weight: 1) };
        var solution = AssignmentSolver.Solve(managers, customers, Costs);
        Assert.That(solution.ManagerOf[0], Is.EqualTo(1));
    }

    [TestCase(1)]
    [TestCase(2)]
    [TestCase(3)]
    [TestCase(4)]
    [TestCase(5)]
    public void With_unit_weights_the_flow_is_optimal_against_brute_force(int seed)
    {
        var (managers, customers) = RandomNetwork(seed, unitWeights: true);
        var solution = AssignmentSolver.Solve(managers, customers, Costs);
        var best = BruteForce(managers, customers);
        Assert.Multiple(() =>
        {
            Assert.That(solution.Cost, Is.EqualTo(best), "unit flows are integral: the flow optimum is the optimum");
            Assert.That(solution.LowerBound, Is.EqualTo(best));
            Assert.That(solution.CostGap, Is.Zero);
        });
    }

    [TestCase(11)]
    [TestCase(12)]
    [TestCase(13)]
    [TestCase(14)]
    [TestCase(15)]
    [TestCase(16)]
    public void With_tier_weights_the_bound_is_below_the_true_optimum_and_the_result_is_feasible_and_near_it(int seed)
    {
        var (managers, customers) = RandomNetwork(seed, unitWeights: false);
        var solution = AssignmentSolver.Solve(managers, customers, Costs);
        var best = BruteForce(managers, customers);
        var loads = Recount(customers, solution.ManagerOf, managers.Length);
        Assert.Multiple(() =>
        {
            Assert.That(solution.LowerBound, Is.LessThanOrEqualTo(best), "the flow optimum is a lower bound");
            Assert.That(solution.Cost, Is.GreaterThanOrEqualTo(best), "nothing beats the optimum");
            Assert.That(solution.Cost, Is.EqualTo(AssignmentSolver.CostOf(managers, customers, solution.ManagerOf, Costs)));
            Assert.That(solution.CostGap, Is.EqualTo((double)(solution.Cost - solution.LowerBound) / solution.LowerBound).Within(1e-12));
            for (var j = 0; j < managers.Length; j++)
            {
                Assert.That(loads[j] + managers[j].FixedLoad, Is.LessThanOrEqualTo(managers[j].Capacity));
            }
            // Small networks split often; the reported gap bounds the distance to the true optimum.
            Assert.That((double)(solution.Cost - best) / best, Is.LessThanOrEqualTo(solution.CostGap + 1e-12));
        });
    }

    private static (SolverManager[] Managers, SolverCustomer[] Customers) RandomNetwork(int seed, bool unitWeights)
    {
        var random = new Random(seed);
        var managers = Enumerable.Range(0, 3).Select(j => new SolverManager(
            $"M{j}", random.Next(4, 9), j == 2 && random.Next(3) == 0 ? ManagerStatus.OnLeave : ManagerStatus.Active, random.Next(2) == 0,
            random.Next(0, 2))).ToArray();
        var customers = Enumerable.Range(0, 7).Select(_ => new SolverCustomer(
            unitWeights ? 1 : random.Next(1, 4), random.Next(3) == 0, random.Next(-1, 3), random.Next(1, 100))).ToArray();
        return (managers, customers);
    }

    /// <summary>Every assignment of every customer to a manager or to nobody, respecting the rules: the true optimum.</summary>
    private static long BruteForce(SolverManager[] managers, SolverCustomer[] customers)
    {
        var best = long.MaxValue;
        var choice = new int[customers.Length];
        Recurse(0);
        return best;

        void Recurse(int i)
        {
            if (i == customers.Length)
            {
                var loads = Recount(customers, choice, managers.Length);
                if (managers.Select((m, j) => loads[j] + m.FixedLoad <= m.Capacity).All(ok => ok))
                {
                    best = Math.Min(best, AssignmentSolver.CostOf(managers, customers, choice, Costs));
                }
                return;
            }
            for (var j = -1; j < managers.Length; j++)
            {
                if (j >= 0 && !AssignmentSolver.Allowed(managers[j], j, customers[i].CurrentManager))
                {
                    continue;
                }
                choice[i] = j;
                Recurse(i + 1);
            }
        }
    }

    private static int[] Recount(IReadOnlyList<SolverCustomer> customers, IReadOnlyList<int> managerOf, int managers)
    {
        var loads = new int[managers];
        for (var i = 0; i < customers.Count; i++)
        {
            if (managerOf[i] >= 0)
            {
                loads[managerOf[i]] += customers[i].Weight;
            }
        }
        return loads;
    }
}
