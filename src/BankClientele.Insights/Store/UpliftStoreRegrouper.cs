using Microsoft.EntityFrameworkCore;

namespace BankClientele.Insights.Store;

/// <summary>
/// Writes the grouped uplift rows of the branch-days whose balances landed (<c>uplift_pending_days</c>), a branch's
/// days together in one statement, up to <see cref="DaysPerPass"/> per transaction. A hosted loop: it goes again at
/// once while there is work and looks every <see cref="PollInterval"/> when there is none. Replicas may run it side
/// by side: a branch's lock serialises them, and the second finds the days already taken.
/// </summary>
public sealed class UpliftStoreRegrouper(IServiceScopeFactory scopes, ILogger<UpliftStoreRegrouper> logger) : BackgroundService
{
    public static readonly TimeSpan PollInterval = TimeSpan.FromSeconds(1);

    /// <summary>Days of one branch regrouped in one transaction: about a second of work, so a backlog never holds a branch's lock for long.</summary>
    public const int DaysPerPass = 62;

    /// <summary>One pass over every branch with pending days; returns the days regrouped.</summary>
    public static async Task<int> RunOnceAsync(InsightsDbContext db, CancellationToken ct)
    {
        var branches = await db.Set<UpliftPendingDay>().Select(d => d.BranchCode).Distinct().OrderBy(b => b).ToListAsync(ct);
        var days = 0;
        foreach (var branch in branches)
        {
            await using var tx = await db.Database.BeginTransactionAsync(ct);
            days += await UpliftStore.RegroupPendingAsync(db, branch, DaysPerPass, ct);
            await tx.CommitAsync(ct);
        }
        return days;
    }

    /// <summary>Branch-days waiting to be regrouped (the seed waits for none).</summary>
    public static Task<int> PendingAsync(InsightsDbContext db, CancellationToken ct) => db.Set<UpliftPendingDay>().CountAsync(ct);

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        while (!stoppingToken.IsCancellationRequested)
        {
            var regrouped = 0;
            try
            {
                await using var scope = scopes.CreateAsyncScope();
                regrouped = await RunOnceAsync(scope.ServiceProvider.GetRequiredService<InsightsDbContext>(), stoppingToken);
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
                await Task.Delay(PollInterval, stoppingToken).ConfigureAwait(ConfigureAwaitOptions.SuppressThrowing);
            }
        }
    }
}
