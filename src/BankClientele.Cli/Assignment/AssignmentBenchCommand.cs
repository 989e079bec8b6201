using System.CommandLine;
using System.Diagnostics;
using System.Globalization;
using System.Text.Json;
using BankClientele.Cli.Infrastructure;
using BankClientele.CustomerCare.Assignment;
using BankClientele.CustomerCare.Managers;
using Spectre.Console;

namespace BankClientele.Cli.Assignment;

/// <summary>
/// <c>bench assignment --customers N --managers M</c>: the assignment solver in process over a generated
/// book (branches of about 40 managers; tiers Wealth/HighNetWorth/PrivateBanking; most customers already
/// assigned, unevenly, some managers on leave or gone), then one JSON line of figures checked
/// independently of the solver: capacity violations recounted from the assignment, max/min utilisation
/// over active managers, the cost gap to the flow optimum of the same network and, up to
/// <see cref="CustomerLevelFlow.MaxCustomers"/> customers, the gap to the optimum of a customer-level
/// network built and solved apart from the solver (<c>independentGap</c>; null above that size).
/// </summary>
public static class AssignmentBenchCommand
{
    public const int ManagersPerBranch = 40;

    public static Command Create(CliContext context)
    {
        var customers = new Option<int>("--customers") { Description = "Customers to assign.", DefaultValueFactory = _ => 100_000 };
        var managers = new Option<int>("--managers") { Description = "Relationship managers.", DefaultValueFactory = _ => 200 };
        var seed = new Option<int>("--seed") { Description = "Seed of the generated book.", DefaultValueFactory = _ => 7 };
        customers.Validators.Add(r => { if (r.GetValueOrDefault<int>() is < 1 or > 10_000_000) r.AddError("--customers must be 1 to 10,000,000."); });
        managers.Validators.Add(r => { if (r.GetValueOrDefault<int>() is < 2 or > 100_000) r.AddError("--managers must be 2 to 100,000."); });
        var command = new Command("assignment", "Benchmark the min-cost-flow assignment of N customers to M managers (in process, generated book); ends with one JSON line.")
        {
            customers, managers, seed,
        };
        command.SetCliAction(context, (parse, ct) =>
        {
            var result = Run(context, parse.GetValue(customers), parse.GetValue(managers), parse.GetValue(seed), ct);
            context.RawOut.WriteLine(JsonSerializer.Serialize(result, JsonSerializerOptions.Web));
            return Task.FromResult(result.CapacityViolations == 0 ? ExitCodes.Ok : ExitCodes.Failure);
        });
        return command;
    }

    public sealed record BenchResult(
        int Customers, int Managers, double Seconds, int CapacityViolations, double MaxMinLoadRatio, double CostGap, int Unassigned, int Moved,
        double? IndependentGap = null, double? IndependentSeconds = null);

    public static BenchResult Run(CliContext context, int customerCount, int managerCount, int seed, CancellationToken ct)
    {
        var costs = new AssignmentCosts();
        var branches = GenerateBook(customerCount, managerCount, seed);
        context.Note($"Generated {customerCount:N0} customers and {managerCount:N0} managers in {branches.Count} branches.");

        var solutions = new BranchSolution[branches.Count];
        var clock = Stopwatch.StartNew();
        context.Errors.Progress().Start(progress =>
        {
            var task = progress.AddTask("Assigning branches", maxValue: branches.Count);
            for (var b = 0; b < branches.Count; b++)
            {
                ct.ThrowIfCancellationRequested();
                solutions[b] = AssignmentSolver.Solve(branches[b].Managers, branches[b].Customers, costs);
                task.Increment(1);
            }
        });
        var seconds = clock.Elapsed.TotalSeconds;

        // Checked from the assignment itself, not from the solver's own figures.
        int violations = 0, unassigned = 0, moved = 0;
        double maxUtilisation = 0, minUtilisation = double.MaxValue;
        long cost = 0, bound = 0;
        for (var b = 0; b < branches.Count; b++)
        {
            var (ms, cs) = branches[b];
            var loads = ms.Select(m => m.FixedLoad).ToArray();
            var newcomers = new int[ms.Length];
            for (var i = 0; i < cs.Length; i++)
            {
                var j = solutions[b].ManagerOf[i];
                if (j < 0)
                {
                    unassigned++;
                    continue;
                }
                loads[j] += cs[i].Weight;
                if (j != cs[i].CurrentManager)
                {
                    moved++;
                    newcomers[j]++;
                }
            }
            for (var j = 0; j < ms.Length; j++)
            {
                if (loads[j] > ms[j].Capacity || (ms[j].Status != ManagerStatus.Active && newcomers[j] > 0))
                {
                    violations++;
                }
                if (ms[j].Status == ManagerStatus.Active && ms[j].Capacity > 0)
                {
                    var utilisation = (double)loads[j] / ms[j].Capacity;
                    maxUtilisation = Math.Max(maxUtilisation, utilisation);
                    minUtilisation = Math.Min(minUtilisation, utilisation);
                }
            }
            cost += AssignmentSolver.CostOf(ms, cs, solutions[b].ManagerOf, costs);
            bound += solutions[b].LowerBound;
        }
        var ratio = minUtilisation > 0 ? maxUtilisation / minUtilisation : double.PositiveInfinity;
        double? independentGap = null, independentSeconds = null;
        if (customerCount <= CustomerLevelFlow.MaxCustomers)
        {
            var independentClock = Stopwatch.StartNew();
            long independent = 0;
            foreach (var (ms, cs) in branches)
            {
                ct.ThrowIfCancellationRequested();
                independent += CustomerLevelFlow.Optimum(ms, cs, costs);
            }
            independentSeconds = Math.Round(independentClock.Elapsed.TotalSeconds, 3);
            independentGap = independent > 0 ? (double)(cost - independent) / independent : 0;
            context.Note($"Customer-level flow (OR-Tools, one node per customer): optimum {independent:N0} against the solver's bound {bound:N0}.");
        }
        context.Note(string.Create(CultureInfo.InvariantCulture,
            $"Solved in {seconds:F2} s: {moved:N0} placed or moved, {unassigned:N0} without room, utilisation {minUtilisation:P1} to {maxUtilisation:P1}."));
        return new BenchResult(customerCount, managerCount, Math.Round(seconds, 3), violations, Math.Round(ratio, 4),
            bound > 0 ? (double)(cost - bound) / bound : 0, unassigned, moved, independentGap, independentSeconds);
    }

    /// <summary>A deterministic book: tiers 75/20/5 % (weights 2/3/5), 85 % already assigned (unevenly), 3 % of managers on leave, 2 % gone.</summary>
    public static List<(SolverManager[] Managers, SolverCustomer[] Customers)> GenerateBook(int customerCount, int managerCount, int seed)
    {
        var random = new Random(seed);
        var branchCount = Math.Max(1, (managerCount + ManagersPerBranch - 1) / ManagersPerBranch);
        var branchManagers = Enumerable.Range(0, branchCount).Select(b => managerCount / branchCount + (b < managerCount % branchCount ? 1 : 0)).ToArray();
        var customers = Enumerable.Range(0, branchCount).Select(_ => new List<SolverCustomer>()).ToArray();
        for (var i = 0; i < customerCount; i++)
        {
            var b = random.Next(branchCount);
            var draw = random.NextDouble();
            var (weight, senior) = draw < 0.75 ? (2, false) : draw < 0.95 ? (3, true) : (5, true);
            // Skewed: early managers of a branch carry more (min of two draws).
            var current = random.NextDouble() < 0.85 ? Math.Min(random.Next(branchManagers[b]), random.Next(branchManagers[b])) : -1;
            var assets = weight switch { 2 => 500_000m, 3 => 2_000_000m, _ => 6_000_000m } * (decimal)(1 + random.NextDouble());
            customers[b].Add(new SolverCustomer(weight, senior, current, Math.Round(assets, 2)));
        }
        var book = new List<(SolverManager[], SolverCustomer[])>();
        for (var b = 0; b < branchCount; b++)
        {
            var demand = customers[b].Sum(c => c.Weight);
            var average = demand * 1.2 / Math.Max(1, branchManagers[b]);
            var managers = Enumerable.Range(0, branchManagers[b]).Select(j =>
            {
                var draw = random.NextDouble();
                var status = draw < 0.02 ? ManagerStatus.Inactive : draw < 0.05 ? ManagerStatus.OnLeave : ManagerStatus.Active;
                var capacity = (int)Math.Ceiling(average * (0.8 + 0.4 * random.NextDouble()));
                return new SolverManager($"RM-{b:D4}-{j:D3}", capacity, status, random.NextDouble() < 0.25);
            }).ToArray();
            book.Add((managers, customers[b].ToArray()));
        }
        return book;
    }
}
