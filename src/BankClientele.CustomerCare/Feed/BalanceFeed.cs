using System.Runtime.InteropServices;
using System.Text.Json;
using BankClientele.Contracts.CustomerCare;
using BankClientele.CustomerCare.Tiers;
using BankClientele.Hosting.Time;
using BankClientele.Hosting.Messaging;
using BankClientele.Hosting.Refusals;
using Npgsql;
using NpgsqlTypes;

namespace BankClientele.CustomerCare.Feed;

/// <summary>
/// The daily balances file: one row per customer and day. New or changed balances are published
/// as DailyBalancesRecorded, one message per branch and day in chunks, and those of converted
/// customers also as ConvertedCustomerDeposits; the customers' latest balances, average assets and tiers follow.
/// </summary>
public sealed class BalanceFeed(ITierRecalculation tiers) : FeedKind
{
    /// <summary>Balances per DailyBalancesRecorded message (the book's <see cref="Book.CustomerBalances.PerMessage"/>).</summary>
    public const int ChunkSize = Book.CustomerBalances.PerMessage;

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
        var number = row.Key(Number, 30);
        var date = row.Date(Date, required: true);
        if (date > today)
        {
            row.Fail(Date, FieldReasons.InTheFuture, $"{date:yyyy-MM-dd} is in the future.");
        }
        var deposit = row.Amount(Deposit);
        var wealth = row.Amount(Wealth);
        if (!row.Ok || writer is null)
        {
            return row.Ok;
        }
        var customer = file.Customer(number);
        file.Add(date!.Value, customer, deposit, wealth);
        await writer.StartRowAsync(ct);
        await writer.WriteAsync(row.Line, NpgsqlDbType.Integer, ct);
        await writer.WriteAsync(file.Numbers[customer], NpgsqlDbType.Text, ct);
        await writer.WriteAsync(file.Ids[customer], NpgsqlDbType.Uuid, ct);
        await writer.WriteAsync(date.Value, NpgsqlDbType.Date, ct);
        await writer.WriteAsync(deposit, NpgsqlDbType.Numeric, ct);
        await writer.WriteAsync(wealth, NpgsqlDbType.Numeric, ct);
        return true;
    }

    private readonly DateOnly today = BranchClock.System.Today;

    // The file's balances, also kept compactly in memory (20 bytes a row): the events, the latest
    // balances and the customers to re-tier are built from them, without sorting the file again in SQL.
    private readonly BalanceFile file = new();

    /// <summary>
    /// Only the unknown customers are checked before the merge: a balance repeated in the file breaks
    /// the merge's key (unique violation, or ON CONFLICT meeting a row twice), which is rare, so the
    /// costly check over the whole file (<see cref="DuplicatesSql"/>) runs only then, to name the lines.
    /// </summary>
    public override string ValidationSql => """
        SELECT s.line, 'customer_number' AS field, 'No customer ' || s.customer_number || ' in the book: import the customers first.' AS message, 'unknown' AS code
        FROM feed_balances s WHERE NOT EXISTS (SELECT 1 FROM customers c WHERE c.id = s.customer_id)
        """;

    private const string DuplicatesSql = """
        SELECT line, 'date' AS field, 'The customer''s balance for this day appears more than once in the file (first on line ' || first || ').' AS message, 'duplicate' AS code
        FROM (SELECT line, min(line) OVER (PARTITION BY customer_id, date) AS first FROM feed_balances) AS d
        WHERE line > first
        ORDER BY line
        """;

    public override async Task<MergeCounts> MergeAsync(NpgsqlConnection connection, NpgsqlTransaction transaction, SqlOutbox outbox, CancellationToken ct)
    {
        if (file.Days.Count == 0)
        {
            return new MergeCounts(0, 0);
        }
        // Days of the file the book holds no balance for (a first load, each new day's file): all
        // their rows are new, so they go in with a plain INSERT (no conflict check, no copy of what
        // was written); other days merge, keeping only what changed. Both in primary-key order: the
        // index pages are written in sequence rather than at random.
        var fileDays = file.Days.Keys.Order().Select(DateOnly.FromDayNumber).ToArray();
        var newDays = new HashSet<int>();
        await using (var query = new NpgsqlCommand(
            "SELECT d FROM unnest(@days) AS d WHERE NOT EXISTS (SELECT 1 FROM daily_balances b WHERE b.date = d)", connection, transaction))
        {
            query.Parameters.AddWithValue("days", fileDays);
            await using var reader = await query.ExecuteReaderAsync(ct);
            while (await reader.ReadAsync(ct))
            {
                newDays.Add(reader.GetFieldValue<DateOnly>(0).DayNumber);
            }
        }
        var allNew = newDays.Count == fileDays.Length;
        int inserted = 0, updated = 0;
        await transaction.SaveAsync("balances", ct);
        try
        {
            if (newDays.Count > 0)
            {
                await FeedSql.ExecuteAsync(connection, transaction, "CREATE TEMP TABLE feed_new_dates ON COMMIT DROP AS SELECT unnest(@new) AS date", ct,
                    new NpgsqlParameter("new", newDays.Order().Select(DateOnly.FromDayNumber).ToArray()));
                inserted = await FeedSql.ExecuteAsync(connection, transaction, $"""
                    INSERT INTO daily_balances (customer_id, date, deposit, wealth)
                    SELECT s.customer_id, s.date, s.deposit, s.wealth FROM feed_balances s
                    {(allNew ? "" : "JOIN feed_new_dates n ON n.date = s.date")}
                    ORDER BY s.customer_id, s.date
                    """, ct);
            }
            if (!allNew)
            {
                await FeedSql.ExecuteAsync(connection, transaction, $"""
                    CREATE TEMP TABLE feed_changed ON COMMIT DROP AS
                    SELECT NULL::uuid AS customer_id, NULL::date AS date, 0::numeric AS deposit, 0::numeric AS wealth, false AS inserted LIMIT 0;
                    WITH merged AS (
                        INSERT INTO daily_balances AS b (customer_id, date, deposit, wealth)
                        SELECT customer_id, date, deposit, wealth FROM feed_balances s
                        {(newDays.Count == 0 ? "" : "WHERE NOT EXISTS (SELECT 1 FROM feed_new_dates n WHERE n.date = s.date)")}
                        ORDER BY customer_id, date
                        ON CONFLICT (customer_id, date) DO UPDATE SET deposit = EXCLUDED.deposit, wealth = EXCLUDED.wealth
                        WHERE (b.deposit, b.wealth) IS DISTINCT FROM (EXCLUDED.deposit, EXCLUDED.wealth)
                        RETURNING b.customer_id, b.date, b.deposit, b.wealth, (b.xmax = 0) AS inserted)
                    INSERT INTO feed_changed SELECT customer_id, date, deposit, wealth, inserted FROM merged
                    """, ct);
            }
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
                    errors.Add(reader.GetInt32(0), reader.GetString(1), reader.GetString(3), reader.GetString(2));
                }
            }
            throw errors.Any ? new FeedRejectedException(errors) : e;
        }

        Mark("merge.balances");
        // What was merged, in memory: the new days as read, and of the other days what changed.
        file.KeepOnly(newDays);
        if (!allNew)
        {
            await using var changed = new NpgsqlCommand("SELECT customer_id, date, deposit, wealth, inserted FROM feed_changed", connection, transaction);
            await using var reader = await changed.ExecuteReaderAsync(ct);
            while (await reader.ReadAsync(ct))
            {
                file.Add(reader.GetFieldValue<DateOnly>(1), file.CustomerOf(reader.GetGuid(0)), reader.GetDecimal(2), reader.GetDecimal(3));
                if (reader.GetBoolean(4))
                {
                    inserted++;
                }
                else
                {
                    updated++;
                }
            }
        }
        var merged = new Merged(file);
        if (merged.Customers.Length > 0)
        {
            // The latest balances known, for lists and the 360 view; and the customers to re-tier.
            await FeedSql.ExecuteAsync(connection, transaction, """
                UPDATE customers c SET deposit_balance = l.deposit, wealth_balance = l.wealth, balance_date = l.date
                FROM unnest(@ids, @dates, @deposits, @wealths) AS l(customer_id, date, deposit, wealth)
                WHERE c.id = l.customer_id AND (c.balance_date IS NULL OR l.date >= c.balance_date);
                CREATE TEMP TABLE feed_touched ON COMMIT DROP AS SELECT unnest(@ids) AS customer_id;
                ANALYZE feed_touched;
                """, ct,
                new NpgsqlParameter("ids", merged.Customers.Select(c => file.Ids[c]).ToArray()),
                new NpgsqlParameter("dates", merged.Customers.Select(c => DateOnly.FromDayNumber(merged.LatestDay[c])).ToArray()),
                new NpgsqlParameter("deposits", merged.Customers.Select(c => BalanceFile.Yuan(merged.Latest[c].Deposit)).ToArray()),
                new NpgsqlParameter("wealths", merged.Customers.Select(c => BalanceFile.Yuan(merged.Latest[c].Wealth)).ToArray()));
        }
        Mark("merge.latest");
        if (merged.Customers.Length == 0)
        {
            return new MergeCounts(inserted, updated);
        }
        await WriteEventsAsync(connection, transaction, outbox, merged, ct);
        Mark("merge.events");
        await tiers.RecalculateAsync(connection, transaction, outbox, "SELECT customer_id FROM feed_touched", ct);
        Mark("merge.tiers");
        return new MergeCounts(inserted, updated);
    }

    /// <summary>The merged balances' customers, each with their latest merged balance.</summary>
    private sealed class Merged
    {
        public Merged(BalanceFile file)
        {
            LatestDay = new int[file.Numbers.Count];
            Array.Fill(LatestDay, int.MinValue);
            Latest = new BalanceEntry[file.Numbers.Count];
            foreach (var (day, balances) in file.Days)
            {
                foreach (var b in balances)
                {
                    if (day > LatestDay[b.Customer])
                    {
                        LatestDay[b.Customer] = day;
                        Latest[b.Customer] = b;
                    }
                }
            }
            Customers = Enumerable.Range(0, LatestDay.Length).Where(c => LatestDay[c] != int.MinValue).ToArray();
        }

        /// <summary>Day numbers (int.MinValue: nothing merged for the customer).</summary>
        public int[] LatestDay { get; }

        public BalanceEntry[] Latest { get; }

        public int[] Customers { get; }
    }

    /// <summary>
    /// DailyBalancesRecorded, one per branch and day in chunks of <see cref="ChunkSize"/>, balances by
    /// customer number; written by binary COPY in (branch, day, chunk) order.
    /// </summary>
    private async Task WriteEventsAsync(NpgsqlConnection connection, NpgsqlTransaction transaction, SqlOutbox outbox, Merged merged, CancellationToken ct)
    {
        var branchOf = new string?[file.Numbers.Count];
        // Locked (most already by the latest-balance update): a conversion linking one of them meanwhile waits for this
        // import, then sends what it committed (ProspectConvertedConsumer).
        var converted = new List<int>();
        await using (var query = new NpgsqlCommand("SELECT id, branch_code, source_prospect_id IS NOT NULL FROM customers WHERE id = ANY(@ids) FOR SHARE", connection, transaction))
        {
            query.Parameters.AddWithValue("ids", merged.Customers.Select(c => file.Ids[c]).ToArray());
            await using var reader = await query.ExecuteReaderAsync(ct);
            while (await reader.ReadAsync(ct))
            {
                var customer = file.CustomerOf(reader.GetGuid(0));
                branchOf[customer] = reader.GetString(1);
                if (reader.GetBoolean(2))
                {
                    converted.Add(customer);
                }
            }
        }
        await WriteConvertedDepositsAsync(outbox, converted, ct);
        // Each customer's rank by (branch, number): a day sorted by it holds each branch's balances together, in number order.
        var ranked = merged.Customers.OrderBy(c => branchOf[c], StringComparer.Ordinal).ThenBy(c => file.Numbers[c], StringComparer.Ordinal).ToArray();
        var rank = new int[file.Numbers.Count];
        for (var i = 0; i < ranked.Length; i++)
        {
            rank[ranked[i]] = i;
        }
        var branches = ranked.Select(c => branchOf[c]!).Distinct().ToArray();
        var days = file.Days.Keys.Order().ToArray();
        // Per day: its balances sorted, and where each branch's run of them starts.
        var starts = new int[days.Length][];
        var sorted = new BalanceEntry[days.Length][];
        for (var d = 0; d < days.Length; d++)
        {
            var balances = CollectionsMarshal.AsSpan(file.Days[days[d]]).ToArray();
            var keys = balances.Select(b => rank[b.Customer]).ToArray();
            Array.Sort(keys, balances);
            sorted[d] = balances;
            var start = starts[d] = new int[branches.Length + 1];
            var i = 0;
            for (var b = 0; b < branches.Length; b++)
            {
                start[b] = i;
                while (i < balances.Length && branchOf[balances[i].Customer] == branches[b])
                {
                    i++;
                }
            }
            start[branches.Length] = balances.Length;
            file.Days[days[d]] = [];
        }
        await using var copy = await outbox.BeginCopyAsync<DailyBalancesRecorded>(ct);
        for (var b = 0; b < branches.Length; b++)
        {
            for (var d = 0; d < days.Length; d++)
            {
                var run = sorted[d].AsMemory(starts[d][b], starts[d][b + 1] - starts[d][b]);
                var chunks = (run.Length + ChunkSize - 1) / ChunkSize;
                for (var chunk = 0; chunk < chunks; chunk++)
                {
                    var slice = run.Slice(chunk * ChunkSize, Math.Min(ChunkSize, run.Length - chunk * ChunkSize));
                    await copy.WriteAsync(file.Recorded(branches[b], DateOnly.FromDayNumber(days[d]), chunk + 1, chunks, slice.Span), ct);
                }
            }
        }
        await copy.CompleteAsync(ct);
    }

    /// <summary>
    /// The merged balances of customers a prospect converted into, for Acquisition: a few of the
    /// file's customers, so a few small messages instead of the network's balances.
    /// </summary>
    private async Task WriteConvertedDepositsAsync(SqlOutbox outbox, List<int> converted, CancellationToken ct)
    {
        if (converted.Count == 0)
        {
            return;
        }
        var wanted = converted.ToHashSet();
        var rows = file.Days.OrderBy(d => d.Key)
            .SelectMany(d => d.Value.Where(b => wanted.Contains(b.Customer)).Select(b => (Day: d.Key, b.Customer, b.Deposit)))
            .ToList();
        await using var copy = await outbox.BeginCopyAsync<ConvertedCustomerDeposits>(ct);
        foreach (var chunk in rows.Chunk(ChunkSize))
        {
            var message = new ConvertedCustomerDeposits(
                [.. chunk.Select(r => file.Ids[r.Customer])], [.. chunk.Select(r => DateOnly.FromDayNumber(r.Day))], [.. chunk.Select(r => BalanceFile.Yuan(r.Deposit))]);
            await copy.WriteAsync(JsonSerializer.SerializeToUtf8Bytes(message, ContractTypes.JsonOptions), ct);
        }
        await copy.CompleteAsync(ct);
    }
}
