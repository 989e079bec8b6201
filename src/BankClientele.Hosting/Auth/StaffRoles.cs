namespace BankClientele.Hosting.Auth;

/// <summary>The roles staff sign in with; the names travel in tokens, so they never change.</summary>
public static class StaffRoles
{
    public const string RelationshipManager = "RelationshipManager";
    public const string BranchLead = "BranchLead";

    /// <summary>分行行长: sees the branches of their region (the portal puts them in the token), nothing else.</summary>
    public const string RegionHead = "RegionHead";
    public const string HeadOffice = "HeadOffice";
    public const string Administrator = "Administrator";

    public static readonly IReadOnlyList<string> All = [RelationshipManager, BranchLead, RegionHead, HeadOffice, Administrator];
}

/// <summary>Claim types of a staff token beside the standard role and subject.</summary>
public static class StaffClaims
{
    public const string StaffId = "staff_id";
    public const string Branch = "branch";

    /// <summary>A region head's branches, one claim per branch code (a JSON array in the token).</summary>
    public const string RegionBranch = "region_branch";

    /// <summary>A region head's region code (for display; scopes use <see cref="RegionBranch"/>).</summary>
    public const string Region = "region";
    public const string Name = "name";
    public const string Role = "role";
}
