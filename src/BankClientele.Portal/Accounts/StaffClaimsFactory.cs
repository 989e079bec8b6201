using System.Security.Claims;
using BankClientele.Hosting.Auth;
using Microsoft.AspNetCore.Identity;
using Microsoft.Extensions.Options;

namespace BankClientele.Portal.Accounts;

/// <summary>Puts the staff claims in the sign-in cookie, so the portal can mint service tokens from it.</summary>
public sealed class StaffClaimsFactory(UserManager<StaffAccount> users, IOptions<IdentityOptions> options)
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
        return identity;
    }
}
