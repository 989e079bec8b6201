using BankClientele.CustomerCare.Managers;
using Google.OrTools.Graph;

namespace BankClientele.CustomerCare.Assignment;

/// <summary>A manager as the solver sees them; <paramref name="FixedLoad"/> is load in weighted units the solver may not move.</summary>
public sealed record SolverManager(string StaffId, int Capacity, ManagerStatus Status, bool Senior, int FixedLoad = 0);

/// <summary>A customer the solver places; <paramref name="CurrentManager"/> is an index into the managers, or -1.</summary>
public readonly record struct SolverCustomer(int Weight, bool PrefersSenior, int CurrentManager, decimal Assets);

/// <summary>
/// Arc costs, per weighted unit. A manager's capacity is cut into <see cref="BalanceBlocks"/> blocks of
/// rising cost (block j costs j × <see cref="BalanceStep"/> a unit), so total load cost is convex in
/// utilisation and the optimum evens utilisation out. Moving a customer off their current manager costs
/// <see cref="ContinuityCost"/> a unit, so a move needs a utilisation gap of about ContinuityCost /
/// BalanceStep blocks to pay. <see cref="FitCost"/> is charged when a customer who should have a senior
/// manager (high tiers) gets another one. Leaving a customer unassigned costs <see cref="UnassignedCost"/>.
/// </summary>
public sealed record AssignmentCosts(
    int ContinuityCost = 30,
    int BalanceStep = 10,
    int BalanceBlocks = 10,
    int FitCost = 20,
    int UnassignedCost = 1_000_000);

/// <summary>
/// The result for one branch. <see cref="ManagerOf"/>: per customer, the manager index or -1 (no room).
/// <see cref="LowerBound"/> is the optimum of the same flow network (an LP bound: customers of several
/// weight units may split there); <see cref="Cost"/> the cost of the integral assignment returned.
/// </summary>
public sealed record BranchSolution(int[] ManagerOf, int[] Loads, long Cost, long LowerBound, int Unassigned)
{
    public double CostGap => LowerBound <= 0 ? (Cost == LowerBound ? 0 : 1) : (double)(Cost - LowerBound) / LowerBound;
}

/// <summary>
/// Assigns a branch's customers to its managers as a min-cost flow (OR-Tools SimpleMinCostFlow):
/// customer classes → managers → sink. Customers with the same current manager, weight and fit are
/// interchangeable, so they share one node (the network stays small at a million customers); the flow
/// optimum over it equals the LP optimum over the per-customer network. Flow is in weighted units, so a
/// multi-unit customer can be split; those few are placed afterwards on the cheapest manager with room,
/// and the gap to the flow optimum is reported. Capacity is never exceeded by construction.
/// </summary>
public static class AssignmentSolver
{
    public static BranchSolution Solve(IReadOnlyList<SolverManager> managers, IReadOnlyList<SolverCustomer> customers, AssignmentCosts costs)
    {
        var m = managers.Count;
        var classes = new Dictionary<(int Current, int Weight, bool Senior), List<int>>();
        for (var i = 0; i < customers.Count; i++)
        {
            var c = customers[i];
            var key = (c.CurrentManager, c.Weight, c.PrefersSenior);
            if (!classes.TryGetValue(key, out var list))
            {
                classes[key] = list = [];
            }
            list.Add(i);
        }
        var classList = classes.Select(kv => (kv.Key, Members: kv.Value)).OrderBy(x => x.Key.Current).ThenBy(x => x.Key.Weight).ThenBy(x => x.Key.Senior).ToList();

        using var flow = new MinCostFlow();
        const int sink = 0;
        long total = 0;
        var classArcs = new List<(int Arc, int Manager, long UnitCost)>[classList.Count];
        for (var k = 0; k < classList.Count; k++)
        {
            var (key, members) = classList[k];
            var node = 1 + m + k;
            long supply = (long)members.Count * key.Weight;
            total += supply;
            flow.SetNodeSupply(node, supply);
            classArcs[k] = [];
            flow.AddArcWithCapacityAndUnitCost(node, sink, supply, costs.UnassignedCost);
            for (var j = 0; j < m; j++)
            {
                if (!Allowed(managers[j], j, key.Current) || managers[j].Capacity - managers[j].FixedLoad < key.Weight)
                {
                    continue;
                }
                var unitCost = ArcCost(managers[j], j, key.Current, key.Senior, costs);
                classArcs[k].Add((flow.AddArcWithCapacityAndUnitCost(node, 1 + j, supply, unitCost), j, unitCost));
            }
        }
        for (var j = 0; j < m; j++)
        {
            // Consecutive units in the same block share one arc: the load cost is piecewise linear and convex.
            var manager = managers[j];
            var unit = manager.FixedLoad + 1;
            while (unit <= manager.Capacity)
            {
                var block = Block(unit, manager.Capacity, costs);
                var last = unit;
                while (last + 1 <= manager.Capacity && Block(last + 1, manager.Capacity, costs) == block)
                {
                    last++;
                }
                flow.AddArcWithCapacityAndUnitCost(1 + j, sink, last - unit + 1, (long)block * costs.BalanceStep);
                unit = last + 1;
            }
        }
        flow.SetNodeSupply(sink, -total);
        var status = flow.Solve();
        if (status != MinCostFlowBase.Status.OPTIMAL)
        {
            throw new InvalidOperationException($"The assignment flow did not solve: {status}.");
        }
        var bound = flow.OptimalCost();

        // Round: whole customers along each arc's flow, those with the current manager first, biggest assets first.
        var managerOf = new int[customers.Count];
        Array.Fill(managerOf, -1);
        var loads = managers.Select(x => x.FixedLoad).ToArray();
        var leftovers = new List<int>();
        for (var k = 0; k < classList.Count; k++)
        {
            var (key, members) = classList[k];
            members.Sort((a, b) => customers[b].Assets.CompareTo(customers[a].Assets) is var byAssets and not 0 ? byAssets : a.CompareTo(b));
            var next = 0;
            foreach (var (arc, j, _) in classArcs[k].OrderBy(a => a.Manager == key.Current ? 0 : 1).ThenBy(a => a.UnitCost).ThenBy(a => a.Manager))
            {
                var whole = (int)(flow.Flow(arc) / key.Weight);
                for (var n = 0; n < whole; n++)
                {
                    managerOf[members[next++]] = j;
                    loads[j] += key.Weight;
                }
            }
            leftovers.AddRange(members.Skip(next));
        }
        foreach (var i in leftovers)
        {
            var c = customers[i];
            var best = -1;
            long bestCost = long.MaxValue;
            for (var j = 0; j < m; j++)
            {
                if (!Allowed(managers[j], j, c.CurrentManager) || loads[j] + c.Weight > managers[j].Capacity)
                {
                    continue;
                }
                var cost = ArcCost(managers[j], j, c.CurrentManager, c.PrefersSenior, costs) * c.Weight
                    + AddedLoadCost(managers[j], loads[j], c.Weight, costs);
                if (cost < bestCost)
                {
                    (best, bestCost) = (j, cost);
                }
            }
            if (best >= 0 && bestCost < (long)costs.UnassignedCost * c.Weight)
            {
                managerOf[i] = best;
                loads[best] += c.Weight;
            }
        }
        return new BranchSolution(managerOf, loads, CostOf(managers, customers, managerOf, costs), bound, managerOf.Count(x => x < 0));
    }

    /// <summary>The objective of an assignment (the flow's cost function, on whole customers); -1 means unassigned.</summary>
    public static long CostOf(IReadOnlyList<SolverManager> managers, IReadOnlyList<SolverCustomer> customers, IReadOnlyList<int> managerOf, AssignmentCosts costs)
    {
        long cost = 0;
        var loads = managers.Select(x => x.FixedLoad).ToArray();
        for (var i = 0; i < customers.Count; i++)
        {
            var c = customers[i];
            var j = managerOf[i];
            if (j < 0)
            {
                cost += (long)costs.UnassignedCost * c.Weight;
                continue;
            }
            cost += ArcCost(managers[j], j, c.CurrentManager, c.PrefersSenior, costs) * c.Weight;
            loads[j] += c.Weight;
        }
        for (var j = 0; j < managers.Count; j++)
        {
            cost += LoadCost(managers[j], loads[j], costs);
        }
        return cost;
    }

    /// <summary>Whether a customer may be placed with manager <paramref name="j"/>: active managers take anyone; on leave only keep their own.</summary>
    public static bool Allowed(SolverManager manager, int j, int current) =>
        manager.Status == ManagerStatus.Active || (manager.Status == ManagerStatus.OnLeave && current == j);

    private static long ArcCost(SolverManager manager, int j, int current, bool prefersSenior, AssignmentCosts costs) =>
        (current >= 0 && current != j ? costs.ContinuityCost : 0) + (prefersSenior && !manager.Senior ? costs.FitCost : 0);

    private static int Block(int unit, int capacity, AssignmentCosts costs) =>
        capacity <= 0 ? costs.BalanceBlocks : (int)((long)(unit - 1) * costs.BalanceBlocks / capacity);

    private static long AddedLoadCost(SolverManager manager, int load, int weight, AssignmentCosts costs)
    {
        long cost = 0;
        for (var unit = load + 1; unit <= load + weight; unit++)
        {
            cost += (long)Block(unit, manager.Capacity, costs) * costs.BalanceStep;
        }
        return cost;
    }

    /// <summary>The convex load cost of the units above the manager's fixed load.</summary>
    private static long LoadCost(SolverManager manager, int load, AssignmentCosts costs)
    {
        long cost = 0;
        for (var unit = manager.FixedLoad + 1; unit <= load; unit++)
        {
            cost += (long)Block(unit, manager.Capacity, costs) * costs.BalanceStep;
        }
        return cost;
    }
}
