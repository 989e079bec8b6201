using BankClientele.Hosting.Refusals;
using BankClientele.Hosting.Auth;
using BankClientele.Hosting.Privacy;
using Microsoft.EntityFrameworkCore;

namespace BankClientele.CustomerCare.Notifications;

/// <summary>
/// A notification as its reader sees it: the customer's name masked, and only when the customer is
/// in the reader's scope today (a customer who has moved to another manager shows by kind alone).
/// </summary>
public sealed record NotificationView(
    Guid Id, string Kind, Guid? CustomerId, string? CustomerName, string BranchCode, string? Detail,
    DateTimeOffset CreatedAt, DateTimeOffset? ReadAt);

/// <summary>The caller's inbox: how many are unread, and the newest items.</summary>
public sealed record InboxView(int Unread, List<NotificationView> Items);

public sealed record MarkedRead(int Marked);

/// <summary>
/// Each member of staff's own inbox, addressed by the staff id in their token: nobody reads or marks
/// another's (there is no parameter naming whose inbox, not even for head office).
/// </summary>
public static class NotificationEndpoints
{
    public const int MaxLimit = 100;

    public static IEndpointRouteBuilder MapNotificationEndpoints(this IEndpointRouteBuilder app)
    {
        var inbox = app.MapGroup("/api/notifications").WithTags("Notifications");
        inbox.MapGet("/", InboxAsync);
        inbox.MapPost("/{id:guid}/read", MarkReadAsync);
        inbox.MapPost("/read", MarkAllReadAsync);
        return app;
    }

    /// <summary>
    /// The newest <paramref name="limit"/> notifications (30 unless asked, at most 100), or only the
    /// unread ones; the bell polls this with a small limit for its count and its toast.
    /// </summary>
    private static async Task<IResult> InboxAsync(int? limit, bool? unread, HttpContext http, CustomerCareDbContext db, CancellationToken ct)
    {
        if (limit is < 1 or > MaxLimit)
        {
            return FieldErrors.Problem("limit", FieldReasons.OutOfRange, $"between 1 and {MaxLimit}", ("min", 1), ("max", MaxLimit));
        }
        var scope = DataScope.Of(http.User);
        var addresses = AddressesOf(scope);
        var mine = db.Notifications.AsNoTracking().Where(n => addresses.Contains(n.StaffId));
        var unreadCount = await mine.CountAsync(n => n.ReadAt == null, ct);
        var shown = unread == true ? mine.Where(n => n.ReadAt == null) : mine;
        var customers = db.Customers.AsNoTracking().VisibleTo(scope);
        var rows = await shown.OrderByDescending(n => n.CreatedAt).ThenByDescending(n => n.Id).Take(limit ?? 30)
            .Select(n => new NotificationView(n.Id, n.Kind, n.CustomerId,
                customers.Where(c => c.Id == n.CustomerId).Select(c => c.FullName).FirstOrDefault(),
                n.BranchCode, n.Detail, n.CreatedAt, n.ReadAt))
            .ToListAsync(ct);
        return TypedResults.Ok(new InboxView(unreadCount,
            rows.Select(r => r with { CustomerName = r.CustomerName is null ? null : PersonalData.MaskName(r.CustomerName) }).ToList()));
    }

    /// <summary>Marks one of the caller's notifications read; another's is a 404, as if it did not exist.</summary>
    private static async Task<IResult> MarkReadAsync(Guid id, HttpContext http, CustomerCareDbContext db, TimeProvider clock, CancellationToken ct)
    {
        var scope = DataScope.Of(http.User);
        var now = clock.GetUtcNow();
        var addresses = AddressesOf(scope);
        var found = await db.Notifications.Where(n => n.Id == id && addresses.Contains(n.StaffId))
            .ExecuteUpdateAsync(s => s.SetProperty(n => n.ReadAt, n => n.ReadAt ?? now), ct);
        return found == 0 ? TypedResults.NotFound() : TypedResults.NoContent();
    }

    private static async Task<IResult> MarkAllReadAsync(HttpContext http, CustomerCareDbContext db, TimeProvider clock, CancellationToken ct)
    {
        var scope = DataScope.Of(http.User);
        var now = clock.GetUtcNow();
        var addresses = AddressesOf(scope);
        var marked = await db.Notifications.Where(n => addresses.Contains(n.StaffId) && n.ReadAt == null)
            .ExecuteUpdateAsync(s => s.SetProperty(n => n.ReadAt, now), ct);
        return TypedResults.Ok(new MarkedRead(marked));
    }

    /// <summary>
    /// Whose notices the caller reads: their own, and a branch lead also the branch's lead desk
    /// (<c>BL-&lt;branch&gt;</c>, where escalations and approvals are addressed whatever the lead's own
    /// staff id; the leads of a branch share its read marks).
    /// </summary>
    private static string[] AddressesOf(DataScope scope) =>
        scope.Role == StaffRoles.BranchLead && scope.BranchCode is { } branch ? [scope.StaffId, LeadDesk(branch)] : [scope.StaffId];

    public static string LeadDesk(string branchCode) => "BL-" + branchCode;
}
