using BankClientele.Hosting.Refusals;
using BankClientele.Hosting.Imports;
using System.Globalization;
using System.Security.Claims;
using BankClientele.Hosting.Auth;
using BankClientele.Insights.Segmentation;
using BankClientele.Hosting.Time;
using Microsoft.EntityFrameworkCore;

namespace BankClientele.Insights.Kpis;

/// <param name="Name">From CampaignLaunched; null for costs booked against a campaign never launched.</param>
/// <param name="BudgetUsed">Cost ÷ budget (the period's costs against the whole budget).</param>
public sealed record CampaignKpi(string CampaignCode, string? Name, decimal? Budget, double? BudgetUsed, decimal Cost, int Conversions, decimal? Cac,
    decimal? AverageClv, decimal? ClvToCac);

public sealed record SegmentClv(string ValueSegment, string LifecycleStage, int Customers, decimal AverageClv, decimal TotalClv, double AverageProbabilityAlive);

/// <summary>Head office's figures for a period: CAC (costs booked ÷ customers won), the CLV of those customers, their ratio.</summary>
public sealed record KpiSummary(DateOnly From, DateOnly To, decimal Cost, int Conversions, decimal? Cac, decimal? AverageClvOfAcquired,
    decimal? ClvToCac, decimal? AverageClv, IReadOnlyList<CampaignKpi> Campaigns);

public sealed record LeagueRow(int Rank, string RelationshipManagerId, string BranchCode, int Customers, decimal AssetsAtStart, decimal AssetsAtEnd,
    decimal AssetGrowth, double? AssetGrowthRate, int RevisitsCompleted, int RevisitsOnTime, double? OnTimeRate, int BundlesAccepted, decimal BundleAmount);

public sealed record RegionalDepositsInput(string? City, string? Month, decimal? TotalDeposits);

public sealed record BranchCityInput(string? BranchCode, string? City);

public sealed record MarketShareRow(string City, DateOnly Month, DateOnly? BalanceDay, decimal BankDeposits, decimal RegionalDeposits, double Share);

public static class KpiEndpoints
{
    private static readonly string[] HeadOffice = [StaffRoles.HeadOffice, StaffRoles.Administrator];

    /// <summary>The KPIs and the league table: head office every branch, a region head their region, a branch lead their own (<see cref="ScopedBranch"/>).</summary>
    private static readonly string[] Leads = [StaffRoles.BranchLead, StaffRoles.RegionHead, StaffRoles.HeadOffice, StaffRoles.Administrator];

    public static IEndpointRouteBuilder MapKpiEndpoints(this IEndpointRouteBuilder app)
    {
        var kpis = app.MapGroup("/api/kpis").WithTags("KPIs").RequireAuthorization(p => p.RequireRole(Leads));
        kpis.MapGet("/", SummaryAsync);
        kpis.MapGet("/clv-by-segment", ClvBySegmentAsync);
        kpis.MapGet("/league-table", LeagueTableAsync);
        var market = app.MapGroup("/api/market").WithTags("KPIs").RequireAuthorization(p => p.RequireRole(HeadOffice));
        market.MapPut("/regional-deposits", PutRegionalDepositsAsync);
        market.MapGet("/regional-deposits", ListRegionalDepositsAsync);
        market.MapPut("/branch-cities", PutBranchCitiesAsync);
        market.MapGet("/share", MarketShareAsync);
        return app;
    }

    private static (DateOnly From, DateOnly To) Period(DateOnly? from, DateOnly? to)
    {
        var end = to ?? BranchClock.System.Today;
        return (from ?? end.AddDays(-364), end);
    }

    /// <summary>A required text of a row: missing or too long is the row's field at fault.</summary>
    private static void Text(FieldErrors errors, string field, string? value, int max, string message) =>
        errors.AddIf(string.IsNullOrEmpty(value), field, FieldReasons.Required, message)
            .AddIf(value is { } v && v.Length > max, field, FieldReasons.TooLong, message, ("max", max));

    private static IResult? BadPeriod(DateOnly from, DateOnly to) =>
        from > to ? FieldErrors.Problem("from", FieldReasons.AfterEnd, "from must not be after to.") : null;

    private static async Task<IResult> SummaryAsync(DateOnly? from, DateOnly? to, string? branchCode, HttpContext http, InsightsDbContext db, CancellationToken ct)
    {
        var (branches, refused) = ScopedBranch.Of(http, branchCode);
        if (refused is not null)
        {
            return refused;
        }
        var (start, end) = Period(from, to);
        if (BadPeriod(start, end) is { } bad)
        {
            return bad;
        }
        var startAt = new DateTimeOffset(start.ToDateTime(TimeOnly.MinValue), TimeSpan.Zero);
        var endAt = new DateTimeOffset(end.AddDays(1).ToDateTime(TimeOnly.MinValue), TimeSpan.Zero);
        var costs = await db.Set<CampaignCost>().AsNoTracking().Where(c => c.IncurredOn >= start && c.IncurredOn <= end && (branches == null || branches.Contains(c.BranchCode)))
            .GroupBy(c => c.CampaignCode).Select(g => new { Campaign = g.Key, Cost = g.Sum(c => c.Amount) }).ToListAsync(ct);
        var acquired = await (
            from a in db.Set<AcquiredCustomer>().AsNoTracking()
            where a.ConvertedAt >= startAt && a.ConvertedAt < endAt && (branches == null || branches.Contains(a.BranchCode))
            join s in db.Set<CustomerSegment>().AsNoTracking() on a.CustomerId equals s.CustomerId into seg
            from s in seg.DefaultIfEmpty()
            group s by a.CampaignCode into g
            select new { Campaign = g.Key, Conversions = g.Count(), Segmented = g.Count(s => s != null), Clv = g.Sum(s => s == null ? 0 : s.Clv) })
            .ToListAsync(ct);
        var launched = await db.Set<LaunchedCampaign>().AsNoTracking().Where(c => branches == null || branches.Contains(c.BranchCode))
            .ToDictionaryAsync(c => c.CampaignCode, ct);
        var campaigns = costs.Select(c => c.Campaign).Union(acquired.Where(a => a.Campaign != null).Select(a => a.Campaign!))
            .Select(code =>
            {
                var cost = costs.FirstOrDefault(c => c.Campaign == code)?.Cost ?? 0;
                var won = acquired.FirstOrDefault(a => a.Campaign == code);
                var conversions = won?.Conversions ?? 0;
                decimal? cac = conversions > 0 ? Math.Round(cost / conversions, 2) : null;
                decimal? clv = won is { Segmented: > 0 } ? Math.Round(won.Clv / won.Segmented, 2) : null;
                var launch = launched.GetValueOrDefault(code);
                double? used = launch is { Budget: > 0 } ? Math.Round((double)(cost / launch.Budget), 3) : null;
                return new CampaignKpi(code, launch?.Name, launch?.Budget, used, cost, conversions, cac, clv, cac is > 0 && clv is not null ? Math.Round(clv.Value / cac.Value, 2) : null);
            })
            .OrderBy(c => c.CampaignCode, StringComparer.Ordinal).ToList();
        var totalCost = costs.Sum(c => c.Cost);
        var totalConversions = acquired.Sum(a => a.Conversions);
        var segmented = acquired.Sum(a => a.Segmented);
        decimal? totalCac = totalConversions > 0 ? Math.Round(totalCost / totalConversions, 2) : null;
        decimal? acquiredClv = segmented > 0 ? Math.Round(acquired.Sum(a => a.Clv) / segmented, 2) : null;
        var averageClv = await db.Set<CustomerSegment>().AsNoTracking().Where(s => branches == null || branches.Contains(s.BranchCode)).AverageAsync(s => (decimal?)s.Clv, ct);
        return TypedResults.Ok(new KpiSummary(start, end, totalCost, totalConversions, totalCac, acquiredClv,
            totalCac is > 0 && acquiredClv is not null ? Math.Round(acquiredClv.Value / totalCac.Value, 2) : null,
            averageClv is null ? null : Math.Round(averageClv.Value, 2), campaigns));
    }

    private static async Task<IResult> ClvBySegmentAsync(string? branchCode, HttpContext http, InsightsDbContext db, CancellationToken ct)
    {
        var (branches, refused) = ScopedBranch.Of(http, branchCode);
        if (refused is not null)
        {
            return refused;
        }
        var rows = await db.Set<CustomerSegment>().AsNoTracking().Where(s => branches == null || branches.Contains(s.BranchCode))
            .GroupBy(s => new { s.ValueSegment, s.LifecycleStage })
            .Select(g => new SegmentClv(g.Key.ValueSegment, g.Key.LifecycleStage, g.Count(), Math.Round(g.Average(s => s.Clv), 2), g.Sum(s => s.Clv),
                Math.Round(g.Average(s => s.ProbabilityAlive), 4)))
            .ToListAsync(ct);
        var order = ValueSegments.All.ToList();
        return TypedResults.Ok(rows.OrderBy(r => order.IndexOf(r.ValueSegment)).ThenBy(r => r.LifecycleStage, StringComparer.Ordinal).ToList());
    }

    /// <summary>
    /// Each manager's book (customers assigned now): assets (deposit + wealth) on the latest balance
    /// day on or before the period's start and end, revisits completed in the period and how many on
    /// time, bundles accepted. Ranked by asset growth, then on-time rate, then bundles.
    /// </summary>
    private static async Task<IResult> LeagueTableAsync(DateOnly? from, DateOnly? to, string? branchCode, HttpContext http, InsightsDbContext db, CancellationToken ct)
    {
        var (branches, refused) = ScopedBranch.Of(http, branchCode);
        if (refused is not null)
        {
            return refused;
        }
        var (start, end) = Period(from, to);
        if (BadPeriod(start, end) is { } bad)
        {
            return bad;
        }
        var startAt = new DateTimeOffset(start.ToDateTime(TimeOnly.MinValue), TimeSpan.Zero);
        var endAt = new DateTimeOffset(end.AddDays(1).ToDateTime(TimeOnly.MinValue), TimeSpan.Zero);
        var rows = await db.Database.SqlQuery<LeagueSqlRow>($"""
            WITH book_branches AS (
                SELECT DISTINCT branch_code FROM manager_books WHERE relationship_manager_id IS NOT NULL),
            -- The last balance day on or before each end, found per branch on the (branch_code, day) index: a plain
            -- max(day) over all branches scans every balance row (7 M in the demo) and took seconds.
            days AS MATERIALIZED (
                SELECT max(d0) AS d0, max(d1) AS d1 FROM book_branches br CROSS JOIN LATERAL (
                    SELECT (SELECT max(day) FROM daily_balances x WHERE x.branch_code = br.branch_code AND x.day <= {start}) AS d0,
                           (SELECT max(day) FROM daily_balances x WHERE x.branch_code = br.branch_code AND x.day <= {end}) AS d1) l),
            book AS (
                SELECT relationship_manager_id, min(branch_code) AS branch_code, count(*)::int AS customers
                FROM manager_books WHERE relationship_manager_id IS NOT NULL AND ({branches}::text[] IS NULL OR branch_code = ANY({branches}))
                GROUP BY relationship_manager_id),
            -- Each book customer's two balances by primary key, within the caller's branches only.
            assets AS (
                SELECT m.relationship_manager_id, coalesce(sum(b.at_start), 0) AS at_start, coalesce(sum(b.at_end), 0) AS at_end
                FROM manager_books m CROSS JOIN days
                CROSS JOIN LATERAL (
                    SELECT sum(x.deposit + x.wealth) FILTER (WHERE x.day = days.d0) AS at_start,
                           sum(x.deposit + x.wealth) FILTER (WHERE x.day = days.d1) AS at_end
                    FROM daily_balances x WHERE x.customer_id = m.customer_id AND x.day IN (days.d0, days.d1)) b
                WHERE m.relationship_manager_id IS NOT NULL AND ({branches}::text[] IS NULL OR m.branch_code = ANY({branches}))
                GROUP BY m.relationship_manager_id),
            revisits AS (
                SELECT relationship_manager_id, count(*)::int AS completed, count(*) FILTER (WHERE on_time)::int AS on_time
                FROM revisit_completions WHERE completed_at >= {startAt} AND completed_at < {endAt}
                GROUP BY relationship_manager_id),
            bundles AS (
                SELECT relationship_manager_id, count(*)::int AS accepted, sum(amount) AS amount
                FROM bundle_acceptances WHERE accepted_at >= {startAt} AND accepted_at < {endAt} AND relationship_manager_id IS NOT NULL
                GROUP BY relationship_manager_id)
            SELECT k.relationship_manager_id AS relationship_manager_id, k.branch_code AS branch_code, k.customers AS customers,
                   coalesce(a.at_start, 0) AS assets_at_start, coalesce(a.at_end, 0) AS assets_at_end,
                   coalesce(r.completed, 0) AS revisits_completed, coalesce(r.on_time, 0) AS revisits_on_time,
                   coalesce(u.accepted, 0) AS bundles_accepted, coalesce(u.amount, 0) AS bundle_amount
            FROM book k
            LEFT JOIN assets a ON a.relationship_manager_id = k.relationship_manager_id
            LEFT JOIN revisits r ON r.relationship_manager_id = k.relationship_manager_id
            LEFT JOIN bundles u ON u.relationship_manager_id = k.relationship_manager_id
            """).ToListAsync(ct);
        var ranked = rows
            .Select(r => new
            {
                Row = r,
                Growth = r.AssetsAtEnd - r.AssetsAtStart,
                OnTime = r.RevisitsCompleted > 0 ? (double?)Math.Round((double)r.RevisitsOnTime / r.RevisitsCompleted, 4) : null,
            })
            .OrderByDescending(r => r.Growth).ThenByDescending(r => r.OnTime ?? -1).ThenByDescending(r => r.Row.BundlesAccepted)
            .ThenBy(r => r.Row.RelationshipManagerId, StringComparer.Ordinal)
            .Select((r, i) => new LeagueRow(i + 1, r.Row.RelationshipManagerId, r.Row.BranchCode, r.Row.Customers, r.Row.AssetsAtStart, r.Row.AssetsAtEnd,
                r.Growth, r.Row.AssetsAtStart > 0 ? Math.Round((double)(r.Growth / r.Row.AssetsAtStart), 4) : null,
                r.Row.RevisitsCompleted, r.Row.RevisitsOnTime, r.OnTime, r.Row.BundlesAccepted, r.Row.BundleAmount))
            .ToList();
        return TypedResults.Ok(ranked);
    }

    public sealed record LeagueSqlRow(string RelationshipManagerId, string BranchCode, int Customers, decimal AssetsAtStart, decimal AssetsAtEnd,
        int RevisitsCompleted, int RevisitsOnTime, int BundlesAccepted, decimal BundleAmount);

    /// <summary>
    /// Head office's regional totals, all or nothing: each row needs a city, a month (yyyy-MM) and a
    /// positive total; a bad row is named by its index and field. A city and month already entered is replaced.
    /// </summary>
    private static async Task<IResult> PutRegionalDepositsAsync(List<RegionalDepositsInput>? rows, ClaimsPrincipal user, HttpContext http, InsightsDbContext db, TimeProvider clock, CancellationToken ct)
    {
        if (ImportLimits.CheckRows(http, rows?.Count ?? 0) is { } tooMany)
        {
            return tooMany;
        }
        var errors = new FieldErrors();
        if (rows is null || rows.Count == 0)
        {
            return FieldErrors.Problem("body", FieldReasons.Required, "Send a JSON array of {city, month, totalDeposits}.");
        }
        var parsed = new List<(string City, DateOnly Month, decimal Total)>();
        for (var i = 0; i < rows.Count; i++)
        {
            var row = rows[i];
            var city = row.City?.Trim();
            Text(errors, $"[{i}].city", city, 40, "city is required (at most 40 characters).");
            var isMonth = DateOnly.TryParseExact(row.Month + "-01", "yyyy-MM-dd", CultureInfo.InvariantCulture, DateTimeStyles.None, out var month);
            errors.AddIf(!isMonth, $"[{i}].month", FieldReasons.NotAMonth, $"'{row.Month}' is not a month (yyyy-MM).")
                .AddIf(row.TotalDeposits is not > 0 || row.TotalDeposits > 1e18m, $"[{i}].totalDeposits", FieldReasons.NotAnAmount, "totalDeposits must be a positive amount in yuan.")
                .AddIf(city is { Length: > 0 } && month != default && parsed.Any(p => p.City == city && p.Month == month), $"[{i}]", FieldReasons.GivenTwice,
                    $"{city} {row.Month} appears twice.");
            parsed.Add((city ?? "", month, row.TotalDeposits ?? 0));
        }
        if (errors.Any)
        {
            return errors.ToProblem();
        }
        var staff = DataScope.Of(user).StaffId;
        var now = clock.GetUtcNow();
        await using var tx = await db.Database.BeginTransactionAsync(ct);
        foreach (var (city, month, total) in parsed)
        {
            await db.Database.ExecuteSqlAsync($"""
                INSERT INTO regional_deposits (city, month, total_deposits, updated_at, updated_by)
                VALUES ({city}, {month}, {total}, {now}, {staff})
                ON CONFLICT (city, month) DO UPDATE SET total_deposits = excluded.total_deposits, updated_at = excluded.updated_at, updated_by = excluded.updated_by
                """, ct);
        }
        await tx.CommitAsync(ct);
        return TypedResults.Ok(new { rows = parsed.Count });
    }

    private static async Task<IResult> ListRegionalDepositsAsync(InsightsDbContext db, CancellationToken ct) =>
        TypedResults.Ok(await db.Set<RegionalDeposits>().AsNoTracking().OrderBy(r => r.City).ThenBy(r => r.Month)
            .Select(r => new { r.City, Month = r.Month.ToString("yyyy-MM"), r.TotalDeposits, r.UpdatedAt, r.UpdatedBy }).ToListAsync(ct));

    /// <summary>Which city each branch is in (the customer events carry no city, so head office says it once).</summary>
    private static async Task<IResult> PutBranchCitiesAsync(List<BranchCityInput>? rows, HttpContext http, InsightsDbContext db, CancellationToken ct)
    {
        if (ImportLimits.CheckRows(http, rows?.Count ?? 0) is { } tooMany)
        {
            return tooMany;
        }
        var errors = new FieldErrors();
        if (rows is null || rows.Count == 0)
        {
            return FieldErrors.Problem("body", FieldReasons.Required, "Send a JSON array of {branchCode, city}.");
        }
        for (var i = 0; i < rows.Count; i++)
        {
            Text(errors, $"[{i}].branchCode", rows[i].BranchCode?.Trim(), 20, "branchCode is required (at most 20 characters).");
            Text(errors, $"[{i}].city", rows[i].City?.Trim(), 40, "city is required (at most 40 characters).");
        }
        if (errors.Any)
        {
            return errors.ToProblem();
        }
        await using var tx = await db.Database.BeginTransactionAsync(ct);
        foreach (var row in rows)
        {
            await db.Database.ExecuteSqlAsync($"""
                INSERT INTO branch_cities (branch_code, city) VALUES ({row.BranchCode!.Trim()}, {row.City!.Trim()})
                ON CONFLICT (branch_code) DO UPDATE SET city = excluded.city
                """, ct);
        }
        await tx.CommitAsync(ct);
        return TypedResults.Ok(new { rows = rows.Count });
    }

    /// <summary>
    /// The bank's share of each city's deposits per month: the deposits of the city's branches on
    /// the month's latest balance day (from the daily branch totals) against the regional total entered.
    /// </summary>
    private static async Task<IResult> MarketShareAsync(InsightsDbContext db, CancellationToken ct)
    {
        var rows = await db.Database.SqlQuery<MarketShareRow>($"""
            SELECT r.city AS city, r.month AS month, d.day AS balance_day, coalesce(d.deposits, 0) AS bank_deposits,
                   r.total_deposits AS regional_deposits,
                   coalesce((d.deposits / r.total_deposits)::float8, 0) AS share
            FROM regional_deposits r
            LEFT JOIN LATERAL (
                SELECT b.day, sum(b.deposit) AS deposits
                FROM branch_daily_deposits b JOIN branch_cities c ON c.branch_code = b.branch_code AND c.city = r.city
                WHERE b.day >= r.month AND b.day < (r.month + interval '1 month')::date
                GROUP BY b.day ORDER BY b.day DESC LIMIT 1) d ON true
            ORDER BY r.month DESC, r.city
            """).ToListAsync(ct);
        return TypedResults.Ok(rows);
    }
}
