namespace BankClientele.Portal.Services;

// The foot-traffic service's answers, as the portal reads them (JSON, camelCase).
public sealed record HeatmapCellRow(int Weekday, int Hour, double AverageArrivals);
public sealed record ServiceTypeRow(string ServiceType, int Visits, double AverageHandleMinutes);
public sealed record WeekTrendRow(DateOnly WeekStart, int Visits, double WaitMedianMinutes, double WaitP90Minutes, double AbandonmentRate);
public sealed record TrafficProfileRow(
    string BranchCode, DateOnly From, DateOnly To, int Visits, List<HeatmapCellRow> Heatmap, List<ServiceTypeRow> ServiceTypes,
    double WaitMedianMinutes, double WaitP90Minutes, double AbandonmentRate, List<WeekTrendRow> Trend, int IdentifiedVisits = 0);
public sealed record ForecastRow(DateOnly HeldOutWeek, double HeldOutMeanAbsoluteError, double HeldOutWeightedPercentError);
public sealed record PlanHourRow(DateOnly Day, int Hour, double ForecastArrivals, int RequiredCounters, double ServiceLevel, double AverageWaitSeconds, double Occupancy, int RosteredCounters, string Status, double HandleMinutes = 0,
    int AdvisedGreeters = 0, int RosteredGreeters = 0, string GreeterStatus = "ok");
public sealed record StaffingPlanRow(string BranchCode, string Week, double HandleMinutes, double ServiceLevelTarget, int TargetWaitSeconds, ForecastRow Forecast, List<PlanHourRow> Hours, int UnderstaffedHours, int OverstaffedHours);
public sealed record LobbyResultsRow(int Invited, int Attended, int LeadsCaptured, int AccountsOpened, int ProductsSold, decimal DepositsRaised, double ConversionRate, decimal? CostPerConversion);
public sealed record LobbyEventRow(Guid Id, string BranchCode, string Theme, DateTimeOffset StartsAt, DateTimeOffset EndsAt, int Capacity, decimal Budget, List<string> Staff, List<string> TargetSegments, bool TargetsProspects, LobbyResultsRow Results,
    string? CampaignCode = null, int HeldOutExcluded = 0);
public sealed record SuggestedSlotRow(DateOnly Day, int StartHour, int Hours, double ExpectedVisitors, int SpareCounters, bool StaffedWithoutHarm);
public sealed record WalkInWeekRow(string BranchCode, DateOnly WeekStart, int WalkIns, int Converted, double ConversionRate);
public sealed record WalkInHourRow(int Hour, int Visits, int Identified, int Converted, double? IdentifiedRate, double? ConversionRate, decimal InitialDeposits);
public sealed record WalkInStaffRow(string StaffId, int Identified, int AtLobbyEvents, int Converted, double ConversionRate, decimal InitialDeposits, double? MedianDaysToConvert);
public sealed record ProspectRow(Guid Id, string FullName, string PhoneMasked, string BranchCode, string Status, DateTimeOffset? ConvertedAt);
public sealed record PlanLobbyEventBody(string BranchCode, string Theme, DateTimeOffset StartsAt, DateTimeOffset EndsAt, int Capacity, decimal Budget,
    List<string> Staff, List<string> TargetSegments, List<Guid>? CustomerIds, List<Guid> ProspectIds, string? CampaignCode = null);

/// <summary>Foot traffic's calls: traffic profile, staffing plan, lobby events, walk-in conversion.</summary>
public static class TrafficCalls
{
    private static string Q(string value) => Uri.EscapeDataString(value);

    public static Task<ServiceResult<TrafficProfileRow>> TrafficProfileAsync(this ServiceApi api, string branch, CancellationToken ct) =>
        api.GetAsync<TrafficProfileRow>(ServiceNames.FootTraffic, $"/api/traffic/profile?branchCode={Q(branch)}", ct);

    public static Task<ServiceResult<StaffingPlanRow>> StaffingPlanAsync(this ServiceApi api, string branch, string? week, CancellationToken ct) =>
        api.GetAsync<StaffingPlanRow>(ServiceNames.FootTraffic, $"/api/traffic/staffing-plan?branchCode={Q(branch)}{(week is null ? "" : "&week=" + Q(week))}", ct);

    public static Task<ServiceResult<List<LobbyEventRow>>> LobbyEventsAsync(this ServiceApi api, string branch, CancellationToken ct) =>
        api.GetAsync<List<LobbyEventRow>>(ServiceNames.FootTraffic, $"/api/lobby-events?branchCode={Q(branch)}", ct);

    public static Task<ServiceResult<List<SuggestedSlotRow>>> SuggestedSlotsAsync(this ServiceApi api, string branch, int hours, CancellationToken ct) =>
        api.GetAsync<List<SuggestedSlotRow>>(ServiceNames.FootTraffic, $"/api/lobby-events/slots?branchCode={Q(branch)}&hours={hours}", ct);

    public static Task<ServiceResult<List<WalkInWeekRow>>> WalkInConversionAsync(this ServiceApi api, string branch, CancellationToken ct) =>
        api.GetAsync<List<WalkInWeekRow>>(ServiceNames.FootTraffic, $"/api/walk-ins/conversion?branchCode={Q(branch)}&weeks=26", ct);

    public static Task<ServiceResult<List<WalkInHourRow>>> WalkInHoursAsync(this ServiceApi api, string branch, CancellationToken ct) =>
        api.GetAsync<List<WalkInHourRow>>(ServiceNames.FootTraffic, $"/api/walk-ins/conversion/by-hour?branchCode={Q(branch)}&weeks=26", ct);

    public static Task<ServiceResult<List<WalkInStaffRow>>> WalkInStaffAsync(this ServiceApi api, string branch, CancellationToken ct) =>
        api.GetAsync<List<WalkInStaffRow>>(ServiceNames.FootTraffic, $"/api/walk-ins/conversion/by-staff?branchCode={Q(branch)}&weeks=26", ct);

    /// <summary>Acquisition's prospects (its list is scoped to the caller), for inviting to an event.</summary>
    public static Task<ServiceResult<List<ProspectRow>>> ProspectsAsync(this ServiceApi api, CancellationToken ct) =>
        api.GetAsync<List<ProspectRow>>(ServiceNames.Acquisition, "/api/prospects", ct);

    public static Task<ServiceResult<LobbyEventRow>> PlanLobbyEventAsync(this ServiceApi api, PlanLobbyEventBody body, CancellationToken ct) =>
        api.SendAsync<LobbyEventRow>(ServiceNames.FootTraffic, HttpMethod.Post, "/api/lobby-events", body, ct);
}
