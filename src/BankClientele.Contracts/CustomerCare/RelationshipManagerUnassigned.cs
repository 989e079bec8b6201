namespace BankClientele.Contracts.CustomerCare;

/// <summary>
/// A customer of the book lost their relationship manager and waits in the branch pool (公海) for the next
/// assignment: the manager was deactivated, left with no one to take over, or neglected the customer.
/// </summary>
/// <param name="PreviousRelationshipManagerId">The manager who had the customer.</param>
/// <param name="Reason">manager-left, returned-to-pool, over-capacity, ...</param>
/// <param name="Version">
/// The customer's assignment version after this change, in the same sequence as
/// <see cref="RelationshipManagerAssigned.Version"/>: consumers apply it only if it is newer than the version they hold.
/// </param>
public sealed record RelationshipManagerUnassigned(
    Guid CustomerId,
    string BranchCode,
    string PreviousRelationshipManagerId,
    string Reason,
    DateTimeOffset UnassignedAt,
    long Version);
