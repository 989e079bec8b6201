using BankClientele.CustomerCare.Book;
using BankClientele.Hosting.Auth;
using Microsoft.EntityFrameworkCore;

namespace BankClientele.CustomerCare.Tiers;

/// <summary>A tier, where it starts, and how many of the caller's customers are in it.</summary>
public sealed record TierView(string Tier, decimal From, decimal? Below, int Customers, decimal AverageAssets);

public sealed record TiersView(int WindowDays, IReadOnlyList<TierView> Tiers);

public static class TierEndpoints
{
    public static IEndpointRouteBuilder MapTierEndpoints(this IEndpointRouteBuilder app)
    {
        app.MapGroup("/api/tiers").WithTags("Tiers").MapGet("/", GetAsync);
        return app;
    }

    /// <summary>The thresholds and the caller's customers per tier (a manager's own, a lead's branch, all for head office).</summary>
    private static async Task<TiersView> GetAsync(HttpContext http, CustomerCareDbContext db, TierRules rules, CancellationToken ct)
    {
        var counts = await db.Customers.AsNoTracking().VisibleTo(DataScope.Of(http.User))
            .GroupBy(c => c.Tier)
            .Select(g => new { Tier = g.Key, Customers = g.Count(), AverageAssets = g.Average(c => c.AverageAssets) })
            .ToDictionaryAsync(x => x.Tier, ct);
        var tiers = rules.Thresholds.Select((t, i) => new TierView(
            t.Tier, t.From, i + 1 < rules.Thresholds.Count ? rules.Thresholds[i + 1].From : null,
            counts.GetValueOrDefault(t.Tier)?.Customers ?? 0,
            Math.Round(counts.GetValueOrDefault(t.Tier)?.AverageAssets ?? 0m, 2)));
        return new TiersView(rules.WindowDays, [.. tiers]);
    }
}
