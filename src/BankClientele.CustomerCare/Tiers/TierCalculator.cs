using BankClientele.Contracts.CustomerCare;
using BankClientele.Hosting.Messaging;
using Npgsql;

namespace BankClientele.CustomerCare.Tiers;

/// <summary>
/// Recomputes customers' average assets and tiers set-based, in the caller's transaction, and
/// writes CustomerTierChanged for each tier that moved. The window ends on the latest business day
/// the book has balances for.
/// </summary>
public sealed class TierCalculator(TierRules rules) : ITierRecalculation
{
    /// <inheritdoc/>
    /// <param name="customerIdsSql">A SELECT of the customer ids to recompute, or null for the whole book.</param>
    /// <returns>How many tiers moved.</returns>
    public async Task<int> RecalculateAsync(
        NpgsqlConnection connection, NpgsqlTransaction transaction, SqlOutbox outbox, string? customerIdsSql, CancellationToken ct)
    {
        var only = customerIdsSql is null ? "" : $"AND b.customer_id IN ({customerIdsSql})";
        await using (var recompute = new NpgsqlCommand($"""
            CREATE TEMP TABLE tier_changes ON COMMIT DROP AS
            SELECT NULL::uuid AS id, NULL::text AS previous_tier, NULL::text AS tier, 0::numeric AS average_assets LIMIT 0;
            WITH window_end AS (SELECT max(date) AS day FROM daily_balances),
            averages AS (
                SELECT b.customer_id, round(avg(b.deposit + b.wealth), 2) AS assets
                FROM daily_balances b, window_end w
                WHERE b.date > w.day - @window_days AND b.date <= w.day {only}
                GROUP BY b.customer_id),
            tiered AS (SELECT customer_id, assets, {rules.SqlCase("assets")} AS tier FROM averages),
            updated AS (
                UPDATE customers c SET average_assets = t.assets, tier = t.tier
                FROM tiered t, customers before
                WHERE c.id = t.customer_id AND before.id = c.id
                  AND (c.average_assets, c.tier) IS DISTINCT FROM (t.assets, t.tier)
                RETURNING c.id, before.tier AS previous_tier, c.tier, c.average_assets)
            INSERT INTO tier_changes SELECT id, previous_tier, tier, average_assets FROM updated
            """, connection, transaction) { CommandTimeout = 0 })
        {
            recompute.Parameters.AddWithValue("window_days", rules.WindowDays);
            await recompute.ExecuteNonQueryAsync(ct);
        }
        // The events' bodies are the contract serialised (as every outbox row is), in customer-number order.
        var changedAt = DateTimeOffset.UtcNow;
        return await outbox.CopyAsync("""
            SELECT c.id, c.customer_number, c.branch_code, t.previous_tier, t.tier, t.average_assets
            FROM tier_changes t JOIN customers c ON c.id = t.id
            WHERE t.tier <> t.previous_tier
            ORDER BY c.customer_number
            """, row => new CustomerTierChanged(
                // A customer converted before the feed numbered them has no number yet: sent as null, as before.
                row.GetGuid(0), row.IsDBNull(1) ? null! : row.GetString(1), row.GetString(2),
                row.IsDBNull(3) ? null : row.GetString(3), row.GetString(4), row.GetDecimal(5), changedAt), ct);
    }
}
