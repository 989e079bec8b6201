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
    /// <summary>Events read back per page.</summary>
    private const int EventPage = 50_000;

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
        // The events' bodies are the contract serialised (as every outbox row is), read back in pages
        // in customer-number order and copied in, so a first run over the whole book stays bounded in memory.
        var changedAt = DateTimeOffset.UtcNow;
        var written = 0;
        var (after, afterId) = ("", Guid.Empty);
        while (true)
        {
            var page = new List<CustomerTierChanged>(EventPage);
            await using (var read = new NpgsqlCommand("""
                SELECT c.id, c.customer_number, c.branch_code, t.previous_tier, t.tier, t.average_assets
                FROM tier_changes t JOIN customers c ON c.id = t.id
                WHERE t.tier <> t.previous_tier AND (coalesce(c.customer_number, ''), c.id) > (@after, @after_id)
                ORDER BY coalesce(c.customer_number, ''), c.id
                LIMIT @page
                """, connection, transaction))
            {
                read.Parameters.AddWithValue("after", after);
                read.Parameters.AddWithValue("after_id", afterId);
                read.Parameters.AddWithValue("page", EventPage);
                await using var reader = await read.ExecuteReaderAsync(ct);
                while (await reader.ReadAsync(ct))
                {
                    // A customer converted before the feed numbered them has no number yet: sent as null, as before.
                    page.Add(new CustomerTierChanged(reader.GetGuid(0), reader.IsDBNull(1) ? null! : reader.GetString(1), reader.GetString(2),
                        reader.IsDBNull(3) ? null : reader.GetString(3), reader.GetString(4), reader.GetDecimal(5), changedAt));
                }
            }
            if (page.Count == 0)
            {
                return written;
            }
            await using var copy = await outbox.BeginCopyAsync<CustomerTierChanged>(ct);
            foreach (var changed in page)
            {
                await copy.WriteAsync(changed, ct);
            }
            await copy.CompleteAsync(ct);
            written += page.Count;
            (after, afterId) = (page[^1].CustomerNumber ?? "", page[^1].CustomerId);
        }
    }
}
