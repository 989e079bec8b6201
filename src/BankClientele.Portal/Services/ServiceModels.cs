namespace BankClientele.Portal.Services;

// What the portal reads from the services' APIs (their JSON, as the portal needs it).

public sealed record CustomerRow(
    Guid Id, string FullName, string PhoneMasked, string BranchCode, string AccountNumberMasked,
    decimal InitialDeposit, string? RelationshipManagerId, string? RelationshipManagerName, DateTimeOffset JoinedAt);

public sealed record RelationshipManagerRow(string StaffId, string Name, string BranchCode, int Capacity, int CustomerCount);

public sealed record VisitRow(Guid Id, string BranchCode, Guid? CustomerId, string TicketNumber, string ServiceType, DateTimeOffset ArrivedAt);

/// <summary>A branch's counts; <c>Assigned</c> is the customers in a manager's book now (<c>Assignments</c> counts every move).</summary>
public sealed record BranchStatisticsRow(string BranchCode, int Customers, int Assignments, int Visits, DateTimeOffset UpdatedAt, int Assigned = 0);

/// <summary>A service as the administrator's status page shows it.</summary>
public sealed record ServiceStatus(string Service, bool Ready, string Detail, TimeSpan Elapsed, Uri Address, Uri? JobsDashboard);

/// <summary>What a page shows when a service could not answer.</summary>
public interface IServiceAnswer
{
    /// <summary>One of <see cref="ServiceNames"/>.</summary>
    string Service { get; }

    /// <summary>Why there is no answer (technical detail: the status, or the connection's error), or null.</summary>
    string? Problem { get; }

    /// <summary>The service's refusal, read from its problem details, for <see cref="Localization.RefusalWords"/> to word; null when answered.</summary>
    Refusal? Refusal { get; }
}

/// <summary>A service's answer, or why there is none (shown to the user instead of an error page).</summary>
public sealed record ServiceResult<T>(string Service, T? Value, string? Problem) : IServiceAnswer
{
    public bool Ok => Problem is null;

    public Refusal? Refusal { get; init; }
}
