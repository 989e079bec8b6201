using BankClientele.Contracts.CustomerCare;
using BankClientele.Insights.BranchStats;
using MassTransit;

namespace BankClientele.Insights.Tests.BranchStats;

/// <summary><c>GET /api/branch-stats</c>: "assigned" is customers in a manager's book now, not assignment events.</summary>
public sealed class BranchStatisticsTests
{
    [Test]
    public async Task Assigned_counts_customers_with_a_manager_now_while_assignments_count_every_move()
    {
        var branch = TestServers.UniqueBranch("S");
        var (moved, kept, returned) = (Guid.NewGuid(), Guid.NewGuid(), Guid.NewGuid());
        var at = DateTimeOffset.UtcNow;
        var bus = TestSystem.Insights.Get<IBus>();
        // Five assignment events over three customers; one of them then goes back to the branch pool.
        await bus.Publish(new RelationshipManagerAssigned(moved, $"{branch}-A", branch, at, Version: 1));
        await bus.Publish(new RelationshipManagerAssigned(moved, $"{branch}-B", branch, at.AddMinutes(1), $"{branch}-A", "manual", 2));
        await bus.Publish(new RelationshipManagerAssigned(kept, $"{branch}-A", branch, at, Version: 1));
        await bus.Publish(new RelationshipManagerAssigned(returned, $"{branch}-A", branch, at, Version: 1));
        await bus.Publish(new RelationshipManagerAssigned(returned, $"{branch}-B", branch, at.AddMinutes(1), $"{branch}-A", "rebalance", 2));
        await bus.Publish(new RelationshipManagerUnassigned(returned, branch, $"{branch}-B", "unassigned", at.AddMinutes(2), 3));

        using var lead = TestSystem.Insights.ClientFor(Tokens.BranchLead(branch));
        var row = await Poll.UntilAsync(
            async () => (await ServiceSystem.GetAsync<List<BranchStatisticsView>>(lead, "/api/branch-stats"))!.SingleOrDefault(s => s.BranchCode == branch),
            s => s is { Assignments: 5, Assigned: 2 }, "five assignment events and two customers left in a book");
        Assert.That(row!.Assigned, Is.EqualTo(2), "the customer moved twice is counted once; the one returned to the pool not at all");

        using var other = TestSystem.Insights.ClientFor(Tokens.BranchLead(TestServers.UniqueBranch("S")));
        Assert.That((await ServiceSystem.GetAsync<List<BranchStatisticsView>>(other, "/api/branch-stats"))!.Where(s => s.BranchCode == branch), Is.Empty);
    }
}
