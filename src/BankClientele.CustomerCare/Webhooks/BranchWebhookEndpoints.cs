using BankClientele.Hosting.Refusals;
using System.ComponentModel.DataAnnotations;
using BankClientele.Hosting.Auth;
using Microsoft.EntityFrameworkCore;

namespace BankClientele.CustomerCare.Webhooks;

public sealed record SaveBranchWebhook(
    [property: Required, StringLength(500, MinimumLength = 8)] string Url,
    [property: Required] string Format);

public sealed record BranchWebhookView(string BranchCode, string Url, string Format, string UpdatedBy, DateTimeOffset UpdatedAt);

public static class BranchWebhookEndpoints
{
    public static IEndpointRouteBuilder MapBranchWebhookEndpoints(this IEndpointRouteBuilder app)
    {
        var branches = app.MapGroup("/api/branches/{code}/webhook").WithTags("Revisit reminders")
            .RequireAuthorization(policy => policy.RequireRole(StaffRoles.BranchLead, StaffRoles.HeadOffice, StaffRoles.Administrator));
        branches.MapGet("/", GetAsync);
        branches.MapPut("/", SaveAsync);
        branches.MapDelete("/", DeleteAsync);
        return app;
    }

    private static async Task<IResult> GetAsync(string code, HttpContext http, CustomerCareDbContext db, CancellationToken ct)
    {
        var scope = DataScope.Of(http.User);
        var webhook = await db.BranchWebhooks.AsNoTracking().InBranchesOf(scope).SingleOrDefaultAsync(w => w.BranchCode == code, ct);
        return webhook is null ? TypedResults.NotFound() : TypedResults.Ok(View(webhook));
    }

    /// <summary>A branch lead sets their own branch's webhook; head office any.</summary>
    private static async Task<IResult> SaveAsync(
        string code, SaveBranchWebhook request, HttpContext http, CustomerCareDbContext db, WebhookTargets targets, TimeProvider clock, CancellationToken ct)
    {
        var scope = DataScope.Of(http.User);
        if (!scope.CanSeeBranch(code))
        {
            return TypedResults.Forbid();
        }
        if (!Uri.TryCreate(request.Url, UriKind.Absolute, out var url))
        {
            return FieldErrors.Problem("url", FieldReasons.NotAnHttpsUrl, "An absolute https URL of the group bot.");
        }
        if (await targets.CheckAsync(url, ct) is { } problem)
        {
            return FieldErrors.Problem("url", url.Scheme == Uri.UriSchemeHttps ? FieldReasons.AddressNotAllowed : FieldReasons.NotAnHttpsUrl, problem);
        }
        if (!WebhookFormats.All.Contains(request.Format))
        {
            return FieldErrors.Problem("format", FieldReasons.NotOneOf, $"One of: {string.Join(", ", WebhookFormats.All)}.");
        }
        var webhook = await db.BranchWebhooks.FindAsync([code], ct);
        if (webhook is null)
        {
            webhook = new BranchWebhook { BranchCode = code, Url = request.Url, Format = request.Format, UpdatedBy = scope.StaffId };
            db.BranchWebhooks.Add(webhook);
        }
        webhook.Url = request.Url;
        webhook.Format = request.Format;
        webhook.UpdatedBy = scope.StaffId;
        webhook.UpdatedAt = clock.GetUtcNow();
        await db.SaveChangesAsync(ct);
        return TypedResults.Ok(View(webhook));
    }

    private static async Task<IResult> DeleteAsync(string code, HttpContext http, CustomerCareDbContext db, CancellationToken ct)
    {
        var scope = DataScope.Of(http.User);
        var deleted = await db.BranchWebhooks.InBranchesOf(scope).Where(w => w.BranchCode == code).ExecuteDeleteAsync(ct);
        return deleted == 0 ? TypedResults.NotFound() : TypedResults.NoContent();
    }

    private static BranchWebhookView View(BranchWebhook w) => new(w.BranchCode, w.Url, w.Format, w.UpdatedBy, w.UpdatedAt);
}
