using System.Security.Claims;
using BankClientele.Hosting.Auth;
using Microsoft.AspNetCore.Identity;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;

namespace BankClientele.Portal.Accounts;

/// <summary>Puts the staff claims in the sign-in cookie, so the portal can mint service tokens from it.</summary>
/// A region head's claims carry their region's branches (read again whenever the security stamp is validated).
public sealed class StaffClaimsFactory(UserManager<StaffAccount> users, IOptions<IdentityOptions> options, PortalDbContext db)
    : UserClaimsPrincipalFactory<StaffAccount>(users, options)
{
    protected override async Task<ClaimsIdentity> GenerateClaimsAsync(StaffAccount user)
    {
        var identity = await base.GenerateClaimsAsync(user);
        identity.AddClaim(new Claim(StaffClaims.StaffId, user.StaffId));
        identity.AddClaim(new Claim(StaffClaims.Name, user.DisplayName));
        identity.AddClaim(new Claim(ClaimTypes.Role, user.Role));
        if (user.BranchCode is not null)
        {
            identity.AddClaim(new Claim(StaffClaims.Branch, user.BranchCode));
        }
        if (user.Role == StaffRoles.RegionHead && user.RegionCode is not null
            && await db.Regions.AsNoTracking().SingleOrDefaultAsync(r => r.Code == user.RegionCode) is { } region)
        {
            identity.AddClaim(new Claim(StaffClaims.Region, region.Code));
            foreach (var branch in region.BranchCodes)
            {
                identity.AddClaim(new Claim(StaffClaims.RegionBranch, branch));
            }
        }
        return identity;
    }
}
