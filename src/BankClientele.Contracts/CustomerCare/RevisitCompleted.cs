namespace BankClientele.Contracts.CustomerCare;

/// <summary>A relationship manager logged a revisit (定期回访) of a customer.</summary>
/// <param name="Channel">branch, customer-site, phone or online.</param>
/// <param name="OnTime">Completed on or before its due date.</param>
public sealed record RevisitCompleted(
    Guid RevisitId,
    Guid CustomerId,
    string BranchCode,
    string RelationshipManagerId,
    string Reason,
    string Channel,
    string Outcome,
    DateOnly DueOn,
    DateTimeOffset CompletedAt,
    bool OnTime);
