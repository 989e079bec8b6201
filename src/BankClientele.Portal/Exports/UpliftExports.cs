using System.Globalization;
using BankClientele.Portal.Components.Pages.Insights;
using BankClientele.Portal.Services;
using static BankClientele.Portal.Localization.Text;

namespace BankClientele.Portal.Exports;

/// <summary>The uplift dashboard's table, fetched again with the page's filters.</summary>
internal static class UpliftExports
{
    public static async Task<ExportTable> UpliftAsync(ServiceApi api, IQueryCollection query, CancellationToken ct)
    {
        var filters = UpliftQuery.Of(query["groupBy"], query["from"], query["to"], query["baselineFrom"], query["baselineTo"]);
        var report = await api.DepositUpliftAsync(filters, ct);
        string[] columns = [.. Uplift.Columns.Select(T), T("Insights.Uplift.Period"), T("Insights.Uplift.Baseline")];
        var rows = report.Ok
            ? report.Value!.Rows.Select(r => new object?[]
            {
                r.Group, r.Customers, r.BaselineAverageDeposit, r.AverageDeposit, r.Change, r.ChangePercent, r.ChangePerCustomer,
                r.BaselineNetNewDeposits, r.NetNewDeposits,
                $"{Day(report.Value.Periods.From)}..{Day(report.Value.Periods.To)}", $"{Day(report.Value.Periods.BaselineFrom)}..{Day(report.Value.Periods.BaselineTo)}",
            }).ToList()
            : [];
        return new ExportTable($"deposit-uplift-{report.Value?.GroupBy ?? "branch"}", columns, rows, report.Problem);
    }

    private static string Day(DateOnly day) => day.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture);
}
