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

    /// <summary>
    /// Only the unknown customers are checked before the merge: a balance repeated in the file breaks
    /// the merge's key (unique violation, or ON CONFLICT meeting a row twice), which is rare, so the
    /// costly check over the whole file (<see cref="DuplicatesSql"/>) runs only then, to name the lines.
    /// </summary>
    public override string ValidationSql => """
        SELECT s.line, 'customer_number' AS field, 'No customer ' || s.customer_number || ' in the book: import the customers first.' AS message
        FROM feed_balances s WHERE NOT EXISTS (SELECT 1 FROM customers c WHERE c.id = s.customer_id)
        """;

    private const string DuplicatesSql = """
        SELECT line, 'date' AS field, 'The customer''s balance for this day appears more than once in the file (first on line ' || first || ').' AS message
        FROM (SELECT line, min(line) OVER (PARTITION BY customer_id, date) AS first FROM feed_balances) AS d
        WHERE line > first
        ORDER BY line
        """;

    /// <summary>
    /// The merged rows: every row of a day the book had no balance for (inserted plainly), and the
    /// rows of other days that were new or changed (<c>feed_changed</c>, from the ON CONFLICT merge).
    /// </summary>
    private const string MergedSql = """
        (SELECT s.customer_id, s.date, s.deposit, s.wealth, true AS inserted FROM feed_balances s JOIN feed_new_dates n ON n.date = s.date
         UNION ALL
         SELECT customer_id, date, deposit, wealth, inserted FROM feed_changed)
        """;

    public override async Task<MergeCounts> MergeAsync(NpgsqlConnection connection, NpgsqlTransaction transaction, SqlOutbox outbox, CancellationToken ct)
    {
        // Days of the file the book holds no balance for (a first load, each new day's file): all
        // their rows are new, so they go in with a plain INSERT (no conflict check, no copy of what
        // was written); other days merge, keeping only what changed. Both in primary-key order: the
        // index pages are written in sequence rather than at random.
        await transaction.SaveAsync("balances", ct);
        try
        {
            await FeedSql.ExecuteAsync(connection, transaction, """
                CREATE TEMP TABLE feed_new_dates ON COMMIT DROP AS
                SELECT d.date FROM (SELECT DISTINCT date FROM feed_balances) AS d
                WHERE NOT EXISTS (SELECT 1 FROM daily_balances b WHERE b.date = d.date);
                INSERT INTO daily_balances (customer_id, date, deposit, wealth)
                SELECT s.customer_id, s.date, s.deposit, s.wealth FROM feed_balances s JOIN feed_new_dates n ON n.date = s.date
                ORDER BY s.customer_id, s.date;
                CREATE TEMP TABLE feed_changed ON COMMIT DROP AS
                SELECT NULL::uuid AS customer_id, NULL::date AS date, 0::numeric AS deposit, 0::numeric AS wealth, false AS inserted LIMIT 0;
                WITH merged AS (
                    INSERT INTO daily_balances AS b (customer_id, date, deposit, wealth)
                    SELECT customer_id, date, deposit, wealth FROM feed_balances s
                    WHERE NOT EXISTS (SELECT 1 FROM feed_new_dates n WHERE n.date = s.date)
                    ORDER BY customer_id, date
                    ON CONFLICT (customer_id, date) DO UPDATE SET deposit = EXCLUDED.deposit, wealth = EXCLUDED.wealth
                    WHERE (b.deposit, b.wealth) IS DISTINCT FROM (EXCLUDED.deposit, EXCLUDED.wealth)
                    RETURNING b.customer_id, b.date, b.deposit, b.wealth, (b.xmax = 0) AS inserted)
                INSERT INTO feed_changed SELECT customer_id, date, deposit, wealth, inserted FROM merged;
                ANALYZE feed_new_dates, feed_changed;
                """, ct);
        }
        catch (PostgresException e) when (e.SqlState is PostgresErrorCodes.UniqueViolation or PostgresErrorCodes.CardinalityViolation)
        {
            // A balance twice in the file: find every such line, and refuse the file whole.
            await transaction.RollbackAsync("balances", ct);
            var errors = new FeedErrors();
            await using (var duplicates = new NpgsqlCommand(DuplicatesSql, connection, transaction) { CommandTimeout = 0 })
            await using (var reader = await duplicates.ExecuteReaderAsync(ct))
            {
                while (await reader.ReadAsync(ct))
                {
                    errors.Add(reader.GetInt32(0), reader.GetString(1), reader.GetString(2));
                }
            }
            throw errors.Any ? new FeedRejectedException(errors) : e;
        }
        await FeedSql.ExecuteAsync(connection, transaction, $"""
            -- The latest balances known, for lists and the 360 view.
            UPDATE customers c SET deposit_balance = l.deposit, wealth_balance = l.wealth, balance_date = l.date
            FROM (SELECT DISTINCT ON (customer_id) customer_id, date, deposit, wealth FROM {MergedSql} AS m ORDER BY customer_id, date DESC) AS l
            WHERE c.id = l.customer_id AND (c.balance_date IS NULL OR l.date >= c.balance_date)
            """, ct);
        var counts = await FeedSql.CountsAsync(connection, transaction, $"{MergedSql} AS feed_merged", ct);
        Mark("merge.balances");
        // The bodies are written as text and parsed once (cheaper than building jsonb value by value);
        // customer numbers and branch codes go through to_json for their escaping.
        await outbox.InsertAsync<DailyBalancesRecorded>($$"""
            SELECT (branch_code, date, chunk) AS sort, ('{"branchCode":' || to_json(branch_code) || ',"date":"' || date || '","chunk":' || chunk
                || ',"chunkCount":' || chunk_count || ',"balances":[' || string_agg('{"customerId":"' || customer_id || '","customerNumber":'
                || to_json(customer_number) || ',"deposit":' || deposit || ',"wealth":' || wealth || '}', ',' ORDER BY customer_number COLLATE "C")
                || ']}')::jsonb AS body
            FROM (
                SELECT c.branch_code, m.date, m.customer_id, c.customer_number, m.deposit, m.wealth,
                       (row_number() OVER w - 1) / @chunk_size + 1 AS chunk,
                       (count(*) OVER (PARTITION BY c.branch_code, m.date) + @chunk_size - 1) / @chunk_size AS chunk_count
                FROM {{MergedSql}} AS m JOIN customers c ON c.id = m.customer_id
                WINDOW w AS (PARTITION BY c.branch_code, m.date ORDER BY c.customer_number COLLATE "C")) AS numbered
            GROUP BY branch_code, date, chunk, chunk_count
            """, ct, new NpgsqlParameter("chunk_size", ChunkSize));
        Mark("merge.events");
        await tiers.RecalculateAsync(connection, transaction, outbox, $"SELECT DISTINCT customer_id FROM {MergedSql} AS feed_merged", ct);
        Mark("merge.tiers");
        return counts;
    }
}
