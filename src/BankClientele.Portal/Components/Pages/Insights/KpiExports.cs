using System.Globalization;
using BankClientele.Portal.Exports;
using BankClientele.Portal.Services;
using static BankClientele.Portal.Localization.Text;

namespace BankClientele.Portal.Components.Pages.Insights;

/// <summary>The KPI and league tables as CSV/xlsx (registered in <see cref="ExportEndpoints.Sources"/>).</summary>
internal static class KpiExports
{
    public static string PeriodQuery(DateOnly? from, DateOnly? to)
    {
        var parts = new[] { from is { } f ? $"from={f:yyyy-MM-dd}" : null, to is { } t ? $"to={t:yyyy-MM-dd}" : null }.Where(p => p is not null).ToList();
        return parts.Count == 0 ? "" : "?" + string.Join("&", parts);
    }

    private static DateOnly? Date(IQueryCollection query, string name) =>
        DateOnly.TryParseExact(query[name].ToString(), "yyyy-MM-dd", CultureInfo.InvariantCulture, DateTimeStyles.None, out var d) ? d : null;

    public static async Task<ExportTable> CampaignsAsync(ServiceApi api, IQueryCollection query, CancellationToken ct)
    {
        var kpis = await api.KpisAsync(Date(query, "from"), Date(query, "to"), ct);
        var rows = kpis.Ok ? kpis.Value!.Campaigns.Select(c => new object?[] { c.CampaignCode, c.Name, c.Budget, c.Cost, c.BudgetUsed, c.Conversions, c.Cac, c.AverageClv, c.ClvToCac }).ToList() : [];
        return new ExportTable("campaign-kpis", [T("Kpi.Campaign"), T("Kpi.CampaignName"), T("Kpi.Budget"), T("Kpi.Cost"), T("Kpi.BudgetUsed"), T("Kpi.Conversions"), T("Kpi.Cac"), T("Kpi.AcquiredClv"), T("Kpi.ClvToCac")], rows, kpis.Problem);
    }

    public static async Task<ExportTable> ClvBySegmentAsync(ServiceApi api, IQueryCollection query, CancellationToken ct)
    {
        var segments = await api.ClvBySegmentAsync(ct);
        var rows = segments.Ok
            ? segments.Value!.Select(r => new object?[] { T("Kpi.Segment." + r.ValueSegment), T("Kpi.Stage." + r.LifecycleStage), r.Customers, r.AverageClv, r.TotalClv, r.AverageProbabilityAlive }).ToList()
            : [];
        return new ExportTable("clv-by-segment", [T("Kpi.ValueSegment"), T("Kpi.Lifecycle"), T("Kpi.Customers"), T("Kpi.AverageClv"), T("Kpi.TotalClv"), T("Kpi.AliveShare")], rows, segments.Problem);
    }

    public static async Task<ExportTable> MarketShareAsync(ServiceApi api, IQueryCollection query, CancellationToken ct)
    {
        var market = await api.MarketShareAsync(ct);
        var rows = market.Ok
            ? market.Value!.Select(m => new object?[] { m.City, m.Month.ToString("yyyy-MM", CultureInfo.InvariantCulture), m.BankDeposits, m.RegionalDeposits, m.Share }).ToList()
            : [];
        return new ExportTable("market-share", [T("Kpi.City"), T("Kpi.Month"), T("Kpi.BankDeposits"), T("Kpi.RegionalDeposits"), T("Kpi.Share")], rows, market.Problem);
    }

    public static async Task<ExportTable> LeagueTableAsync(ServiceApi api, IQueryCollection query, CancellationToken ct)
    {
        var league = await api.LeagueTableAsync(Date(query, "from"), Date(query, "to"), ct);
        var rows = league.Ok
            ? league.Value!.Select(r => new object?[] { r.Rank, r.RelationshipManagerId, r.BranchCode, r.Customers, r.AssetsAtStart, r.AssetsAtEnd, r.AssetGrowth,
                r.AssetGrowthRate, r.RevisitsCompleted, r.RevisitsOnTime, r.OnTimeRate, r.BundlesAccepted, r.BundleAmount }).ToList()
            : [];
        return new ExportTable("league-table", [T("Kpi.Rank"), T("Kpi.Manager"), T("Kpi.Branch"), T("Kpi.Customers"), T("Kpi.AssetsStart"), T("Kpi.AssetsEnd"),
            T("Kpi.AssetGrowth"), T("Kpi.GrowthRate"), T("Kpi.Revisits"), T("Kpi.OnTimeRate"), T("Kpi.OnTimeRate") + " (n)", T("Kpi.Bundles"), T("Kpi.Bundles") + " (¥)"], rows, league.Problem);
    }

    public static async Task<ExportTable> ProductHoldingsAsync(ServiceApi api, IQueryCollection query, CancellationToken ct)
    {
        var holdings = await api.ProductHoldingsAsync(Date(query, "from"), Date(query, "to"), query["branchCode"].ToString(), ct);
        var names = await api.ProductNamesAsync(ct);
        var rows = holdings.Ok
            ? holdings.Value!.Products.Select(p => new object?[] { names.NameAndCode(p.ProductCode), p.Holders, p.Penetration, p.AccountsOpened, p.NewCustomers, p.FirstDeposits }).ToList()
            : [];
        return new ExportTable("product-holdings", [T("Holdings.Product"), T("Holdings.Holders"), T("Holdings.Penetration"), T("Holdings.Opened"),
            T("Holdings.NewCustomers"), T("Holdings.FirstDeposits")], rows, holdings.Problem);
    }
}
