namespace BankClientele.Contracts.CustomerCare;

/// <summary>A customer of the book was given a relationship manager.</summary>
public sealed record RelationshipManagerAssigned(
    Guid CustomerId,
    string RelationshipManagerId,
    string BranchCode,
    DateTimeOffset AssignedAt);
