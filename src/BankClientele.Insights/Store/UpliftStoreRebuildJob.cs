using Microsoft.EntityFrameworkCore;

namespace BankClientele.Insights.Store;

/// <summary>
/// Rebuilds the grouped deposit rows of every branch marked stale (a tier, manager, segment or
/// campaign audience changed there): the days grouped before the change. A Hangfire recurring job
/// every two minutes, and <c>POST /api/uplift/store/rebuild</c> on demand. A branch marked again
/// while it is rebuilt stays marked for the next run.
/// </summary>
public sealed class UpliftStoreRebuildJob(InsightsDbContext db)
{
    public const string RecurringJobId = "insights-uplift-store-rebuild";

    /// <summary>Marks every branch with balances for a rebuild of every day (after the store gained a dimension).</summary>
    public Task<int> MarkAllAsync(CancellationToken ct) =>
        db.Database.ExecuteSqlAsync($"""
            INSERT INTO uplift_stale_branches (branch_code, marked_at, marked_xid)
            SELECT DISTINCT branch_code, {DateTimeOffset.UtcNow}, NULL::bigint FROM branch_daily_deposits
            ON CONFLICT (branch_code) DO UPDATE SET marked_at = excluded.marked_at, marked_xid = NULL
            """, ct);

    /// <returns>The branches rebuilt.</returns>
    public async Task<int> RunAsync(CancellationToken ct)
    {
        var stale = await db.Set<UpliftStaleBranch>().AsNoTracking().OrderBy(b => b.BranchCode).Select(b => b.BranchCode).ToListAsync(ct);
        // A branch's year of balances is regrouped in one statement: seconds, or more while a feed loads.
        db.Database.SetCommandTimeout(TimeSpan.FromMinutes(5));
        var rebuilt = 0;
        foreach (var branch in stale)
        {
            await using var tx = await db.Database.BeginTransactionAsync(ct);
            rebuilt += await UpliftStore.RebuildBranchAsync(db, branch, ct) is null ? 0 : 1;
            await tx.CommitAsync(ct);
        }
        return rebuilt;
    }
}
