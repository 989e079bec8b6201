using System.ComponentModel.DataAnnotations;
using BankClientele.Hosting.Auth;
using Microsoft.AspNetCore.Authentication.JwtBearer;
using Microsoft.AspNetCore.Identity;

namespace BankClientele.Portal.Accounts;

public sealed record SaveStaffAccount(
    [property: Required, StringLength(64, MinimumLength = 3)] string UserName,
    [property: Required, StringLength(128, MinimumLength = 8)] string Password,
    [property: Required, StringLength(100, MinimumLength = 1)] string DisplayName,
    [property: Required, AllowedValues(StaffRoles.RelationshipManager, StaffRoles.BranchLead, StaffRoles.HeadOffice, StaffRoles.Administrator)] string Role,
    [property: Required, StringLength(40, MinimumLength = 1)] string StaffId,
    [property: StringLength(20)] string? BranchCode);

public sealed record StaffAccountView(string UserName, string DisplayName, string Role, string StaffId, string? BranchCode);

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
        return app;
    }

    private static async Task<IResult> SaveAsync(SaveStaffAccount request, UserManager<StaffAccount> users)
    {
        if (request.Role is StaffRoles.RelationshipManager or StaffRoles.BranchLead && string.IsNullOrWhiteSpace(request.BranchCode))
        {
            return TypedResults.ValidationProblem(new Dictionary<string, string[]>
            {
                [nameof(SaveStaffAccount.BranchCode)] = [$"A {request.Role} belongs to a branch."],
            });
        }
        var account = await users.FindByNameAsync(request.UserName);
        var created = account is null;
        account ??= new StaffAccount { UserName = request.UserName };
        account.DisplayName = request.DisplayName;
        account.Role = request.Role;
        account.StaffId = request.StaffId;
        account.BranchCode = string.IsNullOrWhiteSpace(request.BranchCode) ? null : request.BranchCode;
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
        var view = new StaffAccountView(account.UserName!, account.DisplayName, account.Role, account.StaffId, account.BranchCode);
        return created ? TypedResults.Created($"/api/staff-accounts/{account.UserName}", view) : TypedResults.Ok(view);
    }
}
