using System.Security.Claims;
using BankClientele.Hosting.Auth;

namespace BankClientele.Portal.Components.Pages.Traffic;

/// <summary>Which branch a traffic page shows: a branch lead's own; head office picks one (default the first demo branch).</summary>
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
        return own ?? Default; // the service refuses any other branch anyway
    }
}
