using BankClientele.Hosting.Auth;

namespace BankClientele.CustomerCare.Book;

/// <summary>A customer in the book (存量客群), with the relationship manager who looks after them.</summary>
public sealed class Customer : IRelationshipManagerOwned
{
    public Guid Id { get; init; }
    public required string FullName { get; set; }
    public required string Phone { get; set; }
    public required string BranchCode { get; set; }
    public required string AccountNumber { get; set; }
    public decimal InitialDeposit { get; set; }
    public Guid? SourceProspectId { get; init; }
    public string? RelationshipManagerId { get; set; }
    public DateTimeOffset JoinedAt { get; init; }
}
