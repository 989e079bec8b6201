using Microsoft.EntityFrameworkCore;

namespace BankClientele.Insights.Store;

/// <summary>
/// Keeps <c>daily_group_deposits</c> in step with the stored balances and customer attributes.
/// A chunk of balances only queues its branch-day; <see cref="UpliftStoreRegrouper"/> regroups a
/// branch's queued days together, and the rebuild job a marked branch's days grouped before its mark. Every write recomputes whole
/// rows from <c>daily_balances</c> (delete, then insert the sums), never adds to them, so a
/// redelivered or re-sent event cannot count twice. A branch's writes are serialised by an advisory
/// lock, so the consumers, the regrouper and the rebuild job of several replicas never interleave.
/// </summary>
public static class UpliftStore
{
    /// <summary>
    /// The dimensions a customer's deposits are summed by; <c>audience</c> splits campaign audiences from everyone else;
    /// <c>joined</c> splits everyone else by the month of their first balance (<c>yyyy-MM</c>; campaign audiences are its
    /// group <c>campaign</c>), so the lobby-event outcome can keep to the customers a branch already had: a customer who
    /// joins with a first deposit is not a change in the deposits of the branch's customers.
    /// </summary>
    public static readonly IReadOnlyList<string> Dimensions = ["branch", "tier", "manager", "segment", "lifecycle", "campaign", "audience", "joined"];

    /// <summary>The <c>joined</c> group of campaign audiences.</summary>
    public const string JoinedCampaign = "campaign";

    /// <summary>
    /// Dimensions whose groups span branches: their network totals are also kept, under branch
    /// <see cref="Network"/>, so head office's query reads one row per group and day. The others'
    /// groups belong to one branch each (a manager's book; a branch's pool is <c>pool:BRANCH</c>).
    /// </summary>
    public static readonly IReadOnlyList<string> SharedDimensions = ["tier", "segment", "lifecycle", "campaign", "audience"];

    /// <summary>The branch code of the network totals.</summary>
    public const string Network = "*";

    /// <summary>
    /// Regroups the branch's earliest <paramref name="limit"/> pending days (<see cref="MarkPendingAsync"/>) in one
    /// statement, then their network totals.
    /// The pending rows are taken under the branch's lock, which every chunk holds from its mark until it commits:
    /// what is taken is committed, and a chunk landing meanwhile marks its day again for the next pass.
    /// </summary>
    /// <returns>The days regrouped.</returns>
    public static async Task<int> RegroupPendingAsync(InsightsDbContext db, string branchCode, int limit, CancellationToken ct)
    {
        await LockBranchAsync(db, branchCode, ct);
        var days = await db.Database.SqlQuery<DateOnly>($"""
            DELETE FROM uplift_pending_days WHERE branch_code = {branchCode}
              AND day IN (SELECT day FROM uplift_pending_days WHERE branch_code = {branchCode} ORDER BY day LIMIT {limit})
            RETURNING day AS "Value"
            """).ToArrayAsync(ct);
        if (days.Length == 0)
        {
            return 0;
        }
        Array.Sort(days);
        await RegroupDaysAsync(db, branchCode, days, ct);
        return days.Length;
    }

    /// <summary>
    /// The days of one branch that a change of its customers' attributes or campaigns left stale (<see cref="MarkStaleAsync"/>):
    /// those grouped by a statement that may not have seen the newest marking transaction. A feed's days grouped after the
    /// mark are not grouped again. The mark is taken (deleted) first, waiting for a marker still running, so that every
    /// mark taken is committed and seen below; a branch marked meanwhile stays marked for the next run.
    /// </summary>
    /// <returns>The days regrouped, or null when the branch was not marked (any more).</returns>
    public static async Task<int?> RebuildBranchAsync(InsightsDbContext db, string branchCode, CancellationToken ct)
    {
        await LockBranchAsync(db, branchCode, ct);
        var marks = await db.Database.SqlQuery<long?>(
            $"DELETE FROM uplift_stale_branches WHERE branch_code = {branchCode} RETURNING marked_xid AS \"Value\"").ToListAsync(ct);
        if (marks.Count == 0)
        {
            return null;
        }
        var markedXid = marks[0];
        var days = await db.BranchDailyDeposits
            .Where(d => d.BranchCode == branchCode && (markedXid == null || d.GroupedXmin == null || d.GroupedXmin <= markedXid))
            .Select(d => d.Day).OrderBy(d => d).ToArrayAsync(ct);
        if (days.Length > 0)
        {
            // Regrouped here: not again by the regrouper.
            await db.Database.ExecuteSqlAsync($"DELETE FROM uplift_pending_days WHERE branch_code = {branchCode} AND day = ANY({days})", ct);
            await RegroupDaysAsync(db, branchCode, days, ct);
        }
        return days.Length;
    }

    /// <summary>
    /// Replaces the grouped rows of the branch's <paramref name="days"/> (sorted) and their network totals, and stamps the
    /// days with the oldest transaction still running (<see cref="BranchDailyDeposits.GroupedXmin"/>), taken before the
    /// grouping statement, so that whatever ended below it is in what that statement reads.
    /// </summary>
    private static async Task RegroupDaysAsync(InsightsDbContext db, string branchCode, DateOnly[] days, CancellationToken ct)
    {
        await db.Database.ExecuteSqlAsync($"""
            UPDATE branch_daily_deposits SET grouped_xmin = pg_snapshot_xmin(pg_current_snapshot())::text::bigint
            WHERE branch_code = {branchCode} AND day = ANY({days})
            """, ct);
        await db.Database.ExecuteSqlAsync($"DELETE FROM daily_group_deposits WHERE branch_code = {branchCode} AND day = ANY({days})", ct);
        await GroupDaysAsync(db, branchCode, days, ct);
        await RecomputeNetworkAsync(db, days, ct);
    }

    /// <summary>Regroups of this many days or more hash the customer tables whatever the planner's statistics say.</summary>
    private const int ManyDays = 8;

    /// <summary>
    /// Inserts the grouped rows of the branch's <paramref name="days"/> (deleted before) from the stored balances: each
    /// balance counted once in each dimension, and again in its campaign arms. The balances are summed first by day and
    /// the customer's whole combination of groups (a few dozen a branch-day), and only those sums are spread over the
    /// dimensions: a fifth of the work of spreading every balance over them.
    /// </summary>
    private static async Task GroupDaysAsync(InsightsDbContext db, string branchCode, DateOnly[] days, CancellationToken ct)
    {
        // Compiling the statement (JIT) costs a third of a second, more than it saves at a branch's size.
        await db.Database.ExecuteSqlRawAsync("SET LOCAL jit = off", ct);
        if (days.Length >= ManyDays)
        {
            // A backlog of days (a year's feed, a rebuild) reads about as many balances as there are customers or more: a
            // hash of each customer table is the plan. The planner picks a lookup per balance instead when the statistics
            // predate the branch's newest rows, as they do all through a feed's flood (five times slower, measured).
            await db.Database.ExecuteSqlRawAsync("SET LOCAL enable_nestloop = off", ct);
        }
        await db.Database.ExecuteSqlAsync($"""
            WITH combinations AS (
                SELECT b.day,
                       coalesce(a.tier, 'unknown') AS tier,
                       coalesce(a.relationship_manager_id, 'pool:' || b.branch_code) AS manager,
                       coalesce(a.segment, 'unknown') AS segment,
                       coalesce(a.lifecycle_stage, 'unknown') AS lifecycle,
                       ca.customer_id IS NOT NULL AS in_campaign,
                       CASE WHEN ca.customer_id IS NULL THEN date_trunc('month', coalesce(f.first_day, b.day))::date END AS joined_month,
                       count(*) AS customers, sum(b.deposit) AS deposit
                FROM daily_balances b
                LEFT JOIN customer_attributes a ON a.customer_id = b.customer_id
                LEFT JOIN (SELECT DISTINCT customer_id FROM campaign_audience) ca ON ca.customer_id = b.customer_id
                LEFT JOIN customer_first_balances f ON f.customer_id = b.customer_id
                WHERE b.branch_code = {branchCode} AND b.day = ANY({days})
                GROUP BY 1, 2, 3, 4, 5, 6, 7)
            INSERT INTO daily_group_deposits (dimension, day, branch_code, group_key, customers, deposit)
            SELECT g.dimension, c.day, {branchCode}, g.group_key, sum(c.customers), sum(c.deposit)
            FROM combinations c
            CROSS JOIN LATERAL (VALUES
                ('branch', {branchCode}),
                ('tier', c.tier),
                ('manager', c.manager),
                ('segment', c.segment),
                ('lifecycle', c.lifecycle),
                ('audience', CASE WHEN c.in_campaign THEN 'campaign' ELSE 'none' END),
                ('joined', CASE WHEN c.in_campaign THEN {JoinedCampaign} ELSE to_char(c.joined_month, 'YYYY-MM') END)
            ) AS g(dimension, group_key)
            GROUP BY g.dimension, c.day, g.group_key
            UNION ALL
            SELECT 'campaign', b.day, b.branch_code, c.campaign_code || CASE WHEN c.treated THEN ':treated' ELSE ':holdout' END, count(*), sum(b.deposit)
            FROM campaign_audience c
            JOIN daily_balances b ON b.customer_id = c.customer_id AND b.day = ANY({days})
            WHERE b.branch_code = {branchCode}
            GROUP BY b.day, b.branch_code, c.campaign_code, c.treated
            """, ct);
    }

    /// <summary>The network totals of the shared dimensions over a range of days (see the overload by days).</summary>
    public static Task RecomputeNetworkAsync(InsightsDbContext db, DateOnly from, DateOnly to, CancellationToken ct) =>
        RecomputeNetworkAsync(db, [.. Enumerable.Range(0, to.DayNumber - from.DayNumber + 1).Select(from.AddDays)], ct);

    /// <summary>
    /// The network totals of the shared dimensions on some days, summed from the branches' rows. Taken last in a
    /// transaction, after the branch's lock, under one lock of its own (so writers of different branches never deadlock
    /// and never interleave these rows).
    /// </summary>
    public static async Task RecomputeNetworkAsync(InsightsDbContext db, DateOnly[] days, CancellationToken ct)
    {
        await LockBranchAsync(db, Network, ct);
        var shared = SharedDimensions.ToArray();
        await db.Database.ExecuteSqlAsync(
            $"DELETE FROM daily_group_deposits WHERE branch_code = {Network} AND day = ANY({days})", ct);
        await db.Database.ExecuteSqlAsync($"""
            INSERT INTO daily_group_deposits (dimension, day, branch_code, group_key, customers, deposit)
            SELECT dimension, day, {Network}, group_key, sum(customers), sum(deposit)
            FROM daily_group_deposits
            WHERE dimension = ANY({shared}) AND day = ANY({days}) AND branch_code <> {Network}
            GROUP BY dimension, day, group_key
            """, ct);
    }

    /// <summary>
    /// Keeps the first balance day of customers (<c>customer_first_balances</c>) from balances given as (customer, day)
    /// columns. When they hold an earlier first balance of a customer who so far joined in a later month (days arriving out
    /// of order), the rows of their later days are grouped under that later month: the branch must be marked for the
    /// rebuild job (true). The caller marks it after taking the branch's lock, as the rebuild job takes them: lock, then mark.
    /// </summary>
    public static async Task<bool> RecordFirstBalancesAsync(InsightsDbContext db, Guid[] customers, DateOnly[] days, CancellationToken ct)
    {
        // Each customer's earliest day here, in key order, so that two batches of the same customers lock their rows in the same order.
        var earliest = new Dictionary<Guid, DateOnly>(customers.Length);
        for (var i = 0; i < customers.Length; i++)
        {
            if (!earliest.TryGetValue(customers[i], out var day) || days[i] < day)
            {
                earliest[customers[i]] = days[i];
            }
        }
        var ids = earliest.Keys.Order().ToArray();
        var firstDays = ids.Select(id => earliest[id]).ToArray();
        await db.Database.ExecuteSqlAsync($"""
            INSERT INTO customer_first_balances (customer_id, first_day)
            SELECT id, day FROM unnest({ids}::uuid[], {firstDays}::date[]) AS c(id, day)
            ON CONFLICT (customer_id) DO NOTHING
            """, ct);
        // Per customer moved: whether the first day moved back past the start of a month.
        var moved = await db.Database.SqlQuery<bool>($"""
            UPDATE customer_first_balances f SET first_day = was.day
            FROM (SELECT c.id, c.day, f.first_day AS previous
                  FROM unnest({ids}::uuid[], {firstDays}::date[]) AS c(id, day)
                  JOIN customer_first_balances f ON f.customer_id = c.id AND f.first_day > c.day
                  ORDER BY c.id) AS was
            WHERE f.customer_id = was.id AND f.first_day > was.day
            RETURNING was.previous >= (date_trunc('month', was.day) + interval '1 month')::date AS "Value"
            """).ToListAsync(ct);
        return moved.Contains(true);
    }

    /// <summary>
    /// Queues branch-days (given as columns) for <see cref="RegroupPendingAsync"/>. The caller holds their branches' locks
    /// (<see cref="LockBranchAsync"/>) and keeps them until the balances commit, so the regrouper never takes a mark
    /// whose balances are not yet committed.
    /// </summary>
    public static Task MarkPendingAsync(InsightsDbContext db, string[] branchCodes, DateOnly[] days, CancellationToken ct) =>
        db.Database.ExecuteSqlAsync($"""
            INSERT INTO uplift_pending_days (branch_code, day)
            SELECT DISTINCT b, d FROM unnest({branchCodes}::text[], {days}::date[]) AS p(b, d)
            ON CONFLICT DO NOTHING
            """, ct);

    /// <summary>Marks a branch for the rebuild job (in the consumer's transaction: the mark commits with the change).</summary>
    public static Task MarkStaleAsync(InsightsDbContext db, string branchCode, CancellationToken ct) => MarkStaleAsync(db, [branchCode], ct);

    /// <summary>
    /// Marks branches for the rebuild job, in key order (concurrent markers never deadlock), with this transaction's id:
    /// the newest marker's id is kept (a null, every day, stays).
    /// </summary>
    public static Task MarkStaleAsync(InsightsDbContext db, string[] branchCodes, CancellationToken ct) =>
        branchCodes.Length == 0 ? Task.CompletedTask : db.Database.ExecuteSqlAsync($"""
            INSERT INTO uplift_stale_branches (branch_code, marked_at, marked_xid)
            SELECT b, {DateTimeOffset.UtcNow}, pg_current_xact_id()::text::bigint
            FROM unnest({branchCodes.Distinct().Order(StringComparer.Ordinal).ToArray()}::text[]) AS b
            ON CONFLICT (branch_code) DO UPDATE SET marked_at = excluded.marked_at,
                marked_xid = CASE WHEN uplift_stale_branches.marked_xid IS NULL THEN NULL
                                  ELSE greatest(uplift_stale_branches.marked_xid, excluded.marked_xid) END
            """, ct);

    /// <summary>Serialises the writers of one branch's aggregates until the transaction ends.</summary>
    public static Task LockBranchAsync(InsightsDbContext db, string branchCode, CancellationToken ct) =>
        db.Database.ExecuteSqlAsync($"SELECT pg_advisory_xact_lock(hashtext('uplift-store:' || {branchCode}))", ct);
}
