using System.Security.Claims;
using BankClientele.Hosting.Auth;
using BankClientele.Portal.Services;
using Microsoft.AspNetCore.Identity;
using Microsoft.EntityFrameworkCore;

namespace BankClientele.Portal.Accounts;

/// <summary>A member of staff as the administration page lists them.</summary>
public sealed record StaffRow(string UserName, string DisplayName, string Role, string StaffId, string? BranchCode, string? RegionCode,
    DateTimeOffset? DeactivatedAt, bool LockedOut);

/// <summary>A refusal naming the form field at fault.</summary>
/// <summary>
/// A refused staff change: the field at fault, a code the page words in the reader's language (Staff.Problem.*, or
/// Identity's own error code), and the English message the account API answers with.
/// </summary>
public sealed record FieldProblem(string Field, string Code, string Message);

/// <summary>
/// The staff administration page's work: administrators manage everyone, head office everyone but
/// administrators (their network). Deactivation locks the account for good, renews its security
/// stamp (the portal checks the stamp on every request, so open sessions end at once) and tells
/// CustomerCare (calendar link refused, book back to the branch pool).
/// </summary>
public sealed class StaffAdministration(UserManager<StaffAccount> users, PortalDbContext db, ServiceApi services, TimeProvider clock, ILogger<StaffAdministration> logger)
{
    /// <summary>The roles a caller may give: head office cannot make administrators.</summary>
    public static IReadOnlyList<string> RolesGrantableBy(ClaimsPrincipal caller) =>
        caller.IsInRole(StaffRoles.Administrator) ? StaffRoles.All : StaffRoles.All.Where(r => r != StaffRoles.Administrator).ToList();

    public static bool MayAdminister(ClaimsPrincipal caller) =>
        caller.IsInRole(StaffRoles.Administrator) || caller.IsInRole(StaffRoles.HeadOffice);

    private static bool MayManage(ClaimsPrincipal caller, StaffAccount account) =>
        caller.IsInRole(StaffRoles.Administrator) || (caller.IsInRole(StaffRoles.HeadOffice) && account.Role != StaffRoles.Administrator);

    /// <summary>A branch for a manager or lead, an existing region for a region head.</summary>
    public static async Task<FieldProblem?> PlaceProblemAsync(PortalDbContext db, string role, string? branchCode, string? regionCode)
    {
        if (role is StaffRoles.RelationshipManager or StaffRoles.BranchLead && string.IsNullOrWhiteSpace(branchCode))
        {
            return new("BranchCode", "branch-required", $"A {role} belongs to a branch.");
        }
        if (role == StaffRoles.RegionHead && (string.IsNullOrWhiteSpace(regionCode) || !await db.Regions.AnyAsync(r => r.Code == regionCode)))
        {
            return new("RegionCode", "region-required", "A region head needs one of the regions.");
        }
        return null;
    }

    public async Task<List<StaffRow>> ListAsync(ClaimsPrincipal caller, CancellationToken ct)
    {
        var query = db.Users.AsNoTracking();
        if (!caller.IsInRole(StaffRoles.Administrator))
        {
            query = query.Where(a => a.Role != StaffRoles.Administrator);
        }
        var now = clock.GetUtcNow();
        var rows = await query.OrderBy(a => a.UserName).ToListAsync(ct);
        return rows.Select(a => new StaffRow(a.UserName!, a.DisplayName, a.Role, a.StaffId, a.BranchCode, a.RegionCode, a.DeactivatedAt,
            a.LockoutEnd is { } end && end > now)).ToList();
    }

    public Task<List<Regions.Region>> RegionsAsync(CancellationToken ct) => db.Regions.AsNoTracking().OrderBy(r => r.Code).ToListAsync(ct);

    /// <summary>Creates an account (with a first password) or changes one's name, role and place.</summary>
    public async Task<FieldProblem?> SaveAsync(ClaimsPrincipal caller, SaveStaffAccount request, bool create)
    {
        if (!RolesGrantableBy(caller).Contains(request.Role))
        {
            return new("Role", "role-not-grantable", $"You may not give the role {request.Role}.");
        }
        if (await PlaceProblemAsync(db, request.Role, request.BranchCode, request.RegionCode) is { } place)
        {
            return place;
        }
        var account = await users.FindByNameAsync(request.UserName);
        if (create && account is not null)
        {
            return new("UserName", "user-name-taken", "This user name is taken.");
        }
        if (!create && (account is null || !MayManage(caller, account)))
        {
            return new("UserName", "no-such-staff", "No such member of staff in your network.");
        }
        if (await db.Users.AnyAsync(a => a.StaffId == request.StaffId && a.UserName != request.UserName))
        {
            return new("StaffId", "staff-id-taken", "Another account has this staff id.");
        }
        account ??= new StaffAccount { UserName = request.UserName, LockoutEnabled = true };
        account.DisplayName = request.DisplayName;
        account.Role = request.Role;
        account.StaffId = request.StaffId;
        account.BranchCode = request.Role is StaffRoles.RelationshipManager or StaffRoles.BranchLead ? request.BranchCode : null;
        account.RegionCode = request.Role == StaffRoles.RegionHead ? request.RegionCode : null;
        var result = create ? await users.CreateAsync(account, request.Password) : await users.UpdateAsync(account);
        if (result.Succeeded && !create)
        {
            // A new role or place: the person's cookie is rebuilt at their next request.
            result = await users.UpdateSecurityStampAsync(account);
        }
        return Problem(result);
    }

    public async Task<FieldProblem?> ResetPasswordAsync(ClaimsPrincipal caller, string userName, string newPassword)
    {
        var account = await users.FindByNameAsync(userName);
        if (account is null || !MayManage(caller, account))
        {
            return new("UserName", "no-such-staff", "No such member of staff in your network.");
        }
        var token = await users.GeneratePasswordResetTokenAsync(account);
        var result = await users.ResetPasswordAsync(account, token, newPassword); // renews the security stamp: old sessions end
        if (result.Succeeded)
        {
            await users.ResetAccessFailedCountAsync(account);
        }
        return Problem(result);
    }

    /// <summary>Deactivates someone: locked for good, sessions ended, CustomerCare told. Not oneself.</summary>
    public async Task<FieldProblem?> DeactivateAsync(ClaimsPrincipal caller, string userName, CancellationToken ct)
    {
        var account = await users.FindByNameAsync(userName);
        if (account is null || !MayManage(caller, account))
        {
            return new("UserName", "no-such-staff", "No such member of staff in your network.");
        }
        if (account.StaffId == caller.FindFirstValue(StaffClaims.StaffId))
        {
            return new("UserName", "not-yourself", "You cannot deactivate yourself.");
        }
        account.DeactivatedAt ??= clock.GetUtcNow();
        account.LockoutEnabled = true;
        account.LockoutEnd = DateTimeOffset.MaxValue;
        var result = await users.UpdateAsync(account);
        if (result.Succeeded)
        {
            result = await users.UpdateSecurityStampAsync(account);
        }
        if (Problem(result) is { } problem)
        {
            return problem;
        }
        var told = await services.SendAsync<object>(ServiceNames.CustomerCare, HttpMethod.Post,
            $"/api/staff/{Uri.EscapeDataString(account.StaffId)}/deactivation", null, ct);
        if (!told.Ok)
        {
            // The account is locked already; saying so lets the administrator press again (the call changes nothing twice).
            logger.LogWarning("CustomerCare was not told of the deactivation of {StaffId}: {Problem}", account.StaffId, told.Problem);
            return new("UserName", "customer-care-not-told", $"Deactivated in the portal; CustomerCare did not answer ({told.Problem}): try again.");
        }
        return null;
    }

    private static FieldProblem? Problem(IdentityResult result) =>
        result.Succeeded ? null : new FieldProblem(
            result.Errors.Any(e => e.Code.Contains("Password", StringComparison.Ordinal)) ? "Password" : "UserName",
            result.Errors.First().Code, string.Join(" ", result.Errors.Select(e => e.Description)));
}
