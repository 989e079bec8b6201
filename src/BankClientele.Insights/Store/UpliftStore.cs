using Microsoft.EntityFrameworkCore;

namespace BankClientele.Insights.Store;

/// <summary>
/// Keeps <c>daily_group_deposits</c> in step with the stored balances and customer attributes.
/// Every write recomputes whole rows from <c>daily_balances</c> (delete, then insert the sums), never
/// adds to them, so a redelivered or re-sent event cannot count twice. A branch's writes are
/// serialised by an advisory lock, so the balances consumer and the rebuild job of several replicas
/// never insert the same row at once.
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

    /// <summary>One branch and day, after a chunk of its balances landed.</summary>
    public static async Task RecomputeBranchDayAsync(InsightsDbContext db, string branchCode, DateOnly day, CancellationToken ct)
    {
        await LockBranchAsync(db, branchCode, ct);
        await db.Database.ExecuteSqlAsync($"DELETE FROM daily_group_deposits WHERE branch_code = {branchCode} AND day = {day}", ct);
        await db.Database.ExecuteSqlAsync($"""
            INSERT INTO daily_group_deposits (dimension, day, branch_code, group_key, customers, deposit)
            SELECT g.dimension, b.day, b.branch_code, g.group_key, count(*), sum(b.deposit)
            FROM daily_balances b
            LEFT JOIN customer_attributes a ON a.customer_id = b.customer_id
            CROSS JOIN LATERAL (SELECT EXISTS (SELECT 1 FROM campaign_audience c WHERE c.customer_id = b.customer_id) AS in_campaign,
                (SELECT min(f.day) FROM daily_balances f WHERE f.customer_id = b.customer_id) AS first_day) x
            CROSS JOIN LATERAL (VALUES
                ('branch', b.branch_code),
                ('tier', coalesce(a.tier, 'unknown')),
                ('manager', coalesce(a.relationship_manager_id, 'pool:' || b.branch_code)),
                ('segment', coalesce(a.segment, 'unknown')),
                ('lifecycle', coalesce(a.lifecycle_stage, 'unknown')),
                ('audience', CASE WHEN x.in_campaign THEN 'campaign' ELSE 'none' END),
                ('joined', CASE WHEN x.in_campaign THEN {JoinedCampaign} ELSE to_char(x.first_day, 'YYYY-MM') END)
            ) AS g(dimension, group_key)
            WHERE b.branch_code = {branchCode} AND b.day = {day}
            GROUP BY g.dimension, b.day, b.branch_code, g.group_key
            UNION ALL
            SELECT 'campaign', b.day, b.branch_code, c.campaign_code || CASE WHEN c.treated THEN ':treated' ELSE ':holdout' END, count(*), sum(b.deposit)
            FROM daily_balances b
            JOIN campaign_audience c ON c.customer_id = b.customer_id
            WHERE b.branch_code = {branchCode} AND b.day = {day}
            GROUP BY b.day, b.branch_code, c.campaign_code, c.treated
            """, ct);
        await RecomputeNetworkAsync(db, day, day, ct);
    }

    /// <summary>Every day of one branch, after its customers' attributes or campaigns changed.</summary>
    public static async Task RebuildBranchAsync(InsightsDbContext db, string branchCode, CancellationToken ct)
    {
        await LockBranchAsync(db, branchCode, ct);
        await db.Database.ExecuteSqlAsync($"DELETE FROM daily_group_deposits WHERE branch_code = {branchCode}", ct);
        await db.Database.ExecuteSqlAsync($"""
            INSERT INTO daily_group_deposits (dimension, day, branch_code, group_key, customers, deposit)
            WITH firsts AS (
                SELECT f.customer_id, min(f.day) AS first_day FROM daily_balances f
                WHERE f.customer_id IN (SELECT customer_id FROM daily_balances WHERE branch_code = {branchCode})
                GROUP BY f.customer_id)
            SELECT g.dimension, b.day, b.branch_code, g.group_key, count(*), sum(b.deposit)
            FROM daily_balances b
            LEFT JOIN customer_attributes a ON a.customer_id = b.customer_id
            LEFT JOIN (SELECT DISTINCT customer_id FROM campaign_audience) ca ON ca.customer_id = b.customer_id
            JOIN firsts j ON j.customer_id = b.customer_id
            CROSS JOIN LATERAL (VALUES
                ('branch', b.branch_code),
                ('tier', coalesce(a.tier, 'unknown')),
                ('manager', coalesce(a.relationship_manager_id, 'pool:' || b.branch_code)),
                ('segment', coalesce(a.segment, 'unknown')),
                ('lifecycle', coalesce(a.lifecycle_stage, 'unknown')),
                ('audience', CASE WHEN ca.customer_id IS NULL THEN 'none' ELSE 'campaign' END),
                ('joined', CASE WHEN ca.customer_id IS NULL THEN to_char(j.first_day, 'YYYY-MM') ELSE {JoinedCampaign} END)
            ) AS g(dimension, group_key)
            WHERE b.branch_code = {branchCode}
            GROUP BY g.dimension, b.day, b.branch_code, g.group_key
            UNION ALL
            SELECT 'campaign', b.day, b.branch_code, c.campaign_code || CASE WHEN c.treated THEN ':treated' ELSE ':holdout' END, count(*), sum(b.deposit)
            FROM daily_balances b
            JOIN campaign_audience c ON c.customer_id = b.customer_id
            WHERE b.branch_code = {branchCode}
            GROUP BY b.day, b.branch_code, c.campaign_code, c.treated
            """, ct);
        var days = await db.Set<DailyGroupDeposits>().Where(d => d.BranchCode == branchCode && d.Dimension == "branch")
            .GroupBy(d => 1).Select(g => new { From = g.Min(d => d.Day), To = g.Max(d => d.Day) }).SingleOrDefaultAsync(ct);
        if (days is not null)
        {
            await RecomputeNetworkAsync(db, days.From, days.To, ct);
        }
    }

    /// <summary>
    /// The network totals of the shared dimensions over a range of days, summed from the branches'
    /// rows. Taken last in a transaction, after the branch's lock, under one lock of its own (so
    /// writers of different branches never deadlock and never interleave these rows).
    /// </summary>
    public static async Task RecomputeNetworkAsync(InsightsDbContext db, DateOnly from, DateOnly to, CancellationToken ct)
    {
        await LockBranchAsync(db, Network, ct);
        var shared = SharedDimensions.ToArray();
        await db.Database.ExecuteSqlAsync(
            $"DELETE FROM daily_group_deposits WHERE branch_code = {Network} AND day BETWEEN {from} AND {to}", ct);
        await db.Database.ExecuteSqlAsync($"""
            INSERT INTO daily_group_deposits (dimension, day, branch_code, group_key, customers, deposit)
            SELECT dimension, day, {Network}, group_key, sum(customers), sum(deposit)
            FROM daily_group_deposits
            WHERE dimension = ANY({shared}) AND day BETWEEN {from} AND {to} AND branch_code <> {Network}
            GROUP BY dimension, day, group_key
            """, ct);
    }

    /// <summary>
    /// After a chunk of balances of <paramref name="day"/> landed: if it holds a customer's first balance while they
    /// have balances in a later month (days arriving out of order), rows of those later days were grouped under a
    /// later <c>joined</c> month: the branch is marked for the rebuild job.
    /// </summary>
    public static async Task MarkStaleIfJoinedEarlierAsync(InsightsDbContext db, string branchCode, DateOnly day, Guid[] customers, CancellationToken ct)
    {
        var nextMonth = new DateOnly(day.Year, day.Month, 1).AddMonths(1);
        var earlier = await db.Database.SqlQuery<bool>($"""
            SELECT EXISTS (
                SELECT 1 FROM unnest({customers}::uuid[]) AS c(id)
                WHERE NOT EXISTS (SELECT 1 FROM daily_balances e WHERE e.customer_id = c.id AND e.day < {day})
                  AND EXISTS (SELECT 1 FROM daily_balances l WHERE l.customer_id = c.id AND l.day >= {nextMonth})) AS "Value"
            """).SingleAsync(ct);
        if (earlier)
        {
            await MarkStaleAsync(db, branchCode, ct);
        }
    }

    /// <summary>Marks a branch for the rebuild job (in the consumer's transaction: the mark commits with the change).</summary>
    public static Task MarkStaleAsync(InsightsDbContext db, string branchCode, CancellationToken ct) =>
        db.Database.ExecuteSqlAsync($"""
            INSERT INTO uplift_stale_branches (branch_code, marked_at) VALUES ({branchCode}, {DateTimeOffset.UtcNow})
            ON CONFLICT (branch_code) DO UPDATE SET marked_at = excluded.marked_at
            """, ct);

    /// <summary>Serialises the writers of one branch's aggregates until the transaction ends.</summary>
    public static Task LockBranchAsync(InsightsDbContext db, string branchCode, CancellationToken ct) =>
        db.Database.ExecuteSqlAsync($"SELECT pg_advisory_xact_lock(hashtext('uplift-store:' || {branchCode}))", ct);
}
