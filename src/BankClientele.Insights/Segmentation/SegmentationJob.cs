using System.Diagnostics;
using System.Text.Json;
using BankClientele.Contracts.Insights;
using BankClientele.Insights.Clv;
using BankClientele.Hosting.Messaging;
using BankClientele.Hosting.Time;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Storage;
using Microsoft.Extensions.Options;
using Npgsql;
using NpgsqlTypes;

namespace BankClientele.Insights.Segmentation;

/// <summary>What a run did.</summary>
public sealed record SegmentationResult(Guid RunId, DateOnly AsOf, int Customers, int Updated, int Published, string Model,
    IReadOnlyDictionary<string, double> Parameters, double Seconds, IReadOnlyDictionary<string, double>? PhaseSeconds = null);

/// <summary>
/// The nightly segmentation, set-based. A bank customer's <b>transaction</b> is a day on which their
/// assets (deposit + wealth) rose against their previous recorded balance (a net inflow, worth the
/// inflow times <see cref="SegmentationOptions.Margin"/>); the first transaction is the customer's
/// first balance day in the window, or the day they were first seen (an account opened, or the
/// window's start for a customer known from before it), whichever is earlier. One query summarises each customer's window of balances (x, t_x, T, mean inflow, latest
/// assets); the repeat-transaction model (BG/NBD or Pareto/NBD) and Gamma-Gamma are fitted by maximum
/// likelihood on those summaries; predictions are computed once per distinct (x, t_x, T); RFM
/// quintiles, CLV band and lifecycle stage follow; the results are copied into a staging table and
/// merged in two statements: one writes an outbox row for each customer whose RFM cell, value segment
/// or lifecycle stage changed, the other updates the rows that differ. A second run over the same
/// data changes and publishes nothing.
/// </summary>
public sealed class SegmentationJob(InsightsDbContext db, TimeProvider clock, IOptions<SegmentationOptions> settings, ILogger<SegmentationJob> logger)
{
    /// <summary>The recurring job's explicit id: every replica registers the same one.</summary>
    public const string RecurringJobId = "insights-nightly-segmentation";

    private const int MinimumCustomersToFit = 20;

    private readonly SegmentationOptions options = settings.Value;

    /// <summary>For Hangfire (which cannot pass a token it does not have).</summary>
    public Task RunNightlyAsync() => RunAsync(CancellationToken.None);

    public async Task<SegmentationResult> RunAsync(CancellationToken ct)
    {
        var clockTime = Stopwatch.StartNew();
        var startedAt = clock.GetUtcNow();
        db.Database.SetCommandTimeout(TimeSpan.FromMinutes(30));
        await db.Database.OpenConnectionAsync(ct);
        try
        {
            await using var efTransaction = await db.Database.BeginTransactionAsync(ct);
            var connection = (NpgsqlConnection)db.Database.GetDbConnection();
            var transaction = (NpgsqlTransaction)efTransaction.GetDbTransaction();
            // One run at a time across replicas and the API: the second waits, then finds nothing to change.
            await ExecuteAsync(connection, transaction, "SELECT pg_advisory_xact_lock(7316001)", ct);
            var asOf = await LatestBalanceDayAsync(connection, transaction, ct) ?? BranchClock.DayOf(startedAt);
            var phases = new Dictionary<string, double>();
            var phase = Stopwatch.StartNew();
            void Lap(string name)
            {
                phases[name] = Math.Round(phase.Elapsed.TotalSeconds, 3);
                phase.Restart();
            }
            var facts = await ReadFactsAsync(connection, transaction, asOf, ct);
            Lap("read");
            var (segments, model, parameters) = Compute(facts, asOf, Lap);
            await CopyAsync(connection, transaction, segments, ct);
            Lap("copy");
            var published = await PublishChangesAsync(connection, transaction, startedAt, ct);
            Lap("publish");
            var updated = await MergeAsync(connection, transaction, startedAt, ct);
            Lap("merge");
            var result = new SegmentationResult(Guid.CreateVersion7(), asOf, facts.Count, updated, published, model, parameters, clockTime.Elapsed.TotalSeconds, phases);
            db.Set<SegmentationRun>().Add(new SegmentationRun
            {
                Id = result.RunId,
                StartedAt = startedAt,
                FinishedAt = clock.GetUtcNow(),
                AsOf = asOf,
                Customers = result.Customers,
                Updated = updated,
                Published = published,
                Model = model,
                Parameters = JsonSerializer.Serialize(parameters),
                Seconds = Math.Round(result.Seconds, 3),
            });
            await db.SaveChangesAsync(ct);
            if (published > 0)
            {
                await ExecuteAsync(connection, transaction, $"NOTIFY {Hosting.Database.ServiceDbContext.OutboxChannel}", ct);
            }
            await efTransaction.CommitAsync(ct);
            logger.LogInformation("Segmentation as of {AsOf}: {Customers} customers, {Updated} updated, {Published} events, {Seconds:0.0} s",
                asOf, result.Customers, updated, published, result.Seconds);
            return result;
        }
        finally
        {
            await db.Database.CloseConnectionAsync();
        }
    }

    /// <summary>A customer's window of activity, as the query summarises it.</summary>
    public readonly record struct CustomerFacts(Guid CustomerId, string BranchCode, DateOnly FirstTransaction, int RepeatTransactions,
        DateOnly LastTransaction, decimal RepeatInflows, decimal Assets);

    /// <summary>What the run writes for a customer.</summary>
    public readonly record struct ComputedSegment(Guid CustomerId, string BranchCode, string Rfm, byte R, byte F, byte M, int DaysSinceLastTransaction,
        int RepeatTransactions, decimal Assets, double ProbabilityAlive, double ExpectedTransactions, decimal Clv, string ValueSegment, string LifecycleStage, DateOnly AsOf);

    private static async Task<DateOnly?> LatestBalanceDayAsync(NpgsqlConnection connection, NpgsqlTransaction transaction, CancellationToken ct)
    {
        await using var command = new NpgsqlCommand("SELECT max(day) FROM daily_balances", connection, transaction);
        var value = await command.ExecuteScalarAsync(ct);
        return value is DateOnly day ? day : null;
    }

    private async Task<List<CustomerFacts>> ReadFactsAsync(NpgsqlConnection connection, NpgsqlTransaction transaction, DateOnly asOf, CancellationToken ct)
    {
        // One pass over the window of balances in key order (customer, day): lag gives each day's
        // inflow, lead marks the latest day; customers without balances keep their first-seen day.
        const string sql = """
            WITH d AS (
                SELECT customer_id, day, deposit + wealth AS assets,
                       deposit + wealth - lag(deposit + wealth) OVER w AS inflow,
                       lead(day) OVER w IS NULL AS latest
                FROM daily_balances
                WHERE day > @from AND day <= @as_of
                WINDOW w AS (PARTITION BY customer_id ORDER BY day)),
            f AS (
                SELECT customer_id, min(day) AS first_day,
                       count(*) FILTER (WHERE inflow > 0) AS repeats,
                       max(day) FILTER (WHERE inflow > 0) AS last_inflow,
                       coalesce(sum(inflow) FILTER (WHERE inflow > 0), 0) AS inflows,
                       coalesce(max(assets) FILTER (WHERE latest), 0) AS assets
                FROM d GROUP BY customer_id)
            SELECT c.customer_id, c.branch_code,
                   least(f.first_day, greatest(c.first_seen_at::date, @from + 1), @as_of) AS first_transaction,
                   coalesce(f.repeats, 0)::int, f.last_inflow, coalesce(f.inflows, 0), coalesce(f.assets, 0)
            FROM analytic_customers c LEFT JOIN f ON f.customer_id = c.customer_id
            """;
        await using var command = new NpgsqlCommand(sql, connection, transaction) { CommandTimeout = 0 };
        command.Parameters.AddWithValue("from", asOf.AddDays(-options.LookbackDays));
        command.Parameters.AddWithValue("as_of", asOf);
        var facts = new List<CustomerFacts>();
        await using var reader = await command.ExecuteReaderAsync(ct);
        while (await reader.ReadAsync(ct))
        {
            var first = reader.GetFieldValue<DateOnly>(2);
            var repeats = reader.GetInt32(3);
            var last = repeats > 0 && !reader.IsDBNull(4) ? reader.GetFieldValue<DateOnly>(4) : first;
            facts.Add(new CustomerFacts(reader.GetGuid(0), reader.GetString(1), first, repeats, last < first ? first : last,
                reader.GetDecimal(5), reader.GetDecimal(6)));
        }
        return facts;
    }

    /// <summary>The models, RFM, value band and lifecycle for every customer (pure: no database).</summary>
    public (ComputedSegment[] Segments, string Model, IReadOnlyDictionary<string, double> Parameters) Compute(IReadOnlyList<CustomerFacts> facts, DateOnly asOf,
        Action<string>? lap = null)
    {
        var n = facts.Count;
        var summaries = new RepeatSummary[n];
        for (var i = 0; i < n; i++)
        {
            var f = facts[i];
            var age = (asOf.DayNumber - f.FirstTransaction.DayNumber) / 7.0;
            var recency = f.RepeatTransactions > 0 ? (f.LastTransaction.DayNumber - f.FirstTransaction.DayNumber) / 7.0 : 0;
            var monetary = f.RepeatTransactions > 0 ? (double)f.RepeatInflows / f.RepeatTransactions * options.Margin : 0;
            summaries[i] = new RepeatSummary(string.Empty, f.RepeatTransactions, Math.Min(recency, age), age, monetary);
        }
        var model = CustomerLifetimeModel.Fit(summaries, options, MinimumCustomersToFit);
        lap?.Invoke("fit");
        var predictions = model.PredictDistinct(summaries);
        lap?.Invoke("predict");
        var recencyDays = new double[n];
        var frequency = new double[n];
        var assets = new double[n];
        for (var i = 0; i < n; i++)
        {
            recencyDays[i] = asOf.DayNumber - facts[i].LastTransaction.DayNumber;
            frequency[i] = facts[i].RepeatTransactions;
            assets[i] = (double)facts[i].Assets;
        }
        var r = RfmScoring.QuintilesLowerIsBetter(recencyDays);
        var fq = RfmScoring.QuintilesHigherIsBetter(frequency);
        var m = RfmScoring.QuintilesHigherIsBetter(assets);
        var segments = new ComputedSegment[n];
        Parallel.For(0, n, i =>
        {
            var f = facts[i];
            var (alive, expected, discounted) = predictions[i];
            var clv = discounted * model.ExpectedValue(summaries[i]);
            var stage = LifecycleRules.Stage(new LifecycleFacts(asOf.DayNumber - f.FirstTransaction.DayNumber, f.RepeatTransactions,
                (int)recencyDays[i], alive, f.Assets), options);
            segments[i] = new ComputedSegment(f.CustomerId, f.BranchCode, RfmScoring.Cell(r[i], fq[i], m[i]), r[i], fq[i], m[i], (int)recencyDays[i],
                f.RepeatTransactions, f.Assets, Math.Round(alive, 6), Math.Round(expected, 6), Math.Round((decimal)clv, 2),
                ValueSegments.Of(clv, options), stage, asOf);
        });
        lap?.Invoke("score");
        return (segments, model.Name, model.Parameters);
    }

    private static async Task CopyAsync(NpgsqlConnection connection, NpgsqlTransaction transaction, ComputedSegment[] segments, CancellationToken ct)
    {
        await ExecuteAsync(connection, transaction, """
            CREATE TEMP TABLE segment_staging (LIKE customer_segments INCLUDING DEFAULTS) ON COMMIT DROP;
            ALTER TABLE segment_staging DROP COLUMN changed_at;
            """, ct);
        await using (var import = await connection.BeginBinaryImportAsync("""
            COPY segment_staging (customer_id, branch_code, rfm, recency_score, frequency_score, monetary_score, days_since_last_transaction,
                repeat_transactions, assets, probability_alive, expected_transactions, clv, value_segment, lifecycle_stage, as_of) FROM STDIN (FORMAT BINARY)
            """, ct))
        {
            // Synchronous writes: the importer buffers, and per-field awaits cost more than the copy itself.
            foreach (var s in segments)
            {
                import.StartRow();
                import.Write(s.CustomerId, NpgsqlDbType.Uuid);
                import.Write(s.BranchCode, NpgsqlDbType.Varchar);
                import.Write(s.Rfm, NpgsqlDbType.Varchar);
                import.Write((short)s.R, NpgsqlDbType.Smallint);
                import.Write((short)s.F, NpgsqlDbType.Smallint);
                import.Write((short)s.M, NpgsqlDbType.Smallint);
                import.Write(s.DaysSinceLastTransaction, NpgsqlDbType.Integer);
                import.Write(s.RepeatTransactions, NpgsqlDbType.Integer);
                import.Write(s.Assets, NpgsqlDbType.Numeric);
                import.Write(s.ProbabilityAlive, NpgsqlDbType.Double);
                import.Write(s.ExpectedTransactions, NpgsqlDbType.Double);
                import.Write(s.Clv, NpgsqlDbType.Numeric);
                import.Write(s.ValueSegment, NpgsqlDbType.Varchar);
                import.Write(s.LifecycleStage, NpgsqlDbType.Varchar);
                import.Write(s.AsOf, NpgsqlDbType.Date);
            }
            await import.CompleteAsync(ct);
        }
        await ExecuteAsync(connection, transaction, "ANALYZE segment_staging", ct);
    }

    /// <summary>
    /// One outbox row per customer whose RFM cell, value segment or lifecycle stage changed (or who
    /// is new): the changed rows read in customer order and each serialised from the contract
    /// (<see cref="SqlOutbox"/>, as CustomerCare's feed does), so the relay publishes them in that order.
    /// </summary>
    private static Task<int> PublishChangesAsync(NpgsqlConnection connection, NpgsqlTransaction transaction, DateTimeOffset computedAt, CancellationToken ct) =>
        new SqlOutbox(connection, transaction).CopyAsync("""
            SELECT s.customer_id, s.branch_code, s.rfm, s.value_segment, s.lifecycle_stage, s.clv, s.probability_alive
            FROM segment_staging s LEFT JOIN customer_segments c ON c.customer_id = s.customer_id
            WHERE c.customer_id IS NULL
               OR (c.rfm, c.value_segment, c.lifecycle_stage) IS DISTINCT FROM (s.rfm, s.value_segment, s.lifecycle_stage)
            ORDER BY s.customer_id
            """, row => new CustomerSegmentChanged(row.GetGuid(0), row.GetString(1), row.GetString(2), row.GetString(3), row.GetString(4),
                row.GetDecimal(5), row.GetDouble(6), computedAt), ct);

    /// <summary>Inserts new customers and updates only the rows whose figures differ (a quiet night rewrites nothing).</summary>
    private static async Task<int> MergeAsync(NpgsqlConnection connection, NpgsqlTransaction transaction, DateTimeOffset at, CancellationToken ct)
    {
        const string sql = """
            INSERT INTO customer_segments AS c (customer_id, branch_code, rfm, recency_score, frequency_score, monetary_score,
                days_since_last_transaction, repeat_transactions, assets, probability_alive, expected_transactions, clv,
                value_segment, lifecycle_stage, as_of, changed_at)
            SELECT customer_id, branch_code, rfm, recency_score, frequency_score, monetary_score,
                days_since_last_transaction, repeat_transactions, assets, probability_alive, expected_transactions, clv,
                value_segment, lifecycle_stage, as_of, @at
            FROM segment_staging
            ON CONFLICT (customer_id) DO UPDATE SET
                branch_code = excluded.branch_code, rfm = excluded.rfm, recency_score = excluded.recency_score,
                frequency_score = excluded.frequency_score, monetary_score = excluded.monetary_score,
                days_since_last_transaction = excluded.days_since_last_transaction, repeat_transactions = excluded.repeat_transactions,
                assets = excluded.assets, probability_alive = excluded.probability_alive, expected_transactions = excluded.expected_transactions,
                clv = excluded.clv, value_segment = excluded.value_segment, lifecycle_stage = excluded.lifecycle_stage, as_of = excluded.as_of,
                changed_at = CASE WHEN (c.rfm, c.value_segment, c.lifecycle_stage) IS DISTINCT FROM (excluded.rfm, excluded.value_segment, excluded.lifecycle_stage)
                                  THEN excluded.changed_at ELSE c.changed_at END
            WHERE (c.branch_code, c.rfm, c.days_since_last_transaction, c.repeat_transactions, c.assets, c.probability_alive,
                   c.expected_transactions, c.clv, c.value_segment, c.lifecycle_stage, c.as_of)
                IS DISTINCT FROM (excluded.branch_code, excluded.rfm, excluded.days_since_last_transaction, excluded.repeat_transactions,
                   excluded.assets, excluded.probability_alive, excluded.expected_transactions, excluded.clv, excluded.value_segment,
                   excluded.lifecycle_stage, excluded.as_of)
            """;
        await using var command = new NpgsqlCommand(sql, connection, transaction) { CommandTimeout = 0 };
        command.Parameters.AddWithValue("at", at);
        return await command.ExecuteNonQueryAsync(ct);
    }

    private static async Task ExecuteAsync(NpgsqlConnection connection, NpgsqlTransaction transaction, string sql, CancellationToken ct)
    {
        await using var command = new NpgsqlCommand(sql, connection, transaction) { CommandTimeout = 0 };
        await command.ExecuteNonQueryAsync(ct);
    }
}
