using BankClientele.Contracts.CustomerCare;
using BankClientele.CustomerCare.Tiers;
using BankClientele.Hosting.Customers;
using Npgsql;
using NpgsqlTypes;

namespace BankClientele.CustomerCare.Feed;

/// <summary>
/// The daily balances file: one row per customer and day. New or changed balances are published
/// as DailyBalancesRecorded, one message per branch and day in chunks; the customers' latest
/// balances, average assets and tiers follow.
/// </summary>
public sealed class BalanceFeed(TierCalculator tiers) : FeedKind
{
    /// <summary>Balances per DailyBalancesRecorded message: about 200 kB of JSON.</summary>
    public const int ChunkSize = 2_000;

    private const int Number = 0, Date = 1, Deposit = 2, Wealth = 3;

    public override string Name => "balances";

    public override IReadOnlyList<string> Columns { get; } = ["customer_number", "date", "deposit", "wealth"];

    public override IReadOnlyList<string> RequiredColumns => Columns;

    public override string StagingTable => "feed_balances";

    public override string CreateStagingSql => """
        CREATE TEMP TABLE feed_balances (
            line int NOT NULL, customer_number text NOT NULL, customer_id uuid NOT NULL, date date NOT NULL,
            deposit numeric(18,2) NOT NULL, wealth numeric(18,2) NOT NULL) ON COMMIT DROP
        """;

    public override string StagingColumns => "line, customer_number, customer_id, date, deposit, wealth";

    public override async ValueTask<bool> WriteAsync(FieldReader row, IFeedRow source, NpgsqlBinaryImporter? writer, CancellationToken ct)
    {
        var number = row.Text(Number, 30, required: true);
        var date = row.Date(Date, required: true);
        if (date > Book.CustomerEndpoints.Today())
        {
            row.Fail(Date, $"{date:yyyy-MM-dd} is in the future.");
        }
        var deposit = row.Amount(Deposit);
        var wealth = row.Amount(Wealth);
        if (!row.Ok || writer is null)
        {
            return row.Ok;
        }
        await writer.StartRowAsync(ct);
        await writer.WriteAsync(row.Line, NpgsqlDbType.Integer, ct);
        await writer.WriteAsync(number!, NpgsqlDbType.Text, ct);
        await writer.WriteAsync(CustomerId(number!), NpgsqlDbType.Uuid, ct);
        await writer.WriteAsync(date!.Value, NpgsqlDbType.Date, ct);
        await writer.WriteAsync(deposit, NpgsqlDbType.Numeric, ct);
        await writer.WriteAsync(wealth, NpgsqlDbType.Numeric, ct);
        return true;
    }

    // A file repeats a customer's number on many rows (a year of balances): hash each number once.
    private readonly Dictionary<string, Guid> ids = new(StringComparer.Ordinal);

    private Guid CustomerId(string number)
    {
        if (!ids.TryGetValue(number, out var id))
        {
            id = CustomerIds.FromCustomerNumber(number);
            ids[number] = id;
        }
        return id;
    }

    public override string ValidationSql => """
        SELECT line, 'date' AS field, 'The customer''s balance for this day appears more than once in the file (first on line ' || first || ').' AS message
        FROM (SELECT line, min(line) OVER (PARTITION BY customer_id, date) AS first FROM feed_balances) AS d
        WHERE line > first
        UNION ALL
        SELECT s.line, 'customer_number', 'No customer ' || s.customer_number || ' in the book: import the customers first.'
        FROM feed_balances s WHERE NOT EXISTS (SELECT 1 FROM customers c WHERE c.id = s.customer_id)
        """;

    public override async Task<MergeCounts> MergeAsync(NpgsqlConnection connection, NpgsqlTransaction transaction, SqlOutbox outbox, CancellationToken ct)
    {
        await FeedSql.ExecuteAsync(connection, transaction, """
            CREATE TEMP TABLE feed_merged ON COMMIT DROP AS
            SELECT NULL::uuid AS customer_id, NULL::date AS date, 0::numeric AS deposit, 0::numeric AS wealth, false AS inserted LIMIT 0;
            WITH merged AS (
                INSERT INTO daily_balances AS b (customer_id, date, deposit, wealth)
                SELECT customer_id, date, deposit, wealth FROM feed_balances ORDER BY customer_id, date -- index order: far fewer random page writes
                ON CONFLICT (customer_id, date) DO UPDATE SET deposit = EXCLUDED.deposit, wealth = EXCLUDED.wealth
                WHERE (b.deposit, b.wealth) IS DISTINCT FROM (EXCLUDED.deposit, EXCLUDED.wealth)
                RETURNING b.customer_id, b.date, b.deposit, b.wealth, (b.xmax = 0) AS inserted)
            INSERT INTO feed_merged SELECT customer_id, date, deposit, wealth, inserted FROM merged;
            ANALYZE feed_merged;
            -- The latest balances known, for lists and the 360 view.
            UPDATE customers c SET deposit_balance = l.deposit, wealth_balance = l.wealth, balance_date = l.date
            FROM (SELECT DISTINCT ON (customer_id) customer_id, date, deposit, wealth FROM feed_merged ORDER BY customer_id, date DESC) AS l
            WHERE c.id = l.customer_id AND (c.balance_date IS NULL OR l.date >= c.balance_date)
            """, ct);
        var counts = await FeedSql.CountsAsync(connection, transaction, "feed_merged", ct);
        await outbox.InsertAsync<DailyBalancesRecorded>("""
            SELECT (branch_code, date, chunk) AS sort, jsonb_build_object(
                'branchCode', branch_code, 'date', date, 'chunk', chunk, 'chunkCount', chunk_count,
                'balances', jsonb_agg(jsonb_build_object('customerId', customer_id, 'customerNumber', customer_number,
                    'deposit', deposit, 'wealth', wealth) ORDER BY customer_number)) AS body
            FROM (
                SELECT c.branch_code, m.date, m.customer_id, c.customer_number, m.deposit, m.wealth,
                       (row_number() OVER w - 1) / @chunk_size + 1 AS chunk,
                       (count(*) OVER (PARTITION BY c.branch_code, m.date) + @chunk_size - 1) / @chunk_size AS chunk_count
                FROM feed_merged m JOIN customers c ON c.id = m.customer_id
                WINDOW w AS (PARTITION BY c.branch_code, m.date ORDER BY c.customer_number)) AS numbered
            GROUP BY branch_code, date, chunk, chunk_count
            """, ct, new NpgsqlParameter("chunk_size", ChunkSize));
        await tiers.RecalculateAsync(connection, transaction, outbox, "SELECT DISTINCT customer_id FROM feed_merged", ct);
        return counts;
    }
}
