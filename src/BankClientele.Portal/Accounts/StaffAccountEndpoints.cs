using System.ComponentModel.DataAnnotations;
using BankClientele.Hosting.Auth;
using Microsoft.AspNetCore.Authentication.JwtBearer;
using Microsoft.AspNetCore.Identity;

namespace BankClientele.Portal.Accounts;

public sealed record SaveStaffAccount(
    [property: Required, StringLength(64, MinimumLength = 3)] string UserName,
    [property: Required, StringLength(128, MinimumLength = 8)] string Password,
    [property: Required, StringLength(100, MinimumLength = 1)] string DisplayName,
    [property: Required, AllowedValues(StaffRoles.RelationshipManager, StaffRoles.BranchLead, StaffRoles.RegionHead, StaffRoles.HeadOffice, StaffRoles.Administrator)] string Role,
    [property: Required, StringLength(40, MinimumLength = 1)] string StaffId,
    [property: StringLength(20)] string? BranchCode,
    [property: StringLength(20)] string? RegionCode = null);

public sealed record StaffAccountView(string UserName, string DisplayName, string Role, string StaffId, string? BranchCode, string? RegionCode = null);

/// <summary>A region (分行) and its branches, as the CLI's seed saves it.</summary>
public sealed record SaveRegion(
    [property: Required, StringLength(20, MinimumLength = 1)] string Code,
    [property: Required, StringLength(100, MinimumLength = 1)] string Name,
    [property: Required, MinLength(1)] List<string> BranchCodes);

public static class StaffAccountEndpoints
{
    /// <summary>
    /// Creates or updates a sign-in account. Only for an administrator's service token (the
    /// operator's CLI), never for a browser cookie.
    /// </summary>
    public static IEndpointRouteBuilder MapStaffAccountEndpoints(this IEndpointRouteBuilder app)
    {
        app.MapPut("/api/staff-accounts", SaveAsync)
            .RequireAuthorization(policy => policy
                .AddAuthenticationSchemes(JwtBearerDefaults.AuthenticationScheme)
                .RequireRole(StaffRoles.Administrator))
            .DisableAntiforgery(); // bearer-token API: no cookie, so no cross-site request to forge
        app.MapPut("/api/regions", SaveRegionAsync)
            .RequireAuthorization(policy => policy
                .AddAuthenticationSchemes(JwtBearerDefaults.AuthenticationScheme)
                .RequireRole(StaffRoles.Administrator))
            .DisableAntiforgery();
        return app;
    }

    /// <summary>Creates or replaces a region; its head's next service token carries the new branches.</summary>
    private static async Task<IResult> SaveRegionAsync(SaveRegion request, PortalDbContext db)
    {
        var branches = request.BranchCodes.Select(b => b.Trim()).Where(b => b.Length > 0).Distinct().Order(StringComparer.Ordinal).ToList();
        if (branches.Count == 0 || branches.Any(b => b.Length > 20))
        {
            return TypedResults.ValidationProblem(new Dictionary<string, string[]> { [nameof(SaveRegion.BranchCodes)] = ["Name one or more branch codes (at most 20 characters each)."] });
        }
        var region = await db.Regions.FindAsync(request.Code);
        if (region is null)
        {
            region = new Regions.Region { Code = request.Code };
            db.Regions.Add(region);
        }
        region.Name = request.Name;
        region.BranchCodes = branches;
        await db.SaveChangesAsync();
        return TypedResults.Ok(new SaveRegion(region.Code, region.Name, region.BranchCodes));
    }

    private static async Task<IResult> SaveAsync(SaveStaffAccount request, UserManager<StaffAccount> users, PortalDbContext db)
    {
        if (await StaffAdministration.PlaceProblemAsync(db, request.Role, request.BranchCode, request.RegionCode) is { } problem)
        {
            return TypedResults.ValidationProblem(new Dictionary<string, string[]> { [problem.Field] = [problem.Message] });
        }
        var account = await users.FindByNameAsync(request.UserName);
        var created = account is null;
        account ??= new StaffAccount { UserName = request.UserName };
        account.DisplayName = request.DisplayName;
        account.Role = request.Role;
        account.StaffId = request.StaffId;
        account.BranchCode = string.IsNullOrWhiteSpace(request.BranchCode) ? null : request.BranchCode;
        account.RegionCode = request.Role == StaffRoles.RegionHead ? request.RegionCode : null;
        account.LockoutEnabled = true;

        var result = created ? await users.CreateAsync(account, request.Password) : await users.UpdateAsync(account);
        if (result.Succeeded && !created)
        {
            var token = await users.GeneratePasswordResetTokenAsync(account);
            result = await users.ResetPasswordAsync(account, token, request.Password);
        }
        if (!result.Succeeded)
        {
            return TypedResults.ValidationProblem(result.Errors
                .GroupBy(e => e.Code.Contains("Password", StringComparison.Ordinal) ? nameof(SaveStaffAccount.Password) : nameof(SaveStaffAccount.UserName))
                .ToDictionary(g => g.Key, g => g.Select(e => e.Description).ToArray()));
        }
        var view = new StaffAccountView(account.UserName!, account.DisplayName, account.Role, account.StaffId, account.BranchCode, account.RegionCode);
        return created ? TypedResults.Created($"/api/staff-accounts/{account.UserName}", view) : TypedResults.Ok(view);
    }
}
