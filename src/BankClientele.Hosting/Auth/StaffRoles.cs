namespace BankClientele.Hosting.Auth;

/// <summary>The roles staff sign in with; the names travel in tokens, so they never change.</summary>
public static class StaffRoles
{
    public const string RelationshipManager = "RelationshipManager";
    public const string BranchLead = "BranchLead";
    public const string HeadOffice = "HeadOffice";
    public const string Administrator = "Administrator";

    public static readonly IReadOnlyList<string> All = [RelationshipManager, BranchLead, HeadOffice, Administrator];
}

/// <summary>Claim types of a staff token beside the standard role and subject.</summary>
public static class StaffClaims
{
    public const string StaffId = "staff_id";
    public const string Branch = "branch";
    public const string Name = "name";
    public const string Role = "role";
}
