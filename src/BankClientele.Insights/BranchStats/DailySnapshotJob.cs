using Microsoft.EntityFrameworkCore;
using BankClientele.Hosting.Time;

namespace BankClientele.Insights.BranchStats;

/// <summary>Nightly: freezes each branch's counts for the day, so trends survive later changes.</summary>
public sealed class DailySnapshotJob(InsightsDbContext db, TimeProvider clock)
{
    /// <summary>The recurring job's explicit id: every replica registers the same one.</summary>
    public const string RecurringJobId = "insights-daily-branch-snapshot";

    /// <summary>08:05 branch time (00:05 UTC, as before the schedules moved to branch time); the snapshot is of the branch day it runs on.</summary>
    public const string Cron = "5 8 * * *";

    public async Task RunAsync(CancellationToken ct)
    {
        var run = new SnapshotRun { Id = Guid.CreateVersion7(), StartedAt = clock.GetUtcNow() };
        var day = BranchClock.DayOf(run.StartedAt);
        await using var tx = await db.Database.BeginTransactionAsync(ct);
        var stats = await db.BranchStatistics.AsNoTracking().ToListAsync(ct);
        await db.DailySnapshots.Where(s => s.Day == day).ExecuteDeleteAsync(ct);
        db.DailySnapshots.AddRange(stats.Select(s => new BranchDailySnapshot
        {
            Day = day,
            BranchCode = s.BranchCode,
            Customers = s.Customers,
            Assignments = s.Assignments,
            Visits = s.Visits,
            RunId = run.Id,
        }));
        run.Branches = stats.Count;
        run.FinishedAt = clock.GetUtcNow();
        db.SnapshotRuns.Add(run);
        await db.SaveChangesAsync(ct);
        await tx.CommitAsync(ct);
    }
}
