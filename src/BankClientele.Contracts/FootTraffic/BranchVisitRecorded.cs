namespace BankClientele.Contracts.FootTraffic;

/// <summary>Someone took a queue ticket at a branch; <paramref name="CustomerId"/> is null for a walk-in who is not a customer.</summary>
public sealed record BranchVisitRecorded(
    Guid VisitId,
    string BranchCode,
    Guid? CustomerId,
    string TicketNumber,
    string ServiceType,
    DateTimeOffset ArrivedAt);
