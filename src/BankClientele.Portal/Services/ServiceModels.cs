namespace BankClientele.Portal.Services;

// What the portal reads from the services' APIs (their JSON, as the portal needs it).

public sealed record CustomerRow(
    Guid Id, string FullName, string PhoneMasked, string BranchCode, string AccountNumberMasked,
    decimal InitialDeposit, string? RelationshipManagerId, string? RelationshipManagerName, DateTimeOffset JoinedAt);

public sealed record RelationshipManagerRow(string StaffId, string Name, string BranchCode, int Capacity, int CustomerCount);

public sealed record VisitRow(Guid Id, string BranchCode, Guid? CustomerId, string TicketNumber, string ServiceType, DateTimeOffset ArrivedAt);

public sealed record BranchStatisticsRow(string BranchCode, int Customers, int Assignments, int Visits, DateTimeOffset UpdatedAt);

/// <summary>A service's answer, or why there is none (shown to the user instead of an error page).</summary>
public sealed record ServiceResult<T>(T? Value, string? Problem)
{
    public bool Ok => Problem is null;
}
