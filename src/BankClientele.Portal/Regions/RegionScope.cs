using System.Security.Claims;
using BankClientele.Hosting.Auth;

namespace BankClientele.Portal.Regions;

/// <summary>A region head's branches as their sign-in cookie carries them (the same the services get in the token).</summary>
public static class RegionScope
{
    public static IReadOnlyList<string> BranchesOf(ClaimsPrincipal user) =>
        user.IsInRole(StaffRoles.RegionHead)
            ? user.FindAll(StaffClaims.RegionBranch).Select(c => c.Value).Order(StringComparer.Ordinal).ToList()
            : [];

    /// <summary>The branch a region head picked, when it is one of theirs; else null (all of the region).</summary>
    public static string? Picked(ClaimsPrincipal user, string? asked) =>
        asked is { Length: > 0 } && BranchesOf(user).Contains(asked.Trim(), StringComparer.Ordinal) ? asked.Trim() : null;
}
