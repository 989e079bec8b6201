namespace BankClientele.Portal.Services;

// CustomerCare's assignment API as the portal reads it.

public sealed record ManagerBookRow(string StaffId, string Name, string BranchCode, string Status, bool Senior, int Capacity, int Load, int Customers, decimal Assets);

public sealed record PlannedMoveRow(Guid CustomerId, string? CustomerNumber, string Tier, string? FromManagerId, string? ToManagerId, string Reason);

public sealed record ManagerLoadRow(string StaffId, string Name, string Status, bool Senior, int Capacity, int LoadBefore, int LoadAfter);

public sealed record AssignmentPlanRow(string BranchCode, string Mode, int EligibleCustomers, int Unassigned, long Cost, long LowerBound, double CostGap,
    List<ManagerLoadRow> Managers, List<PlannedMoveRow> Moves);

public sealed record AssignmentChangeRow(Guid Id, Guid CustomerId, string BranchCode, string? FromManagerId, string? ToManagerId, string Reason, string? Note, string ChangedBy, DateTimeOffset ChangedAt);

public static class AssignmentCalls
{
    public static Task<ServiceResult<List<ManagerBookRow>>> ManagerBooksAsync(this ServiceApi api, string? branchCode, CancellationToken ct) =>
        api.GetAsync<List<ManagerBookRow>>(ServiceNames.CustomerCare,
            branchCode is null ? "/api/assignment/books" : $"/api/assignment/books?branchCode={Uri.EscapeDataString(branchCode)}", ct);

    public static Task<ServiceResult<AssignmentPlanRow>> AssignmentPreviewAsync(this ServiceApi api, string branchCode, CancellationToken ct) =>
        api.GetAsync<AssignmentPlanRow>(ServiceNames.CustomerCare, $"/api/assignment/preview?branchCode={Uri.EscapeDataString(branchCode)}", ct);

    public static Task<ServiceResult<AssignmentPlanRow>> ApplyAssignmentAsync(this ServiceApi api, string branchCode, CancellationToken ct) =>
        api.SendAsync<AssignmentPlanRow>(ServiceNames.CustomerCare, HttpMethod.Post, $"/api/assignment/apply?branchCode={Uri.EscapeDataString(branchCode)}", null, ct);

    public static Task<ServiceResult<AssignmentChangeRow>> ReassignAsync(this ServiceApi api, Guid customerId, string managerId, string reason, CancellationToken ct) =>
        api.SendAsync<AssignmentChangeRow>(ServiceNames.CustomerCare, HttpMethod.Post, $"/api/customers/{customerId}/reassignment",
            new { relationshipManagerId = managerId, reason }, ct);
}
