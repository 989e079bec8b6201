using BankClientele.Hosting.Auth;

namespace BankClientele.FootTraffic.Visits;

/// <summary>One queue ticket taken at a branch (流量客群): who, when, for what.</summary>
public sealed class BranchVisit : IBranchOwned
{
    public Guid Id { get; init; }
    public required string BranchCode { get; init; }
    public Guid? CustomerId { get; init; }
    public required string TicketNumber { get; init; }
    public required string ServiceType { get; init; }
    public DateTimeOffset ArrivedAt { get; init; }
}
