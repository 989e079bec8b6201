using BankClientele.Cli.Infrastructure;
using BankClientele.CustomerCare.Assignment;
using BankClientele.CustomerCare.Managers;

namespace BankClientele.Cli.Seed;

/// <summary>
/// Demo assignment: managers' capacity (tier-weighted units), seniority and status suited to the demo
/// book (20,000 customers over 48 managers; the Wealth-and-above share is assigned, about 30 a manager and
/// 60 to 120 units, so books fill half to most of a capacity, as a real branch's do), two managers on leave;
/// then the assignment run over every branch. Runs after the feed import.
/// </summary>
public static class AssignmentDemo
{
    public const int Capacity = 120;
    public const int SeniorCapacity = 160;

    /// <summary>Managers on leave during the demo: they keep their book and get no new customers.</summary>
    public static readonly IReadOnlySet<string> OnLeave = new HashSet<string> { "RM-SH002-04", "RM-BJ001-03" };

    public static async Task<int> RunAsync(CliContext context, ServiceClient customerCare, CancellationToken ct)
    {
        foreach (var manager in DemoNetwork.RelationshipManagers)
        {
            var senior = manager.StaffId.EndsWith("-01", StringComparison.Ordinal);
            await customerCare.SendAsync(HttpMethod.Put, "/api/relationship-managers", new SaveRelationshipManager(
                manager.StaffId, manager.Name, manager.BranchCode, senior ? SeniorCapacity : Capacity,
                OnLeave.Contains(manager.StaffId) ? ManagerStatus.OnLeave : ManagerStatus.Active, senior), ct);
        }
        var plans = await customerCare.SendAsync<List<AssignmentPlan>>(HttpMethod.Post, "/api/assignment/run", new { }, ct);
        var assigned = plans.Sum(p => p.Moves.Count(m => m.ToManagerId is not null));
        context.Note($"Assignment: {DemoNetwork.RelationshipManagers.Count} managers set up ({OnLeave.Count} on leave), " +
            $"{assigned} customers assigned over {plans.Count} branches, {plans.Sum(p => p.Unassigned)} without room.");
        return assigned;
    }
}
