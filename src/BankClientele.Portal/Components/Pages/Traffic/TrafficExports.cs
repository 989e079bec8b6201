using System.Globalization;
using BankClientele.Hosting.Time;
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

    /// <summary>The day a roster is asked for (<c>?day=yyyy-MM-dd</c>), tomorrow in branch time by default.</summary>
    public static DateOnly RosterDay(string? asked) =>
        DateOnly.TryParseExact(asked, "yyyy-MM-dd", CultureInfo.InvariantCulture, DateTimeStyles.None, out var d) ? d : BranchClock.DayOf(DateTimeOffset.UtcNow).AddDays(1);

    /// <summary>The ISO week of a day, as the staffing plan takes it (2026-W49).</summary>
    public static string IsoWeek(DateOnly day) =>
        $"{ISOWeek.GetYear(day.ToDateTime(TimeOnly.MinValue))}-W{ISOWeek.GetWeekOfYear(day.ToDateTime(TimeOnly.MinValue)):00}";

    /// <summary>A day's roster beside the advice (<c>/traffic/roster</c>): per hour, counters and greeters, each gap and its word.</summary>
    public static async Task<ExportTable> RosterAsync(ServiceApi api, IQueryCollection query, CancellationToken ct)
    {
        var day = RosterDay(query["day"]);
        var plan = await api.StaffingPlanForWeekAsync(Branch(query), IsoWeek(day), ct);
        var rows = plan.Ok ? plan.Value!.Hours.Where(h => h.Day == day).OrderBy(h => h.Hour).Select(h => new object?[]
        {
            Day(h.Day), string.Create(CultureInfo.InvariantCulture, $"{h.Hour:00}:00–{h.Hour + 1:00}:00"), Math.Round(h.ForecastArrivals, 1),
            h.RequiredCounters, h.RosteredCounters, h.RosteredCounters - h.RequiredCounters, Word("Lead.Gap.", h.Status),
            h.AdvisedGreeters, h.RosteredGreeters, h.RosteredGreeters - h.AdvisedGreeters, Word("Lead.Gap.", h.GreeterStatus),
        }).ToList() : [];
        return new ExportTable("roster",
            [T("Traffic.Date"), T("Lead.Roster.Hour"), T("Lead.Roster.Forecast"), T("Lead.Roster.AdvisedCounters"), T("Lead.Roster.RosteredCounters"),
             T("Lead.Roster.CounterGap"), T("Lead.Roster.CounterStatus"), T("Lead.Roster.AdvisedGreeters"), T("Lead.Roster.RosteredGreeters"),
             T("Lead.Roster.GreeterGap"), T("Lead.Roster.GreeterStatus")], rows, plan.Problem);
    }

    /// <summary>Who a ticket is, as the greeter may see it: a tier, a known customer, or anonymous; never a name.</summary>
    public static string Who(QueueTicketRow t) =>
        t.Identified ? (t.Tier is null ? T("Lead.Door.Known") : T("Care.Tier." + t.Tier)) : T("Lead.Door.Anonymous");

    /// <summary>Today's queue as the greeter sees it (<c>/traffic/door</c>): the waiting, then those being served.</summary>
    public static async Task<ExportTable> QueueAsync(ServiceApi api, IQueryCollection query, CancellationToken ct)
    {
        var queue = await api.QueueNowAsync(Branch(query), ct);
        var rows = queue.Ok
            ? queue.Value!.Waiting.Select(t => (T("Lead.Door.Waiting"), t)).Concat(queue.Value.Serving.Select(t => (T("Lead.Door.Serving"), t)))
                .Select(x => new object?[]
                {
                    x.Item1, x.t.TicketNumber, ServiceTypes.Name(x.t.ServiceType), Time(x.t.ArrivedAt), Who(x.t), Math.Round(x.t.WaitedMinutes, 0), x.t.CounterNumber,
                }).ToList()
            : [];
        return new ExportTable("queue",
            [T("Lead.Door.State"), T("Lead.Door.Ticket"), T("Lead.Door.ServiceType"), T("Lead.Door.Arrived"), T("Lead.Door.Who"), T("Lead.Door.Waited"), T("Lead.Door.Counter")],
            rows, queue.Problem);
    }

    /// <summary>A guest as the lead's list names them: the customer number, a prospect's masked name, or the walk-in's short id.</summary>
    public static string GuestName(LobbyGuestRow g) =>
        g.CustomerNumber ?? g.NameMasked ?? (g.CustomerId ?? g.ProspectId ?? g.WalkInId)!.Value.ToString("N")[..8];

    /// <summary>Checked in (and when, branch time), invited only, or neither.</summary>
    public static string GuestStatus(LobbyGuestRow g) =>
        g.CheckedInAt is { } at ? T("Lead.Event.CheckedIn") + " " + Time(at, "HH:mm") : g.Invited ? T("Lead.Event.InvitedOnly") : "—";

    /// <summary>A lobby event's guests (<c>/traffic/events/{id}</c>): invited and attending, as the page lists them.</summary>
    public static async Task<ExportTable> LobbyGuestsAsync(ServiceApi api, IQueryCollection query, CancellationToken ct)
    {
        string[] columns = [T("Lead.Event.Guest"), T("Care.Tier"), T("Lead.Event.Kind"), T("Lead.Event.Status"), T("Lead.Event.CheckedInAt")];
        if (!Guid.TryParse(query["id"], out var id))
        {
            return new ExportTable("lobby-event-guests", columns, [], "id: a lobby event's id");
        }
        var guests = await api.LobbyGuestsAsync(id, ct);
        var rows = guests.Ok ? guests.Value!.Select(g => new object?[]
        {
            GuestName(g), g.Tier is null ? null : T("Care.Tier." + g.Tier), T("Lead.Event.Kind." + g.Kind), GuestStatus(g), g.CheckedInAt is { } at ? Time(at) : null,
        }).ToList() : [];
        return new ExportTable("lobby-event-guests", columns, rows, guests.Problem);
    }
}
