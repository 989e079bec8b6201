using System.Diagnostics;
using BankClientele.Contracts.CustomerCare;
using BankClientele.CustomerCare.Assignment;
using BankClientele.CustomerCare.Notifications;
using BankClientele.Hosting.Messaging;
using BankClientele.Hosting.Time;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;
using Npgsql;

namespace BankClientele.CustomerCare.Revisits;

/// <summary>What one nightly pass did.</summary>
public sealed record RevisitRunResult(DateOnly AsOf, int Scheduled, int FlightRisk, int Maturity, int Reminders, int ReturnedToPool, int RemindersQueued)
{
    public int Created => Scheduled + FlightRisk + Maturity;

    /// <summary>Each statement of the pass in order: what it did and how long it took (the benchmark prints them).</summary>
    public IReadOnlyList<RevisitStep> Steps { get; init; } = [];
}

/// <summary>One statement of the nightly pass: its rows and seconds.</summary>
public sealed record RevisitStep(string Name, int Rows, double Seconds);

/// <summary>
/// Nightly: creates the revisits that fall due (tier cadence, large outflows, maturing deposits) and
/// escalates the missed ones. Every step is one set-based statement; inserts go against the unique
/// "one open revisit per customer and reason" index with ON CONFLICT DO NOTHING, so any number of
/// instances running at once create each revisit once.
/// </summary>
/// <remarks>Without a hand-over (the benchmark) reminders are not queued to webhooks.</remarks>
public sealed class NightlyRevisitJob(CustomerCareDbContext db, IOptions<RevisitOptions> options, TimeProvider clock, IReminderHandOver? handOver = null)
{
    /// <summary>The recurring job's explicit id: every replica registers the same one.</summary>
    public const string RecurringJobId = "customercare-nightly-revisits";

    /// <summary>09:30 branch time (01:30 UTC, as before the schedules moved to branch time).</summary>
    public const string Cron = "30 9 * * *";

    /// <summary>
    /// Revisit ids are UUID v7 made in SQL: the pass's time, then random bits drawn once per statement,
    /// then the row's number in insert order. Rows are inserted in manager order (then customer), so the
    /// primary key and the manager and branch indexes are written page after page instead of at random
    /// (the cost of the pass is index maintenance; only the one-open index is written at random); the
    /// random bits keep two instances' ids apart.
    /// </summary>
    /// <summary>
    /// The holding's account number as FreeText.MaskNumbers masks it (first six, last four): a
    /// revisit's detail is free text, served to calendars and exports, never the whole number.
    /// </summary>
    private const string MaskedAccount =
        "(CASE WHEN length(h.account_number) >= 11 THEN left(h.account_number, 6) || repeat('*', length(h.account_number) - 10) || right(h.account_number, 4) " +
        "ELSE repeat('*', greatest(length(h.account_number) - 4, 0)) || right(h.account_number, 4) END)";

    private const string IdRandom = "SELECT lpad(to_hex((random() * 4095)::int), 3, '0') AS hex3, lpad(to_hex((random() * 1048575)::int), 5, '0') AS hex5";

    /// <summary>Who the assignment history names for a return to the branch pool.</summary>
    public const string PoolReturnChangedBy = "nightly-revisits";

    /// <summary>The Hangfire entry point (the date is the branch day when it fires).</summary>
    public Task RunAsync(CancellationToken ct) => RunAsync(null, ct);

    public async Task<RevisitRunResult> RunAsync(DateOnly? asOf, CancellationToken ct)
    {
        // One connection for the pass, set for its big statements: sorts and hashes over a million
        // customers stay in memory (not spilled to disk), and no JIT (compiling the expressions cost more
        // CPU than it saved: about 0.9 s of 10.8 at 1,000,000 customers).
        await db.Database.OpenConnectionAsync(ct);
        try
        {
            await db.Database.ExecuteSqlRawAsync("SET work_mem = '64MB'; SET jit = off", ct);
            return await PassAsync(asOf, ct);
        }
        finally
        {
            if (db.Database.GetDbConnection().State == System.Data.ConnectionState.Open)
            {
                await db.Database.ExecuteSqlRawAsync("RESET work_mem; RESET jit", CancellationToken.None);
            }
            await db.Database.CloseConnectionAsync();
        }
    }

    private async Task<RevisitRunResult> PassAsync(DateOnly? asOf, CancellationToken ct)
    {
        var o = options.Value;
        var now = clock.GetUtcNow();
        var today = asOf ?? BranchClock.DayOf(now);
        db.Database.SetCommandTimeout(TimeSpan.FromMinutes(10));
        var pool = o.PoolAfterOverdueDays.Where(kv => kv.Value > 0).ToArray();
        NpgsqlParameter[] Parameters() =>
        [
            new("today", today), new("now", now), new("horizon", today.AddDays(o.LookaheadDays)),
            new("pool_tiers", pool.Select(kv => kv.Key).ToArray()), new("pool_days", pool.Select(kv => kv.Value).ToArray()),
            new("pool_before", today.AddDays(-(pool.Length == 0 ? 0 : pool.Min(kv => kv.Value)))),
            new("window", o.FlightRiskWindowDays), new("min_drop", o.FlightRiskMinimumDrop), new("share", o.FlightRiskDropShare),
            new("maturity_window", o.MaturityWindowDays), new("lead_after", o.LeadNoticeAfterOverdueDays),
            new("changed_by", PoolReturnChangedBy), new("id_ms", now.ToUnixTimeMilliseconds()),
            new("risk_stages", o.AtRiskLifecycleStages), new("risk_alive", o.AtRiskProbabilityAlive),
            .. RevisitCadence.Parameters(o),
        ];
        var steps = new List<RevisitStep>();
        async Task<int> Timed(string step, Func<Task<int>> run)
        {
            var watch = Stopwatch.StartNew();
            var rows = await run();
            steps.Add(new RevisitStep(step, rows, Math.Round(watch.Elapsed.TotalSeconds, 3)));
            return rows;
        }
        Task<int> Run(string step, string sql) => Timed(step, () => db.Database.ExecuteSqlRawAsync(sql, Parameters(), ct));

        // Regular visits: the tier's cadence after the last completed visit (or joining), never
        // born overdue, created a week ahead so the agenda shows what is coming. A customer at risk
        // (RevisitRules.IsAtRisk) is visited on the shortened cadence of the one table (RevisitCadence).
        var scheduled = await Run("scheduled", $$"""
            INSERT INTO revisits (id, customer_id, branch_code, relationship_manager_id, reason, detail, due_on, status, created_at, escalation_level)
            SELECT (lpad(to_hex(@id_ms), 12, '0') || '7' || r.hex3 || '8' || r.hex5 || lpad(to_hex(row_number() OVER (ORDER BY c.relationship_manager_id, c.id)), 10, '0'))::uuid, c.id, c.branch_code, c.relationship_manager_id, 'scheduled',
                   c.tier || ': every ' || e.days || ' days' || CASE WHEN NOT e.at_risk THEN '' WHEN c.lifecycle_stage = ANY(@risk_stages) THEN ' (at risk: ' || c.lifecycle_stage || ')' ELSE ' (at risk: P(alive) ' || round(c.probability_alive::numeric, 2) || ')' END,
                   greatest(coalesce(v.last_on, (c.joined_at AT TIME ZONE '{{BranchClock.SqlZone}}')::date) + e.days, @today), 'Open', @now, 0
            FROM customers c
            JOIN {{RevisitCadence.Sql}} ON t.tier = c.tier
            CROSS JOIN LATERAL (
                SELECT r.at_risk, CASE WHEN r.at_risk THEN t.at_risk_days ELSE t.days END AS days
                FROM (SELECT coalesce(c.lifecycle_stage = ANY(@risk_stages) OR c.probability_alive < @risk_alive, false) AS at_risk) r) e
            LEFT JOIN (SELECT customer_id, max((completed_at AT TIME ZONE '{{BranchClock.SqlZone}}')::date) AS last_on
                       FROM revisits WHERE status = 'Completed' GROUP BY customer_id) v ON v.customer_id = c.id
            CROSS JOIN ({{IdRandom}}) r
            WHERE c.relationship_manager_id IS NOT NULL
              AND coalesce(v.last_on, (c.joined_at AT TIME ZONE '{{BranchClock.SqlZone}}')::date) + e.days <= @horizon
            ORDER BY c.relationship_manager_id, c.id
            ON CONFLICT DO NOTHING
            """);

        // Flight risk: deposits fell by the share and amount over the window up to the latest
        // balances known; once per window (a visit already made for it is not repeated).
        var flightRisk = await Run("flight-risk", $$"""
            -- The latest day as a scalar (an init plan): both days are then read by the date index,
            -- not the whole history of balances.
            WITH latest AS MATERIALIZED (SELECT (SELECT max(date) FROM daily_balances WHERE date <= @today) AS d)
            INSERT INTO revisits (id, customer_id, branch_code, relationship_manager_id, reason, detail, due_on, status, created_at, escalation_level)
            SELECT (lpad(to_hex(@id_ms), 12, '0') || '7' || r.hex3 || '8' || r.hex5 || lpad(to_hex(row_number() OVER (ORDER BY c.relationship_manager_id, c.id)), 10, '0'))::uuid, c.id, c.branch_code, c.relationship_manager_id, 'flight-risk',
                   'deposits ' || round(b0.deposit) || ' -> ' || round(b1.deposit) || ' in ' || @window || ' days', @today, 'Open', @now, 0
            FROM daily_balances b1
            JOIN daily_balances b0 ON b0.customer_id = b1.customer_id
            JOIN customers c ON c.id = b1.customer_id
            CROSS JOIN ({{IdRandom}}) r
            WHERE b1.date = (SELECT d FROM latest) AND b0.date = (SELECT d FROM latest) - @window
              AND c.relationship_manager_id IS NOT NULL
              AND b0.deposit > 0 AND b0.deposit - b1.deposit >= @min_drop AND b0.deposit - b1.deposit >= b0.deposit * @share
              AND NOT EXISTS (SELECT 1 FROM revisits x WHERE x.customer_id = c.id AND x.reason = 'flight-risk'
                              AND (x.created_at AT TIME ZONE '{{BranchClock.SqlZone}}')::date > (SELECT d FROM latest) - @window)
            ORDER BY c.relationship_manager_id, c.id
            ON CONFLICT DO NOTHING
            """);

        // A time deposit maturing soon: a visit a week before it matures (the earliest if several).
        var maturity = await Run("maturity", $$"""
            INSERT INTO revisits (id, customer_id, branch_code, relationship_manager_id, reason, detail, due_on, status, created_at, escalation_level)
            SELECT (lpad(to_hex(@id_ms), 12, '0') || '7' || r.hex3 || '8' || r.hex5 || lpad(to_hex(row_number() OVER (ORDER BY c.relationship_manager_id, c.id)), 10, '0'))::uuid, c.id, c.branch_code, c.relationship_manager_id, 'maturity', c.detail, c.due_on, 'Open', @now, 0
            FROM (
                SELECT DISTINCT ON (c.id) c.id, c.branch_code, c.relationship_manager_id,
                       h.product_code || ' ' || {{MaskedAccount}} || ' matures ' || h.matures_on AS detail, greatest(@today, h.matures_on - 7) AS due_on
                FROM holdings h
                JOIN customers c ON c.id = h.customer_id
                WHERE h.matures_on BETWEEN @today AND @today + @maturity_window
                  AND c.relationship_manager_id IS NOT NULL
                  AND NOT EXISTS (SELECT 1 FROM revisits x WHERE x.customer_id = c.id AND x.reason = 'maturity'
                                  AND (x.created_at AT TIME ZONE '{{BranchClock.SqlZone}}')::date >= h.matures_on - @maturity_window)
                ORDER BY c.id, h.matures_on) AS c
            CROSS JOIN ({{IdRandom}}) r
            ORDER BY c.relationship_manager_id, c.id
            ON CONFLICT DO NOTHING
            """);

        // Escalation, step by step: the manager on the first day overdue, the branch lead after a
        // few days. Each raise is a row update (concurrent passes serialise on the row) plus one
        // reminder per revisit and kind (a unique index).
        var reminders = await Run("escalation: manager reminders", """
            WITH raised AS (
                UPDATE revisits SET escalation_level = 1
                WHERE status = 'Open' AND escalation_level < 1 AND due_on < @today AND relationship_manager_id IS NOT NULL
                RETURNING id, branch_code, relationship_manager_id, customer_id, reason, due_on)
            INSERT INTO revisit_reminders (id, revisit_id, branch_code, kind, recipient, message, created_at)
            SELECT gen_random_uuid(), id, branch_code, 'manager-reminder', relationship_manager_id,
                   'Revisit overdue since ' || due_on || ' (' || reason || '), customer ' || customer_id, @now
            FROM raised
            ON CONFLICT DO NOTHING
            """);
        reminders += await Run("escalation: lead notices", """
            WITH raised AS (
                UPDATE revisits SET escalation_level = 2
                WHERE status = 'Open' AND escalation_level < 2 AND due_on <= @today - @lead_after AND relationship_manager_id IS NOT NULL
                RETURNING id, branch_code, relationship_manager_id, customer_id, reason, due_on)
            INSERT INTO revisit_reminders (id, revisit_id, branch_code, kind, recipient, message, created_at)
            SELECT gen_random_uuid(), id, branch_code, 'lead-notice', 'BL-' || branch_code,
                   relationship_manager_id || ' has not visited customer ' || customer_id || ' (' || reason || ') due ' || due_on, @now
            FROM raised
            ON CONFLICT DO NOTHING
            """);

        // Neglect past the tier's limit: the customer goes back to the branch pool (公海) for
        // reassignment. One statement (one snapshot): the note to the lead, which is the record of
        // who had the customer, the revisits released, the customer unassigned, and an assignment-history
        // entry (reason returned-to-pool) so the customer's history shows the move like any other.
        // In one transaction with the statement, a RelationshipManagerUnassigned per customer it unassigned goes into
        // the outbox (built in C# from the returned rows, with the customer's new assignment version).
        var returnedToPool = await Timed("escalation: back to the pool", () => ReturnToPoolAsync(Parameters(), now, ct));

        // The bell's inbox is the second channel beside the webhook (the first, when a branch has one).
        await Timed("notifications", () => NotificationWrites.FromRemindersAsync(db, now, ct));
        var queued = handOver is null ? 0 : await Timed("reminders queued", () => handOver.HandOverAsync(ct));
        return new RevisitRunResult(today, scheduled, flightRisk, maturity, reminders, returnedToPool, queued) { Steps = steps };
    }

    /// <summary>The neglected customers back to the pool; returns the notes written to the leads.</summary>
    private async Task<int> ReturnToPoolAsync(NpgsqlParameter[] parameters, DateTimeOffset now, CancellationToken ct)
    {
        var connection = (NpgsqlConnection)db.Database.GetDbConnection();
        await using var transaction = await connection.BeginTransactionAsync(ct);
        var notes = 0;
        var unassigned = new List<RelationshipManagerUnassigned>();
        await using (var command = new NpgsqlCommand(PoolReturnSql, connection, transaction) { CommandTimeout = 600 })
        {
            command.Parameters.AddRange(parameters);
            await using var reader = await command.ExecuteReaderAsync(ct);
            while (await reader.ReadAsync(ct))
            {
                notes = reader.GetInt32(0);
                if (!reader.IsDBNull(1))
                {
                    unassigned.Add(new RelationshipManagerUnassigned(reader.GetGuid(1), reader.GetString(2), reader.GetString(3),
                        AssignmentReasons.ReturnedToPool, now, reader.GetInt64(4)));
                }
            }
        }
        var outbox = new SqlOutbox(connection, transaction);
        if (unassigned.Count > 0)
        {
            await using var copy = await outbox.BeginCopyAsync<RelationshipManagerUnassigned>(ct);
            foreach (var message in unassigned)
            {
                await copy.WriteAsync(message, ct);
            }
            await copy.CompleteAsync(ct);
        }
        await outbox.NotifyAsync(ct);
        await transaction.CommitAsync(ct);
        return notes;
    }

    private const string PoolReturnSql = """
            WITH neglected AS MATERIALIZED (
                -- Only revisits overdue beyond the shortest limit meet the customers (not every open one).
                SELECT DISTINCT ON (r.customer_id) r.id AS revisit_id, r.customer_id, c.branch_code, c.relationship_manager_id, r.reason, r.due_on
                FROM revisits r
                JOIN customers c ON c.id = r.customer_id
                JOIN unnest(@pool_tiers::text[], @pool_days::int[]) AS p(tier, days) ON p.tier = c.tier
                WHERE r.status = 'Open' AND r.due_on < @pool_before AND r.due_on < @today - p.days AND c.relationship_manager_id IS NOT NULL
                ORDER BY r.customer_id, r.due_on),
            notes AS (
                INSERT INTO revisit_reminders (id, revisit_id, branch_code, kind, recipient, message, created_at)
                SELECT gen_random_uuid(), revisit_id, branch_code, 'returned-to-pool', 'BL-' || branch_code,
                       'Customer ' || customer_id || ' back to the branch pool: ' || relationship_manager_id || ' left a ' || reason || ' visit due ' || due_on || ' undone', @now
                FROM neglected
                ON CONFLICT DO NOTHING
                RETURNING 1),
            released AS (
                UPDATE revisits r SET status = 'Released', escalation_level = 3, relationship_manager_id = NULL
                FROM neglected n WHERE r.customer_id = n.customer_id AND r.status = 'Open'
                RETURNING 1),
            pooled AS (
                UPDATE customers c SET relationship_manager_id = NULL, assignment_version = c.assignment_version + 1
                FROM neglected n WHERE c.id = n.customer_id AND c.relationship_manager_id IS NOT NULL
                RETURNING n.customer_id, n.branch_code, n.relationship_manager_id, n.reason, n.due_on, c.assignment_version),
            history AS (
                -- From the rows this pass actually unassigned: a concurrent pass finds them taken and writes none.
                INSERT INTO assignment_changes (id, customer_id, branch_code, from_manager_id, to_manager_id, reason, note, changed_by, changed_at)
                SELECT gen_random_uuid(), customer_id, branch_code, relationship_manager_id, NULL, 'returned-to-pool',
                       left(reason || ' visit due ' || due_on || ' undone', 200), @changed_by, @now
                FROM pooled
                RETURNING 1)
            -- One row at least (the notes' count), then one per customer unassigned, in customer order.
            SELECT n.note_count, p.customer_id, p.branch_code, p.relationship_manager_id, p.assignment_version
            FROM (SELECT count(*)::int AS note_count FROM notes) n
            LEFT JOIN pooled p ON true
            ORDER BY p.customer_id
            """;
}
