namespace BankClientele.Contracts.CustomerCare;

/// <summary>A customer of the book was given a relationship manager (first time, or moved from another).</summary>
/// <param name="PreviousRelationshipManagerId">The manager who had the customer before, if any.</param>
/// <param name="Reason">new-customer, rebalance, manager-left, neglected, manual, ...</param>
/// <param name="Version">
/// The customer's assignment version after this change (CustomerCare's <c>customers.assignment_version</c>, one
/// more at every change of manager, <see cref="RelationshipManagerUnassigned"/> included): a consumer applies a
/// message only if its version is newer than the one it holds. 0 in bodies written before versions existed.
/// </param>
public sealed record RelationshipManagerAssigned(
    Guid CustomerId,
    string RelationshipManagerId,
    string BranchCode,
    DateTimeOffset AssignedAt,
    string? PreviousRelationshipManagerId = null,
    string? Reason = null,
    long Version = 0);
