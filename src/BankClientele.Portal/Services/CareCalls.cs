namespace BankClientele.Portal.Services;

// Views of CustomerCare's revisit API, as the portal reads them.
public sealed record CareRevisitRow(
    Guid Id, Guid CustomerId, string CustomerName, string Tier, string BranchCode, string? RelationshipManagerId,
    string Reason, string? Detail, DateOnly DueOn, int Priority, string Status, int EscalationLevel,
    DateTimeOffset? CompletedAt, string? Channel, string? Outcome, string? Notes, bool? OnTime);

public sealed record CareLobbyAlertRow(Guid VisitId, Guid CustomerId, string CustomerName, string Tier, string BranchCode, string ServiceType, DateTimeOffset ArrivedAt);

public sealed record CareAgenda(DateOnly Date, List<CareRevisitRow> Overdue, List<CareRevisitRow> Today, List<CareRevisitRow> Upcoming, List<CareLobbyAlertRow> LobbyAlerts);

public sealed record CareOnTimeRateRow(string Key, string BranchCode, int Completed, int OnTime, int OpenOverdue, double Rate);

public sealed record CareOnTime(DateOnly From, DateOnly To, List<CareOnTimeRateRow> Managers, List<CareOnTimeRateRow> Branches);

public sealed record CareCompleteRevisit(string Channel, string Outcome, string? Notes, DateOnly? NextFollowUpOn);

/// <summary>CustomerCare's revisit calls (agenda, visit history, logging a visit, on-time rates).</summary>
public static class CareCalls
{
    public static readonly string[] Channels = ["branch", "customer-site", "phone", "online"];

    public static Task<ServiceResult<CareAgenda>> AgendaAsync(this ServiceApi api, CancellationToken ct) =>
        api.GetAsync<CareAgenda>(ServiceNames.CustomerCare, "/api/agenda", ct);

    public static Task<ServiceResult<List<CareRevisitRow>>> RevisitsAsync(this ServiceApi api, string query, CancellationToken ct) =>
        api.GetAsync<List<CareRevisitRow>>(ServiceNames.CustomerCare, $"/api/revisits?{query}", ct);

    public static Task<ServiceResult<CareOnTime>> OnTimeAsync(this ServiceApi api, CancellationToken ct) =>
        api.GetAsync<CareOnTime>(ServiceNames.CustomerCare, "/api/revisits/on-time", ct);

    public static Task<ServiceResult<CareRevisitRow>> CompleteRevisitAsync(this ServiceApi api, Guid id, CareCompleteRevisit log, CancellationToken ct) =>
        api.SendAsync<CareRevisitRow>(ServiceNames.CustomerCare, HttpMethod.Post, $"/api/revisits/{id}/completion", log, ct);
}
