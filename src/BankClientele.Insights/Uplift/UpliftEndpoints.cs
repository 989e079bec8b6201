using System.Globalization;
using BankClientele.Hosting.Auth;
using BankClientele.Insights.Store;
using BankClientele.Hosting.Time;
using Microsoft.EntityFrameworkCore;
using BankClientele.Hosting.Refusals;

namespace BankClientele.Insights.Uplift;

/// <summary>
/// A campaign design from a branch's own deposits: σ is the spread of the branch's customers'
/// deposit balances on its latest balance day in the uplift store.
/// </summary>
public sealed record PowerDesign(
    string BranchCode, DateOnly Day, int Customers, double StandardDeviation, double Effect, double HoldoutFraction,
    double Alpha, double Power, long Treated, long Control, long Total, PlannedAudience? Planned = null);

/// <summary>
/// What a planned audience of <paramref name="Audience"/> customers, split by the holdout fraction,
/// would give: its power for the hoped-for effect and the smallest effect it can detect at the
/// requested power. <paramref name="Detectable"/> is false when the power falls short.
/// </summary>
public sealed record PlannedAudience(int Audience, int Treated, int Control, double Power, double MinimumDetectableEffect, bool Detectable);

public sealed record UpliftCampaign(string CampaignCode, DateOnly StartsOn, int Treated, int Control);

/// <summary>What the rebuild did: branch-days regrouped from the regrouper's queue, then stale branches rebuilt whole.</summary>
public sealed record StoreRebuild(int PendingDays, int Branches);

/// <summary>The uplift store's backlog: branch-days waiting for the regrouper, branches marked for the rebuild job.</summary>
public sealed record StoreStatus(int PendingDays, int StaleBranches);

/// <summary>
/// The uplift dashboard's API: deposits by group over a period against a baseline (head office every
/// branch, a branch lead their own), the staggered lobby-event effect and the campaigns with audiences
/// (head office), and an on-demand rebuild of the grouped rows.
/// </summary>
public static class UpliftEndpoints
{
    public const int MaxPeriodDays = 366;

    public static IEndpointRouteBuilder MapUpliftEndpoints(this IEndpointRouteBuilder app)
    {
        var uplift = app.MapGroup("/api/uplift").WithTags("Uplift");
        uplift.MapGet("/deposits", DepositsAsync)
            .RequireAuthorization(p => p.RequireRole(StaffRoles.BranchLead, StaffRoles.RegionHead, StaffRoles.HeadOffice, StaffRoles.Administrator));
        uplift.MapGet("/lobby-events", LobbyEventsAsync)
            .RequireAuthorization(p => p.RequireRole(StaffRoles.HeadOffice, StaffRoles.Administrator));
        uplift.MapGet("/power", PowerAsync)
            .RequireAuthorization(p => p.RequireRole(StaffRoles.BranchLead, StaffRoles.RegionHead, StaffRoles.HeadOffice, StaffRoles.Administrator));
        uplift.MapGet("/campaigns", CampaignsAsync)
            .RequireAuthorization(p => p.RequireRole(StaffRoles.BranchLead, StaffRoles.RegionHead, StaffRoles.HeadOffice, StaffRoles.Administrator));
        uplift.MapGet("/store", async (InsightsDbContext db, CancellationToken ct) =>
                TypedResults.Ok(new StoreStatus(await UpliftStoreRegrouper.PendingAsync(db, ct), await db.Set<UpliftStaleBranch>().CountAsync(ct))))
            .RequireAuthorization(p => p.RequireRole(StaffRoles.HeadOffice, StaffRoles.Administrator));
        // The pending days first, then the marked branches; ?all=true rebuilds every branch (after an upgrade that added a dimension).
        uplift.MapPost("/store/rebuild", async (bool? all, InsightsDbContext db, UpliftStoreRebuildJob job, CancellationToken ct) =>
            {
                var days = await UpliftStoreRegrouper.RunOnceAsync(db, ct);
                if (all == true)
                {
                    await job.MarkAllAsync(ct);
                }
                return TypedResults.Ok(new StoreRebuild(days, await job.RunAsync(ct)));
            })
            .RequireAuthorization(p => p.RequireRole(StaffRoles.HeadOffice, StaffRoles.Administrator));
        return app;
    }

    private static async Task<IResult> DepositsAsync(string? groupBy, string? from, string? to, string? baselineFrom, string? baselineTo, string? branchCode,
        HttpContext http, InsightsDbContext db, CancellationToken ct)
    {
        var (branches, refused) = Kpis.ScopedBranch.Of(http, branchCode);
        if (refused is not null)
        {
            return refused;
        }
        var errors = new FieldErrors();
        var grouping = groupBy ?? "branch";
        if (!DepositUplift.Groupings.ContainsKey(grouping))
        {
            errors.Add("groupBy", FieldReasons.NotOneOf, $"groupBy must be one of {string.Join(", ", DepositUplift.Groupings.Keys)}.");
        }
        var dates = new Dictionary<string, DateOnly?>
        {
            ["from"] = ParseDate("from", from, errors),
            ["to"] = ParseDate("to", to, errors),
            ["baselineFrom"] = ParseDate("baselineFrom", baselineFrom, errors),
            ["baselineTo"] = ParseDate("baselineTo", baselineTo, errors),
        };
        if (errors.Any)
        {
            return errors.ToProblem();
        }
        // Defaults: the last 28 days with balances, against the 28 days before them.
        var latest = await DepositUplift.LatestDayAsync(db, branches, ct) ?? BranchClock.System.Today.AddDays(-1);
        var periodTo = dates["to"] ?? latest;
        var periodFrom = dates["from"] ?? periodTo.AddDays(-27);
        var span = periodTo.DayNumber - periodFrom.DayNumber + 1;
        var baseTo = dates["baselineTo"] ?? periodFrom.AddDays(-1);
        var baseFrom = dates["baselineFrom"] ?? baseTo.AddDays(-(Math.Max(span, 1) - 1));
        Check(errors, "to", periodTo >= periodFrom, FieldReasons.BeforeStart, "to must not be before from.");
        Check(errors, "to", span <= MaxPeriodDays, FieldReasons.SpanTooLong, $"The period may span at most {MaxPeriodDays} days.", ("days", MaxPeriodDays));
        Check(errors, "baselineTo", baseTo >= baseFrom, FieldReasons.BeforeStart, "baselineTo must not be before baselineFrom.");
        Check(errors, "baselineTo", baseTo.DayNumber - baseFrom.DayNumber + 1 <= MaxPeriodDays, FieldReasons.SpanTooLong, $"The baseline may span at most {MaxPeriodDays} days.", ("days", MaxPeriodDays));
        Check(errors, "baselineTo", baseTo < periodFrom || baseFrom > periodTo, FieldReasons.Overlaps, "The baseline must not overlap the period.");
        if (errors.Any)
        {
            return errors.ToProblem();
        }
        var report = await DepositUplift.QueryAsync(db, grouping, new UpliftPeriods(periodFrom, periodTo, baseFrom, baseTo), branches, ct);
        return TypedResults.Ok(report);
    }

    private static async Task<IResult> LobbyEventsAsync(int? weeks, string? control, string? to, InsightsDbContext db, CancellationToken ct)
    {
        var errors = new FieldErrors();
        var window = weeks ?? 26;
        Check(errors, "weeks", window is >= 3 and <= 104, FieldReasons.OutOfRange, "weeks must be between 3 and 104.", ("min", 3), ("max", 104));
        var controls = control ?? "not-yet";
        Check(errors, "control", controls is "not-yet" or "never", FieldReasons.NotOneOf, "control must be not-yet or never.");
        var end = ParseDate("to", to, errors);
        if (errors.Any)
        {
            return errors.ToProblem();
        }
        var latest = end ?? await DepositUplift.LatestDayAsync(db, null, ct);
        var effect = latest is null ? null : await LobbyEventUplift.QueryAsync(db, latest.Value, window,
            controls == "never" ? ControlGroup.NeverTreated : ControlGroup.NotYetTreated, ct);
        return effect is null
            ? TypedResults.Problem("No branch started lobby events inside the window with balances before and after, and comparable branches: nothing to estimate.",
                statusCode: StatusCodes.Status404NotFound, title: "No staggered lobby events to compare")
            : TypedResults.Ok(effect);
    }

    /// <summary>
    /// The treated and control customers a campaign of the branch needs to detect a deposit effect
    /// (yuan per customer) with the given power (Planning.RequiredSampleSize, two-sided, each group
    /// rounded up), σ taken from the branch's own balances: for the campaign wizard.
    /// </summary>
    private static async Task<IResult> PowerAsync(string? branch, double? effect, double? holdoutFraction, double? alpha, double? power,
        int? audience, HttpContext http, InsightsDbContext db, CancellationToken ct)
    {
        var errors = new FieldErrors();
        var scope = DataScope.Of(http.User);
        // A region head names the branch; a branch lead's is their own.
        var branchCode = branch ?? scope.BranchCode;
        Check(errors, "branch", !string.IsNullOrWhiteSpace(branchCode), FieldReasons.Required, "branch is required.");
        Check(errors, "effect", effect is { } d && double.IsFinite(d) && d != 0, effect is null ? FieldReasons.Required : FieldReasons.NotAnAmount, "effect must be a non-zero amount of yuan per customer.");
        var h = holdoutFraction ?? 0.2;
        Check(errors, "holdoutFraction", h is > 0 and < 1, FieldReasons.OutOfRange, "holdoutFraction must be between 0 and 1 (exclusive).", ("min", 0), ("max", 1));
        var a = alpha ?? 0.05;
        Check(errors, "alpha", a is > 0 and < 1, FieldReasons.OutOfRange, "alpha must be between 0 and 1 (exclusive).", ("min", 0), ("max", 1));
        var p = power ?? 0.8;
        Check(errors, "power", p is > 0 and < 1, FieldReasons.OutOfRange, "power must be between 0 and 1 (exclusive).", ("min", 0), ("max", 1));
        Check(errors, "audience", audience is null or >= 2, FieldReasons.BelowMinimum, "audience must be at least two customers (one treated, one held out).", ("min", 2));
        if (errors.Any)
        {
            return errors.ToProblem();
        }
        if (!scope.CanSeeBranch(branchCode!))
        {
            return TypedResults.Problem(statusCode: StatusCodes.Status403Forbidden, title: "Branch out of scope",
                detail: $"You may not plan campaigns for branch '{branchCode}'.", extensions: new Dictionary<string, object?> { ["code"] = ProblemCodes.BranchOutOfScope, ["field"] = "branch" });
        }
        var day = await DepositUplift.LatestDayAsync(db, [branchCode!], ct);
        var spread = day is null ? null : await db.Database.SqlQuery<BranchSpread>($"""
            SELECT count(*)::int AS customers, coalesce(stddev_samp(deposit), 0)::float8 AS standard_deviation
            FROM daily_balances WHERE branch_code = {branchCode} AND day = {day.Value}
            """).SingleAsync(ct);
        if (spread is null || spread.Customers < 2 || spread.StandardDeviation <= 0)
        {
            return TypedResults.Problem(statusCode: StatusCodes.Status404NotFound, title: "No deposits to plan from",
                detail: $"Branch {branchCode} has no day with balances of two or more customers in the uplift store.",
                extensions: new Dictionary<string, object?> { ["field"] = "branch" });
        }
        var size = Planning.RequiredSampleSize(spread.StandardDeviation, effect!.Value, a, p, h);
        return TypedResults.Ok(new PowerDesign(branchCode!, day!.Value, spread.Customers, Math.Round(spread.StandardDeviation, 2), effect.Value, h, a, p,
            size.Treated, size.Control, size.Total, audience is { } n ? Plan(n, h, spread.StandardDeviation, effect.Value, a, p) : null));
    }

    /// <summary>The planned audience split as the campaign will split it (the holdout rounded, both groups at least one).</summary>
    private static PlannedAudience Plan(int audience, double holdoutFraction, double sigma, double effect, double alpha, double power)
    {
        var control = Math.Clamp((int)Math.Round(audience * holdoutFraction), 1, audience - 1);
        var treated = audience - control;
        var reached = Planning.Power(effect, sigma, treated, control, alpha);
        return new PlannedAudience(audience, treated, control, Math.Round(reached, 4),
            Math.Round(Planning.MinimumDetectableEffect(sigma, treated, control, alpha, power), 2), reached >= power);
    }

    private sealed record BranchSpread(int Customers, double StandardDeviation);

    private static async Task<IResult> CampaignsAsync(HttpContext http, InsightsDbContext db, CancellationToken ct)
    {
        var rows = await db.CampaignAudience.AsNoTracking().InBranchesOf(DataScope.Of(http.User))
            .GroupBy(a => a.CampaignCode)
            .OrderBy(g => g.Key) // before the projection: EF cannot order by a member of a constructed record
            .Select(g => new UpliftCampaign(g.Key, g.Min(a => a.StartsOn), g.Count(a => a.Treated), g.Count(a => !a.Treated)))
            .ToListAsync(ct);
        return TypedResults.Ok(rows);
    }

    private static DateOnly? ParseDate(string field, string? value, FieldErrors errors)
    {
        if (string.IsNullOrWhiteSpace(value))
        {
            return null;
        }
        if (DateOnly.TryParseExact(value, "yyyy-MM-dd", CultureInfo.InvariantCulture, DateTimeStyles.None, out var day))
        {
            return day;
        }
        errors.Add(field, FieldReasons.NotADate, $"{field} must be a date as yyyy-MM-dd.");
        return null;
    }

    private static void Check(FieldErrors errors, string field, bool ok, string code, string message, params (string Name, decimal Value)[] numbers) =>
        errors.AddIf(!ok && !errors.Has(field), field, code, message, numbers);
}
