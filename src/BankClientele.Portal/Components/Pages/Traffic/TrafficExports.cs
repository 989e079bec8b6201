using System.Globalization;
using BankClientele.Portal.Exports;
using BankClientele.Portal.Localization;
using BankClientele.Portal.Services;
using static BankClientele.Portal.Localization.Text;

namespace BankClientele.Portal.Components.Pages.Traffic;

/// <summary>The foot-traffic pages' tables for <see cref="ExportEndpoints"/>; the branch comes as <c>?branch=</c> and the service scopes it.</summary>
internal static class TrafficExports
{
    private static string Branch(IQueryCollection query) => query["branch"].ToString() is { Length: > 0 } b ? b : TrafficBranch.Default;

    private static string Day(DateOnly d) => d.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture);

    public static async Task<ExportTable> HeatmapAsync(ServiceApi api, IQueryCollection query, CancellationToken ct)
    {
        var profile = await api.TrafficProfileAsync(Branch(query), ct);
        var rows = profile.Ok ? profile.Value!.Heatmap.Select(c => new object?[] { c.Weekday, c.Hour, Math.Round(c.AverageArrivals, 2) }).ToList() : [];
        return new ExportTable("traffic-heatmap", [T("Traffic.Weekday"), T("Traffic.Hour"), T("Traffic.AverageArrivals")], rows, profile.Problem);
    }

    public static async Task<ExportTable> ServiceTypesAsync(ServiceApi api, IQueryCollection query, CancellationToken ct)
    {
        var profile = await api.TrafficProfileAsync(Branch(query), ct);
        var rows = profile.Ok ? profile.Value!.ServiceTypes.Select(s => new object?[] { ServiceTypes.Name(s.ServiceType), s.Visits, Math.Round(s.AverageHandleMinutes, 2) }).ToList() : [];
        return new ExportTable("traffic-service-types", [T("Traffic.ServiceType"), T("Traffic.Visits"), T("Traffic.HandleMinutes")], rows, profile.Problem);
    }

    public static async Task<ExportTable> TrendAsync(ServiceApi api, IQueryCollection query, CancellationToken ct)
    {
        var profile = await api.TrafficProfileAsync(Branch(query), ct);
        var rows = profile.Ok ? profile.Value!.Trend.Select(w => new object?[]
        {
            Day(w.WeekStart), w.Visits, Math.Round(w.WaitMedianMinutes, 2), Math.Round(w.WaitP90Minutes, 2), Math.Round(w.AbandonmentRate, 4),
        }).ToList() : [];
        return new ExportTable("traffic-trend", [T("Traffic.Week"), T("Traffic.Visits"), T("Traffic.WaitMedian"), T("Traffic.WaitP90"), T("Traffic.Abandonment")], rows, profile.Problem);
    }

    public static async Task<ExportTable> PlanAsync(ServiceApi api, IQueryCollection query, CancellationToken ct)
    {
        var plan = await api.StaffingPlanAsync(Branch(query), null, ct);
        var rows = plan.Ok ? plan.Value!.Hours.Select(h => new object?[]
        {
            Day(h.Day), h.Hour, h.ForecastArrivals, h.HandleMinutes, h.RequiredCounters, h.RosteredCounters, Word("Lead.Gap.", h.Status),
        }).ToList() : [];
        return new ExportTable("traffic-plan",
            [T("Traffic.Date"), T("Traffic.Hour"), T("Traffic.Forecast"), T("Traffic.HourHandle"), T("Traffic.Required"), T("Traffic.Rostered"), T("Traffic.Status")], rows, plan.Problem);
    }

    public static async Task<ExportTable> LobbyEventsAsync(ServiceApi api, IQueryCollection query, CancellationToken ct)
    {
        var events = await api.LobbyEventsAsync(Branch(query), ct);
        var rows = events.Ok ? events.Value!.OrderBy(e => e.StartsAt).Select(e => new object?[]
        {
            Time(e.StartsAt), e.Theme, e.Results.Invited, e.Results.Attended,
            e.Results.LeadsCaptured, e.Results.AccountsOpened, e.Results.ProductsSold, e.Results.DepositsRaised, e.Results.ConversionRate, e.Results.CostPerConversion,
        }).ToList() : [];
        return new ExportTable("lobby-events",
            [T("Traffic.When"), T("Traffic.Theme"), T("Traffic.Invited"), T("Traffic.Attended"), T("Traffic.Leads"), T("Traffic.Accounts"), T("Traffic.Products"),
             T("Traffic.Deposits"), T("Traffic.ConversionRate"), T("Traffic.CostPerConversion")], rows, events.Problem);
    }

    public static async Task<ExportTable> WalkInConversionAsync(ServiceApi api, IQueryCollection query, CancellationToken ct)
    {
        var weeks = await api.WalkInConversionAsync(Branch(query), ct);
        var rows = weeks.Ok ? weeks.Value!.Select(w => new object?[] { Day(w.WeekStart), w.WalkIns, w.Converted, w.ConversionRate }).ToList() : [];
        return new ExportTable("walk-in-conversion", [T("Traffic.Week"), T("Traffic.WalkIns"), T("Traffic.Converted"), T("Traffic.ConversionRate")], rows, weeks.Problem);
    }

    public static async Task<ExportTable> WalkInHoursAsync(ServiceApi api, IQueryCollection query, CancellationToken ct)
    {
        var hours = await api.WalkInHoursAsync(Branch(query), ct);
        var rows = hours.Ok ? hours.Value!.Select(h => new object?[] { h.Hour, h.Visits, h.Identified, h.IdentifiedRate, h.Converted, h.ConversionRate, h.InitialDeposits }).ToList() : [];
        return new ExportTable("walk-in-hours", [T("Traffic.Hour"), T("Traffic.Visits"), T("Traffic.WalkInIdentified"), T("Traffic.IdentifiedRate"), T("Traffic.Converted"),
            T("Traffic.ConversionRate"), T("Traffic.InitialDeposits")], rows, hours.Problem);
    }

    public static async Task<ExportTable> WalkInStaffAsync(ServiceApi api, IQueryCollection query, CancellationToken ct)
    {
        var staff = await api.WalkInStaffAsync(Branch(query), ct);
        var rows = staff.Ok ? staff.Value!.Select(s => new object?[] { s.StaffId, s.Identified, s.AtLobbyEvents, s.Converted, s.ConversionRate, s.InitialDeposits, s.MedianDaysToConvert }).ToList() : [];
        return new ExportTable("walk-in-staff", [T("Traffic.StaffMember"), T("Traffic.WalkInIdentified"), T("Traffic.AtLobbyEvents"), T("Traffic.Converted"),
            T("Traffic.ConversionRate"), T("Traffic.InitialDeposits"), T("Traffic.MedianDaysToConvert")], rows, staff.Problem);
    }
}
