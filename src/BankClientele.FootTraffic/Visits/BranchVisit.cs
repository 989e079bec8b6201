using BankClientele.Hosting.Auth;

namespace BankClientele.FootTraffic.Visits;

/// <summary>
/// One visit at a branch (流量客群): a queue ticket from issue to the end of service (or its
/// abandonment), or a greeter's check-in of a walk-in without a ticket. Identified when the
/// customer is known (customer number or matched phone), anonymous otherwise.
/// </summary>
public sealed class BranchVisit : IBranchOwned
{
    public Guid Id { get; init; }
    public required string BranchCode { get; init; }
    public Guid? CustomerId { get; set; }
    public required string TicketNumber { get; init; }
    public required string ServiceType { get; init; }
    public DateTimeOffset ArrivedAt { get; init; }

    /// <summary>The branch's local day of the queue log; ticket numbers restart each day. Null for visits recorded without a queue (the plain visit API).</summary>
    public DateOnly? LogDate { get; init; }

    public DateTimeOffset? CalledAt { get; set; }
    public string? CounterNumber { get; set; }
    public DateTimeOffset? ServiceStartedAt { get; set; }
    public DateTimeOffset? ServiceEndedAt { get; set; }
    public DateTimeOffset? AbandonedAt { get; set; }

    /// <summary><see cref="VisitSources"/>: how the visit came in.</summary>
    public string Source { get; init; } = VisitSources.Api;
}

public static class VisitSources
{
    public const string Api = "api";
    public const string QueueMachine = "queue";
    public const string QueueLog = "log";
    public const string Greeter = "greeter";
}
