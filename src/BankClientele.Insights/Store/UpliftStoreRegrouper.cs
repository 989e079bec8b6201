using Microsoft.EntityFrameworkCore;

namespace BankClientele.Insights.Store;

/// <summary>
/// Writes the grouped uplift rows of the branch-days whose balances landed (<c>uplift_pending_days</c>), a branch's
/// days together in one statement, up to <see cref="DaysPerPass"/> per transaction. A hosted loop: it goes again at
/// once while there is work, and a branch waits until its days have stopped landing for a <see cref="PollInterval"/>
/// (or make a full pass). Replicas may run it side by side: a branch's lock serialises them, and the second finds the
/// days already taken.
/// </summary>
public sealed class UpliftStoreRegrouper(IServiceScopeFactory scopes, ILogger<UpliftStoreRegrouper> logger) : BackgroundService
{
    public static readonly TimeSpan PollInterval = TimeSpan.FromSeconds(1);

    /// <summary>Days of one branch regrouped in one transaction: a few tenths of a second of work, so a backlog never holds a branch's lock for long.</summary>
    public const int DaysPerPass = 62;

    /// <summary>One pass over every branch with pending days (those <paramref name="ready"/> says are, given their count); returns the days regrouped.</summary>
    public static async Task<int> RunOnceAsync(InsightsDbContext db, CancellationToken ct, Func<string, int, bool>? ready = null)
    {
        var branches = await db.Set<UpliftPendingDay>().GroupBy(d => d.BranchCode)
            .Select(g => new { Branch = g.Key, Days = g.Count() }).OrderBy(b => b.Branch).ToListAsync(ct);
        var days = 0;
        foreach (var branch in branches.Where(b => ready?.Invoke(b.Branch, b.Days) ?? true))
        {
            await using var tx = await db.Database.BeginTransactionAsync(ct);
            days += await UpliftStore.RegroupPendingAsync(db, branch.Branch, DaysPerPass, ct);
            await tx.CommitAsync(ct);
        }
        return days;
    }

    /// <summary>Branch-days waiting to be regrouped (the seed waits for none).</summary>
    public static Task<int> PendingAsync(InsightsDbContext db, CancellationToken ct) => db.Set<UpliftPendingDay>().CountAsync(ct);

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        // A branch whose days are still landing waits until it has a full pass of them or none came for a poll interval:
        // a flood of balances is then regrouped in a few large passes, not one small pass per batch of balances.
        var landing = new Dictionary<string, (int Days, DateTimeOffset Since)>(StringComparer.Ordinal);
        bool Ready(string branch, int days)
        {
            var now = DateTimeOffset.UtcNow;
            if (!landing.TryGetValue(branch, out var seen) || seen.Days != days)
            {
                landing[branch] = seen = (days, now);
            }
            return days >= DaysPerPass || now - seen.Since >= PollInterval;
        }

        while (!stoppingToken.IsCancellationRequested)
        {
            var regrouped = 0;
            try
            {
                await using var scope = scopes.CreateAsyncScope();
                regrouped = await RunOnceAsync(scope.ServiceProvider.GetRequiredService<InsightsDbContext>(), stoppingToken, Ready);
            }
            catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
            {
                return;
            }
            catch (Exception ex)
            {
                logger.LogWarning(ex, "Regrouping the uplift store's pending days failed; retrying");
            }
            if (regrouped == 0)
            {
                await Task.Delay(PollInterval / 4, stoppingToken).ConfigureAwait(ConfigureAwaitOptions.SuppressThrowing);
            }
        }
    }
}
