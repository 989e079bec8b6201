using BankClientele.Hosting.Messaging;
using Npgsql;

namespace BankClientele.CustomerCare.Tiers;

/// <summary>
/// Nightly: the averaging window moves on, so every customer's tier is recomputed (set-based),
/// publishing CustomerTierChanged for those that moved. Imports of balances recompute their own customers at once.
/// </summary>
public sealed class TierRecalculationJob(NpgsqlDataSource dataSource, TierCalculator calculator, ILogger<TierRecalculationJob> logger)
{
    public const string RecurringJobId = "customercare-tier-recalculation";

    /// <summary>01:30 branch time, after the core-banking day's balances have arrived.</summary>
    public const string Cron = "30 1 * * *";

    public async Task<int> RunAsync(CancellationToken ct)
    {
        await using var connection = await dataSource.OpenConnectionAsync(ct);
        await using var transaction = await connection.BeginTransactionAsync(ct);
        var outbox = new SqlOutbox(connection, transaction);
        var moved = await calculator.RecalculateAsync(connection, transaction, outbox, customerIdsSql: null, ct);
        await outbox.NotifyAsync(ct);
        await transaction.CommitAsync(ct);
        logger.LogInformation("Tiers recomputed: {Moved} customers changed tier", moved);
        return moved;
    }
}
