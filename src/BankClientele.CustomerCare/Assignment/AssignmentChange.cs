using BankClientele.Hosting.Auth;

namespace BankClientele.CustomerCare.Assignment;

/// <summary>One change of a customer's relationship manager, kept for the assignment history.</summary>
public sealed class AssignmentChange : IBranchOwned
{
    public Guid Id { get; init; }
    public Guid CustomerId { get; init; }
    public required string BranchCode { get; init; }
    public string? FromManagerId { get; init; }
    /// <summary>Null when no manager of the branch had room (the customer waits in the branch pool).</summary>
    public string? ToManagerId { get; init; }

    /// <summary>See <see cref="AssignmentReasons"/>.</summary>
    public required string Reason { get; init; }

    /// <summary>The branch lead's words for a manual reassignment.</summary>
    public string? Note { get; init; }

    /// <summary>Staff id of who made the change, or "system".</summary>
    public required string ChangedBy { get; init; }
    public DateTimeOffset ChangedAt { get; init; }
}

/// <summary>Why a customer got a (new) manager; travels as RelationshipManagerAssigned.Reason.</summary>
public static class AssignmentReasons
{
    public const string NewCustomer = "new-customer";
    public const string Unassigned = "unassigned";
    public const string ManagerLeft = "manager-left";
    public const string OverCapacity = "over-capacity";
    public const string Rebalance = "rebalance";
    public const string Manual = "manual";

    /// <summary>Neglected past the tier's limit: the nightly revisit pass sent the customer back to the branch pool (公海).</summary>
    public const string ReturnedToPool = "returned-to-pool";
}
