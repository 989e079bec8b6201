using BankClientele.Hosting.Messaging;
using Npgsql;

namespace BankClientele.CustomerCare.Tiers;

/// <summary>
/// What other features (the balances feed) may ask of Tiers: recompute some customers' tiers in the
/// caller's transaction. Features depend on Tiers through this, and Tiers depends on none of them.
/// </summary>
public interface ITierRecalculation
{
    /// <param name="customerIdsSql">A SELECT of the customer ids to recompute, or null for the whole book.</param>
    /// <returns>How many tiers moved (one CustomerTierChanged each, written to <paramref name="outbox"/>).</returns>
    Task<int> RecalculateAsync(NpgsqlConnection connection, NpgsqlTransaction transaction, SqlOutbox outbox, string? customerIdsSql, CancellationToken ct);
}
