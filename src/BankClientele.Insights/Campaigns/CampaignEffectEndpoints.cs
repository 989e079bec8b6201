using BankClientele.Hosting.Refusals;
using BankClientele.Hosting.Auth;
using BankClientele.Insights.Uplift;
using Microsoft.EntityFrameworkCore;

namespace BankClientele.Insights.Campaigns;

public sealed record EffectInterval(double Att, double StandardError, double CiLow, double CiHigh);

/// <summary>
/// A campaign's effect on the average daily deposit balance of its audience: 2x2
/// difference-in-differences (pre window vs post window, treated vs held-out control, errors
/// clustered by customer), the same with CUPED on the pre-period balance, a placebo
/// difference-in-differences inside the pre window (pre-trend check: its interval should cover 0),
/// and the minimum detectable effect at 80 % power for the audience's sizes. The placebo is null when too few
/// of the audience have balances in both halves of the pre window.
/// </summary>
public sealed record CampaignEffect(
    string CampaignCode,
    int TreatedCustomers,
    int ControlCustomers,
    int PreDays,
    int PostDays,
    EffectInterval DifferenceInDifferences,
    string Method,
    EffectInterval Cuped,
    double CupedTheta,
    EffectInterval? PreTrend,
    bool PreTrendCoversZero,
    double MinimumDetectableEffect)
{
    /// <summary>With <c>groupBy</c>: the same DiD inside each group, its treated against its own holdout.</summary>
    public IReadOnlyList<CampaignGroupEffect>? Groups { get; init; }
}

/// <summary>A group's treated against the group's holdout; null effect when either has fewer than two customers.</summary>
public sealed record CampaignGroupEffect(string Group, int TreatedCustomers, int ControlCustomers, EffectInterval? DifferenceInDifferences);

public static class CampaignEffectEndpoints
{
    public static IEndpointRouteBuilder MapCampaignEffectEndpoints(this IEndpointRouteBuilder app)
    {
        app.MapGet("/api/uplift/campaigns/{campaignCode}/effect", EffectAsync).WithTags("Uplift");
        return app;
    }

    private sealed record Window(Guid CustomerId, bool Treated, int Part, decimal Deposit);

    /// <summary>The groupings a campaign's effect can be split by (as the uplift store's, with its keys for a missing value).</summary>
    public static readonly string[] Groupings = ["branch", "tier", "manager", "segment"];

    private static async Task<IResult> EffectAsync(string campaignCode, int? preDays, int? postDays, string? groupBy, HttpContext http, InsightsDbContext db, CancellationToken ct)
    {
        var pre = preDays ?? 28;
        var post = postDays ?? 28;
        var errors = new FieldErrors();
        errors.AddIf(pre is < 2 or > 365, "preDays", FieldReasons.OutOfRange, "preDays must be between 2 and 365.", ("min", 2), ("max", 365))
            .AddIf(post is < 1 or > 365, "postDays", FieldReasons.OutOfRange, "postDays must be between 1 and 365.", ("min", 1), ("max", 365))
            .AddIf(groupBy is not null && !Groupings.Contains(groupBy), "groupBy", FieldReasons.NotOneOf, $"groupBy must be one of {string.Join(", ", Groupings)}.");
        if (errors.Any)
        {
            return errors.ToProblem();
        }
        var half = pre / 2;
        // Per customer: the mean balance of the early pre window (0), late pre window (1) and post window (2).
        var windows = await (
            from a in db.CampaignAudience.AsNoTracking().InBranchesOf(DataScope.Of(http.User))
            where a.CampaignCode == campaignCode
            join b in db.DailyBalances.AsNoTracking() on a.CustomerId equals b.CustomerId
            where b.Day >= a.StartsOn.AddDays(-pre) && b.Day < a.StartsOn.AddDays(post)
            group b.Deposit by new
            {
                a.CustomerId,
                a.Treated,
                Part = b.Day >= a.StartsOn ? 2 : b.Day >= a.StartsOn.AddDays(-(pre - half)) ? 1 : 0,
            } into g
            select new Window(g.Key.CustomerId, g.Key.Treated, g.Key.Part, g.Average()))
            .ToListAsync(ct);
        var customers = windows.GroupBy(w => (w.CustomerId, w.Treated))
            .Select(g => (g.Key.CustomerId, g.Key.Treated, Parts: g.ToDictionary(w => w.Part, w => (double)w.Deposit)))
            .Where(c => c.Parts.ContainsKey(2) && (c.Parts.ContainsKey(0) || c.Parts.ContainsKey(1)))
            .ToList();
        var treated = customers.Count(c => c.Treated);
        var control = customers.Count - treated;
        if (treated < 2 || control < 2)
        {
            return TypedResults.Problem(
                $"Campaign {campaignCode} has {treated} treated and {control} control customers with balances before and after its start in the scope visible to you; at least two of each are needed.",
                statusCode: StatusCodes.Status404NotFound, title: "Not enough audience with balances");
        }
        static double PreMean(Dictionary<int, double> parts) =>
            parts.TryGetValue(0, out var early) && parts.TryGetValue(1, out var late) ? (early + late) / 2 : parts.GetValueOrDefault(0, parts.GetValueOrDefault(1));
        var id = (Guid c) => c.ToString();
        DidEstimate Did(IEnumerable<(Guid CustomerId, bool Treated, Dictionary<int, double> Parts)> audience) =>
            DifferenceInDifferences.Estimate([.. audience.SelectMany(c => new[]
            {
                new DidObservation(id(c.CustomerId), c.Treated, false, PreMean(c.Parts)),
                new DidObservation(id(c.CustomerId), c.Treated, true, c.Parts[2]),
            })]);
        var did = Did(customers);
        var placeboCustomers = customers.Where(c => c.Parts.ContainsKey(0) && c.Parts.ContainsKey(1)).ToList();
        var placebo = placeboCustomers.Count(c => c.Treated) >= 2 && placeboCustomers.Count(c => !c.Treated) >= 2
            ? DifferenceInDifferences.Estimate([.. placeboCustomers.SelectMany(c => new[]
              {
                  new DidObservation(id(c.CustomerId), c.Treated, false, c.Parts[0]),
                  new DidObservation(id(c.CustomerId), c.Treated, true, c.Parts[1]),
              })])
            : null;
        var adjusted = Planning.Cuped([.. customers.Select(c => c.Parts[2])], [.. customers.Select(c => PreMean(c.Parts))], out var theta, [.. customers.Select(c => c.Treated)]);
        var cuped = TwoSample([.. adjusted.Where((_, i) => customers[i].Treated)], [.. adjusted.Where((_, i) => !customers[i].Treated)]);
        var pooledSd = PooledStandardDeviation([.. adjusted.Where((_, i) => customers[i].Treated)], [.. adjusted.Where((_, i) => !customers[i].Treated)]);
        var preTrend = placebo is null ? null : new EffectInterval(placebo.Att, placebo.StandardError, placebo.CiLow, placebo.CiHigh);
        // Null, not NaN, when the placebo cannot be estimated: JSON has no NaN (it was a 500).
        List<CampaignGroupEffect>? groups = null;
        if (groupBy is not null)
        {
            // A per-group change is an effect only against a control inside the group: the campaign's holdout there.
            var keys = await GroupKeysAsync(db, campaignCode, groupBy, ct);
            groups = [.. customers.GroupBy(c => keys.GetValueOrDefault(c.CustomerId, "unknown")).OrderBy(g => g.Key, StringComparer.Ordinal).Select(g =>
            {
                var (t, c) = (g.Count(x => x.Treated), g.Count(x => !x.Treated));
                var d = t >= 2 && c >= 2 ? Did(g) : null;
                return new CampaignGroupEffect(g.Key, t, c, d is null ? null : new EffectInterval(d.Att, d.StandardError, d.CiLow, d.CiHigh));
            })];
        }
        return TypedResults.Ok(new CampaignEffect(campaignCode, treated, control, pre, post,
            new EffectInterval(did.Att, did.StandardError, did.CiLow, did.CiHigh), did.Method,
            cuped, theta, preTrend, placebo is not null && placebo.CiLow <= 0 && placebo.CiHigh >= 0,
            Planning.MinimumDetectableEffect(pooledSd, treated, control)) { Groups = groups });
    }

    /// <summary>Each audience member's group: their branch in the audience, or their current tier, manager or segment.</summary>
    private static async Task<Dictionary<Guid, string>> GroupKeysAsync(InsightsDbContext db, string campaignCode, string groupBy, CancellationToken ct)
    {
        var rows = await (
            from a in db.CampaignAudience.AsNoTracking()
            where a.CampaignCode == campaignCode
            join x in db.Set<Store.CustomerAttributes>().AsNoTracking() on a.CustomerId equals x.CustomerId into attributes
            from x in attributes.DefaultIfEmpty()
            select new { a.CustomerId, a.BranchCode, Tier = x == null ? null : x.Tier, Manager = x == null ? null : x.RelationshipManagerId, Segment = x == null ? null : x.Segment })
            .ToListAsync(ct);
        return rows.DistinctBy(r => r.CustomerId).ToDictionary(r => r.CustomerId, r => groupBy switch
        {
            "branch" => r.BranchCode,
            "tier" => r.Tier ?? "unknown",
            "manager" => r.Manager ?? "pool:" + r.BranchCode,
            _ => r.Segment ?? "unknown",
        });
    }

    private static EffectInterval TwoSample(double[] treated, double[] control)
    {
        var diff = treated.Average() - control.Average();
        var se = Math.Sqrt(Variance(treated) / treated.Length + Variance(control) / control.Length);
        return new EffectInterval(diff, se, diff - 1.96 * se, diff + 1.96 * se);
    }

    private static double PooledStandardDeviation(double[] a, double[] b) =>
        Math.Sqrt(((a.Length - 1) * Variance(a) + (b.Length - 1) * Variance(b)) / (a.Length + b.Length - 2));

    private static double Variance(double[] v)
    {
        var mean = v.Average();
        return v.Sum(x => (x - mean) * (x - mean)) / (v.Length - 1);
    }
}
