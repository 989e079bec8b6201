using BankClientele.Contracts.CustomerCare;
using BankClientele.Contracts.FootTraffic;
using BankClientele.Hosting.Messaging;
using MassTransit;
using Microsoft.EntityFrameworkCore;

namespace BankClientele.Insights.BranchStats;

internal static class BranchStatisticsCounter
{
    /// <summary>Atomic upsert, so concurrent consumers never lose an increment.</summary>
    public static Task AddAsync(InsightsDbContext db, string branchCode, int customers, int assignments, int visits, CancellationToken ct) =>
        db.Database.ExecuteSqlAsync($"""
            INSERT INTO branch_statistics (branch_code, customers, assignments, visits, updated_at)
            VALUES ({branchCode}, {customers}, {assignments}, {visits}, {DateTimeOffset.UtcNow})
            ON CONFLICT (branch_code) DO UPDATE SET
                customers = branch_statistics.customers + excluded.customers,
                assignments = branch_statistics.assignments + excluded.assignments,
                visits = branch_statistics.visits + excluded.visits,
                updated_at = excluded.updated_at
            """, ct);
}

public sealed class AssignmentCountConsumer(InsightsDbContext db) : InboxConsumer<RelationshipManagerAssigned, InsightsDbContext>(db)
{
    protected override Task HandleAsync(RelationshipManagerAssigned message, ConsumeContext<RelationshipManagerAssigned> context) =>
        BranchStatisticsCounter.AddAsync(Db, message.BranchCode, 0, 1, 0, context.CancellationToken);
}

/// <summary>The high-volume event: a batch per transaction, one upsert per batch (branches in order, so concurrent batches never deadlock).</summary>
public sealed class VisitCountConsumer(InsightsDbContext db) : InboxBatchConsumer<BranchVisitRecorded, InsightsDbContext>(db)
{
    protected override Task HandleBatchAsync(IReadOnlyList<BranchVisitRecorded> messages, ConsumeContext<Batch<BranchVisitRecorded>> context)
    {
        var branches = messages.Select(m => m.BranchCode).ToArray();
        return Db.Database.ExecuteSqlAsync($"""
            INSERT INTO branch_statistics (branch_code, customers, assignments, visits, updated_at)
            SELECT branch, 0, 0, count(*), now() FROM unnest({branches}) AS v(branch) GROUP BY branch ORDER BY branch
            ON CONFLICT (branch_code) DO UPDATE SET visits = branch_statistics.visits + excluded.visits, updated_at = excluded.updated_at
            """, context.CancellationToken);
    }
}
