using BankClientele.Hosting.Auth;

namespace BankClientele.CustomerCare.Assignment;

/// <summary>A relationship manager (客户经理) of a branch and how many customers they can look after.</summary>
public sealed class RelationshipManager : IBranchOwned
{
    public required string StaffId { get; init; }
    public required string Name { get; set; }
    public required string BranchCode { get; set; }
    public int Capacity { get; set; }
}
