namespace BankClientele.Contracts.CustomerCare;

/// <summary>A customer of the book was given a relationship manager (first time, or moved from another).</summary>
/// <param name="PreviousRelationshipManagerId">The manager who had the customer before, if any.</param>
/// <param name="Reason">new-customer, rebalance, manager-left, neglected, manual, ...</param>
public sealed record RelationshipManagerAssigned(
    Guid CustomerId,
    string RelationshipManagerId,
    string BranchCode,
    DateTimeOffset AssignedAt,
    string? PreviousRelationshipManagerId = null,
    string? Reason = null);
