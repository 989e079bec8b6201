using Microsoft.AspNetCore.Identity;

namespace BankClientele.Portal.Accounts;

/// <summary>A member of staff who signs in to the portal.</summary>
public sealed class StaffAccount : IdentityUser
{
    public string DisplayName { get; set; } = "";

    /// <summary>The id the services know this person by (a relationship manager's staff id, say).</summary>
    public string StaffId { get; set; } = "";

    /// <summary>One of <see cref="Hosting.Auth.StaffRoles"/>.</summary>
    public string Role { get; set; } = "";

    /// <summary>The branch of a relationship manager or branch lead; null for head office.</summary>
    public string? BranchCode { get; set; }

    /// <summary>The region (分行) of a region head; null for everyone else.</summary>
    public string? RegionCode { get; set; }

    /// <summary>When an administrator or head office deactivated the account (locked for good, sessions ended); null while active.</summary>
    public DateTimeOffset? DeactivatedAt { get; set; }
}
