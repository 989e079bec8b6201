namespace BankClientele.Portal.Services;

// The branch lead's day: roster against the advice, the door (queue, walk-ins, event guests),
// assignment by name, a campaign's audience, costs and worklists. The services scope every answer.

public sealed record RosterSlotRow(int Weekday, int Hour, int Counters, int Greeters = 0);

public sealed record QueueTicketRow(Guid Id, string TicketNumber, string ServiceType, DateTimeOffset ArrivedAt, bool Identified, string? Tier,
    DateTimeOffset? CalledAt, string? CounterNumber, double WaitedMinutes);

public sealed record QueueNowRow(string BranchCode, DateOnly Day, List<QueueTicketRow> Waiting, List<QueueTicketRow> Serving,
    int ServedToday, int AbandonedToday, double AverageWaitMinutes);

/// <summary>A queue ticket the greeter issues at the door; the phone goes to the service to be hashed and matched, never kept.</summary>
public sealed record IssueTicketBody(string BranchCode, string TicketNumber, string ServiceType, DateTimeOffset? IssuedAt, string? CustomerNumber, string? Phone);

/// <summary>The ticket as issued (the service's TicketView): identified when it found a customer.</summary>
public sealed record IssuedTicketRow(Guid Id, string TicketNumber, string ServiceType, Guid? CustomerId)
{
    public bool Identified => CustomerId is not null;
}

public sealed record LobbyGuestRow(string Kind, Guid? CustomerId, string? CustomerNumber, string? Tier, Guid? ProspectId, Guid? WalkInId, string? NameMasked,
    bool Invited, DateTimeOffset? CheckedInAt);

public sealed record CustomerPickRow(Guid Id, string NameMasked, string? CustomerNumber, string Tier, string? RelationshipManagerId, string? RelationshipManagerName);

/// <summary>A move's what-if: <see cref="Refusal"/> is the service's English, <see cref="RefusalCode"/> what the page words.</summary>
public sealed record WhatIfRow(Guid CustomerId, string Tier, int Weight, string? FromManagerId, string ToManagerId, bool Allowed, string? Refusal,
    List<ManagerLoadRow> Managers, string? RefusalCode = null)
{
    /// <summary>The refusal as the move itself would answer it, with the target's capacity, load and the customer's weight.</summary>
    public Refusal AsRefusal() =>
        Managers.FirstOrDefault(m => m.StaffId == ToManagerId) is { } target
            ? Services.Refusal.Coded(409, RefusalCode, Refusal) with
            {
                Numbers = new Dictionary<string, decimal> { ["capacity"] = target.Capacity, ["load"] = target.LoadBefore, ["weight"] = Weight },
            }
            : Services.Refusal.Coded(409, RefusalCode, Refusal);
}

public sealed record AudienceAssignedRow(int Treated, int Control, int Chunks);

public sealed record WorklistCustomerRow(Guid CustomerId, string CustomerNumber, string Tier);

public sealed record WorklistRow(string? RelationshipManagerId, List<WorklistCustomerRow> Customers);

public static class LeadCalls
{
    private static string Q(string value) => Uri.EscapeDataString(value);

    public static Task<ServiceResult<StaffingPlanRow>> StaffingPlanForWeekAsync(this ServiceApi api, string branch, string week, CancellationToken ct) =>
        api.GetAsync<StaffingPlanRow>(ServiceNames.FootTraffic, $"/api/traffic/staffing-plan?branchCode={Q(branch)}&week={Q(week)}", ct);

    public static Task<ServiceResult<List<RosterSlotRow>>> RosterAsync(this ServiceApi api, string branch, CancellationToken ct) =>
        api.GetAsync<List<RosterSlotRow>>(ServiceNames.FootTraffic, $"/api/traffic/rosters/{Q(branch)}", ct);

    public static Task<ServiceResult<int>> SaveRosterAsync(this ServiceApi api, string branch, List<RosterSlotRow> slots, CancellationToken ct) =>
        api.SendAsync<int>(ServiceNames.FootTraffic, HttpMethod.Put, $"/api/traffic/rosters/{Q(branch)}", slots, ct);

    public static Task<ServiceResult<QueueNowRow>> QueueNowAsync(this ServiceApi api, string branch, CancellationToken ct) =>
        api.GetAsync<QueueNowRow>(ServiceNames.FootTraffic, $"/api/queue?branchCode={Q(branch)}", ct);

    public static Task<ServiceResult<IssuedTicketRow>> IssueTicketAsync(this ServiceApi api, IssueTicketBody body, CancellationToken ct) =>
        api.SendAsync<IssuedTicketRow>(ServiceNames.FootTraffic, HttpMethod.Post, "/api/queue/tickets", body, ct);

    public static Task<ServiceResult<LobbyEventRow>> LobbyEventAsync(this ServiceApi api, Guid id, CancellationToken ct) =>
        api.GetAsync<LobbyEventRow>(ServiceNames.FootTraffic, $"/api/lobby-events/{id}", ct);

    public static Task<ServiceResult<List<LobbyGuestRow>>> LobbyGuestsAsync(this ServiceApi api, Guid id, CancellationToken ct) =>
        api.GetAsync<List<LobbyGuestRow>>(ServiceNames.FootTraffic, $"/api/lobby-events/{id}/guests", ct);

    /// <summary>Checks in one guest: a customer (id or number), a prospect or a walk-in.</summary>
    public static Task<ServiceResult<Guid>> CheckInGuestAsync(this ServiceApi api, Guid id, Guid? customerId, string? customerNumber, Guid? prospectId, Guid? walkInId, CancellationToken ct) =>
        api.SendAsync<Guid>(ServiceNames.FootTraffic, HttpMethod.Post, $"/api/lobby-events/{id}/attendance",
            new { customerId, customerNumber, prospectId, walkInId }, ct);

    public static Task<ServiceResult<List<CustomerPickRow>>> FindCustomersAsync(this ServiceApi api, string branch, string name, CancellationToken ct) =>
        api.GetAsync<List<CustomerPickRow>>(ServiceNames.CustomerCare, $"/api/assignment/customers?branchCode={Q(branch)}&name={Q(name)}", ct);

    public static Task<ServiceResult<WhatIfRow>> ReassignmentWhatIfAsync(this ServiceApi api, Guid customerId, string managerId, CancellationToken ct) =>
        api.GetAsync<WhatIfRow>(ServiceNames.CustomerCare, $"/api/customers/{customerId}/reassignment/what-if?relationshipManagerId={Q(managerId)}", ct);

    public static Task<ServiceResult<AudienceAssignedRow>> DrawAudienceAsync(this ServiceApi api, string code, double holdoutFraction, CancellationToken ct) =>
        api.SendAsync<AudienceAssignedRow>(ServiceNames.Acquisition, HttpMethod.Post, $"/api/campaigns/{Q(code)}/audience",
            new { wholeBranch = true, holdoutFraction }, ct);

    public static Task<ServiceResult<CampaignCostRow>> BookCostAsync(this ServiceApi api, string code, decimal amount, string category, DateOnly incurredOn, CancellationToken ct) =>
        api.SendAsync<CampaignCostRow>(ServiceNames.Acquisition, HttpMethod.Post, $"/api/campaigns/{Q(code)}/costs",
            new { amount, category, incurredOn }, ct);

    public static Task<ServiceResult<List<WorklistRow>>> WorklistsAsync(this ServiceApi api, string code, CancellationToken ct) =>
        api.GetAsync<List<WorklistRow>>(ServiceNames.Acquisition, $"/api/campaigns/{Q(code)}/worklists", ct);
}
