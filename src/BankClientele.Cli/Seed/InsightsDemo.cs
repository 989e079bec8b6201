using BankClientele.Cli.Infrastructure;

namespace BankClientele.Cli.Seed;

/// <summary>
/// Insights' own demo data, entered as head office would: the city of each branch and the regional
/// deposit totals of each city for the last twelve months (so the market-share table has figures),
/// then a segmentation run queued on Insights' Hangfire (so the KPI pages show segments and CLV
/// without waiting for the nightly run).
/// </summary>
public static class InsightsDemo
{
    /// <summary>All banks' deposits in the city in the latest month (yuan), growing 0.4 % a month before.</summary>
    private static readonly IReadOnlyDictionary<string, decimal> RegionalTotals = new Dictionary<string, decimal>
    {
        ["上海"] = 60_000_000_000m,
        ["北京"] = 65_000_000_000m,
        ["广州"] = 25_000_000_000m,
        ["深圳"] = 35_000_000_000m,
        ["杭州"] = 18_000_000_000m,
        ["成都"] = 15_000_000_000m,
        ["南京"] = 14_000_000_000m,
    };

    public static async Task<string> RunAsync(ServiceClient insights, DateOnly day, CancellationToken ct)
    {
        await insights.SendAsync(HttpMethod.Put, "/api/market/branch-cities",
            DemoNetwork.Branches.Select(b => new { branchCode = b.Code, city = b.City }).ToList(), ct);
        var months = Enumerable.Range(0, 12).Select(i => new DateOnly(day.Year, day.Month, 1).AddMonths(-i)).ToList();
        var rows = (
            from city in DemoNetwork.Branches.Select(b => b.City).Distinct()
            from month in months
            let monthsBack = (day.Year - month.Year) * 12 + day.Month - month.Month
            select new
            {
                city,
                month = month.ToString("yyyy-MM", System.Globalization.CultureInfo.InvariantCulture),
                totalDeposits = Math.Round(RegionalTotals.GetValueOrDefault(city, 10_000_000_000m) / (decimal)Math.Pow(1.004, monthsBack), 0),
            }).ToList();
        await insights.SendAsync(HttpMethod.Put, "/api/market/regional-deposits", rows, ct);
        await insights.SendAsync(HttpMethod.Post, "/api/segmentation/run?background=true", new { }, ct);
        return $"{DemoNetwork.Branches.Count} branch cities, {rows.Count} regional totals, segmentation queued";
    }
}
