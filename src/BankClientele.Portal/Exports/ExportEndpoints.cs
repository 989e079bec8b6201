using System.Globalization;
using BankClientele.Portal.Localization;
using BankClientele.Portal.Services;
using MiniExcelLibs;
using static BankClientele.Portal.Localization.Text;

namespace BankClientele.Portal.Exports;

/// <summary>A table to export: its column headings and rows, or the problem that kept it from the service.</summary>
public sealed record ExportTable(string FileName, IReadOnlyList<string> Columns, IEnumerable<object?[]> Rows, string? Problem = null);

/// <summary>Fetches a table as the signed-in user (so the service scopes it exactly as the page).</summary>
public delegate Task<ExportTable> ExportSource(ServiceApi api, IQueryCollection query, CancellationToken ct);

/// <summary>
/// <c>GET /export/{name}.csv|xlsx</c>: every table of the portal downloads through here. The data is
/// fetched again from the service as the user, never taken from the browser; files are written
/// with MiniExcel. Features add their tables to <see cref="Sources"/>.
/// </summary>
public static class ExportEndpoints
{
    public static readonly Dictionary<string, ExportSource> Sources = new(StringComparer.Ordinal)
    {
        ["care-agenda"] = CareExports.AgendaAsync,
        ["care-overdue"] = CareExports.OverdueAsync,
        ["care-on-time"] = CareExports.OnTimeAsync,
        ["insights-uplift"] = UpliftExports.UpliftAsync,
        ["traffic-heatmap"] = Components.Pages.Traffic.TrafficExports.HeatmapAsync,
        ["traffic-service-types"] = Components.Pages.Traffic.TrafficExports.ServiceTypesAsync,
        ["traffic-trend"] = Components.Pages.Traffic.TrafficExports.TrendAsync,
        ["traffic-plan"] = Components.Pages.Traffic.TrafficExports.PlanAsync,
        ["lobby-events"] = Components.Pages.Traffic.TrafficExports.LobbyEventsAsync,
        ["walk-in-conversion"] = Components.Pages.Traffic.TrafficExports.WalkInConversionAsync,
        ["walk-in-hours"] = Components.Pages.Traffic.TrafficExports.WalkInHoursAsync,
        ["walk-in-staff"] = Components.Pages.Traffic.TrafficExports.WalkInStaffAsync,
        ["bus-queues"] = SystemExports.QueuesAsync,
        ["bus-outboxes"] = SystemExports.OutboxesAsync,
        ["acq-campaigns"] = AcquisitionExports.CampaignsAsync,
        ["acq-channels"] = AcquisitionExports.ChannelsAsync,
        ["acq-segments"] = AcquisitionExports.SegmentsAsync,
        ["acq-leads"] = AcquisitionExports.LeadsAsync,
        ["acq-partners"] = AcquisitionExports.PartnersAsync,
        ["care-customers"] = CareCustomerExports.CustomersAsync,
        ["audit-log"] = Audit.AuditCalls.ExportAsync,
        ["care-customer-holdings"] = CareCustomerExports.HoldingsAsync,
        ["care-customer-visits"] = CareCustomerExports.VisitsAsync,
        ["care-customer-offers"] = CareCustomerExports.OffersAsync,
        ["insights-campaign-kpis"] = Components.Pages.Insights.KpiExports.CampaignsAsync,
        ["insights-clv-by-segment"] = Components.Pages.Insights.KpiExports.ClvBySegmentAsync,
        ["insights-market-share"] = Components.Pages.Insights.KpiExports.MarketShareAsync,
        ["insights-league-table"] = Components.Pages.Insights.KpiExports.LeagueTableAsync,
        ["insights-product-holdings"] = Components.Pages.Insights.KpiExports.ProductHoldingsAsync,
        ["care-books"] = AssignmentExports.BooksAsync,
        ["care-rebalance"] = AssignmentExports.RebalanceAsync,
        ["care-what-if"] = AssignmentExports.WhatIfAsync,
        ["traffic-roster"] = Components.Pages.Traffic.TrafficExports.RosterAsync,
        ["traffic-queue"] = Components.Pages.Traffic.TrafficExports.QueueAsync,
        ["lobby-event-guests"] = Components.Pages.Traffic.TrafficExports.LobbyGuestsAsync,
    };

    public static IEndpointRouteBuilder MapExports(this IEndpointRouteBuilder app)
    {
        app.MapGet("/export/{name}.{format}", ExportAsync).RequireAuthorization();
        return app;
    }

    private static async Task<IResult> ExportAsync(string name, string format, HttpRequest request, ServiceApi api, CancellationToken ct)
    {
        if (!Sources.TryGetValue(name, out var source) || format is not ("csv" or "xlsx"))
        {
            return TypedResults.NotFound();
        }
        var table = await source(api, request.Query, ct);
        if (table.Problem is not null)
        {
            return TypedResults.Problem(statusCode: StatusCodes.Status503ServiceUnavailable, title: "Unavailable", detail: table.Problem);
        }
        var stream = await WriteAsync(table, format, ct);
        return TypedResults.File(stream, ContentType(format), $"{FileStem(table)}.{format}");
    }

    /// <summary>The file's name without its extension: the table's and today's date (Beijing time, as the branches read it).</summary>
    public static string FileStem(ExportTable table) => $"{table.FileName}-{Time(DateTimeOffset.UtcNow, "yyyyMMdd")}";

    private static string ContentType(string format) =>
        format == "csv" ? "text/csv; charset=utf-8" : "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet";

    /// <summary>
    /// The table as a <c>data:</c> address the browser downloads by itself: for a table that lives only in the
    /// answer the page shows (an import's bad rows), with nothing to fetch again. Written as the endpoint writes.
    /// </summary>
    public static async Task<string> DataUrlAsync(ExportTable table, string format, CancellationToken ct)
    {
        using var stream = await WriteAsync(table, format, ct);
        return $"data:{ContentType(format).Replace(" ", "", StringComparison.Ordinal)};base64,{Convert.ToBase64String(stream.ToArray())}";
    }

    /// <summary>The table as a CSV or xlsx file, every cell made safe (<see cref="ExportCells"/>).</summary>
    public static async Task<MemoryStream> WriteAsync(ExportTable table, string format, CancellationToken ct)
    {
        // A DataTable keeps the (localised) headings even when there are no rows.
        using var data = new System.Data.DataTable(table.FileName);
        foreach (var column in table.Columns)
        {
            data.Columns.Add(column, typeof(object));
        }
        foreach (var values in table.Rows)
        {
            data.Rows.Add(ExportCells.SafeRow(values));
        }
        var stream = new MemoryStream();
        await stream.SaveAsAsync(data, excelType: format == "csv" ? ExcelType.CSV : ExcelType.XLSX, cancellationToken: ct);
        stream.Position = 0;
        return stream;
    }
}

/// <summary>The revisit tables of the care pages.</summary>
internal static class CareExports
{
    private static string[] RevisitColumns => [T("Care.Customer"), T("Care.Tier"), T("Care.Reason"), T("Care.Detail"), T("Care.DueOn"), T("Care.Priority"), T("Care.Manager"), T("Care.Branch")];

    private static object?[] RevisitValues(CareRevisitRow r, ProductNames products) =>
        [r.CustomerName, T("Care.Tier." + r.Tier), T("Care.Reason." + r.Reason), RevisitDetails.Word(r.Detail, products), r.DueOn.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture), r.Priority, r.RelationshipManagerId, r.BranchCode];

    public static async Task<ExportTable> AgendaAsync(ServiceApi api, IQueryCollection query, CancellationToken ct)
    {
        var agenda = await api.AgendaAsync(ct);
        var products = await api.ProductNamesAsync(ct);
        var rows = agenda.Ok ? agenda.Value!.Overdue.Concat(agenda.Value.Today).Concat(agenda.Value.Upcoming).Select(r => RevisitValues(r, products)).ToList() : [];
        return new ExportTable("agenda", RevisitColumns, rows, agenda.Problem);
    }

    public static async Task<ExportTable> OverdueAsync(ServiceApi api, IQueryCollection query, CancellationToken ct)
    {
        var overdue = await api.RevisitsAsync("overdue=true", ct);
        var products = await api.ProductNamesAsync(ct);
        var rows = overdue.Ok ? overdue.Value!.OrderBy(r => r.RelationshipManagerId).ThenBy(r => r.DueOn).Select(r => RevisitValues(r, products)).ToList() : [];
        return new ExportTable("overdue-revisits", RevisitColumns, rows, overdue.Problem);
    }

    public static async Task<ExportTable> OnTimeAsync(ServiceApi api, IQueryCollection query, CancellationToken ct)
    {
        var rates = await api.OnTimeAsync(ct);
        string[] columns = [T("Care.Manager"), T("Care.Branch"), T("Care.Completed"), T("Care.OnTimeCount"), T("Care.OpenOverdue"), T("Care.Rate")];
        var rows = rates.Ok ? rates.Value!.Managers.Select(m => new object?[] { m.Key, m.BranchCode, m.Completed, m.OnTime, m.OpenOverdue, m.Rate }).ToList() : [];
        return new ExportTable("on-time", columns, rows, rates.Problem);
    }
}
