using System.Security.Claims;
using BankClientele.Hosting.Auth;

namespace BankClientele.Portal.Components.Pages.Traffic;

/// <summary>
/// Which branch a traffic page shows: a branch lead's own; a region head picks one of their region
/// (default its first); head office picks any (default the first demo branch).
/// </summary>
public static class TrafficBranch
{
    public const string Default = "SH001";

    public static string Of(ClaimsPrincipal user, string? asked)
    {
        var own = user.FindFirst(StaffClaims.Branch)?.Value;
        if (user.IsInRole(StaffRoles.HeadOffice) || user.IsInRole(StaffRoles.Administrator))
        {
            return string.IsNullOrWhiteSpace(asked) ? own ?? Default : asked.Trim().ToUpperInvariant();
        }
        if (user.IsInRole(StaffRoles.RegionHead) && Regions.RegionScope.BranchesOf(user) is { Count: > 0 } region)
        {
            return Regions.RegionScope.Picked(user, asked) ?? region[0];
        }
        return own ?? Default; // the service refuses any other branch anyway
    }
}
