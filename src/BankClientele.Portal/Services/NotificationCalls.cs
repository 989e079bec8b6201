namespace BankClientele.Portal.Services;

// Views of CustomerCare's inbox API (the bell), as the portal reads them.
public sealed record NotificationRow(
    Guid Id, string Kind, Guid? CustomerId, string? CustomerName, string BranchCode, string? Detail,
    DateTimeOffset CreatedAt, DateTimeOffset? ReadAt);

public sealed record NotificationInbox(int Unread, List<NotificationRow> Items);

public sealed record NotificationsMarked(int Marked);

/// <summary>The signed-in member of staff's own inbox (CustomerCare reads the staff id from the token).</summary>
public static class NotificationCalls
{
    public const string VipArrived = "vip-arrived";
    public const string ApprovalWaiting = "approval-waiting";
    public const string ImportFinished = "import-finished";

    public static Task<ServiceResult<NotificationInbox>> InboxAsync(this ServiceApi api, int limit, bool unreadOnly, CancellationToken ct) =>
        api.GetAsync<NotificationInbox>(ServiceNames.CustomerCare, $"/api/notifications?limit={limit}{(unreadOnly ? "&unread=true" : "")}", ct);

    public static Task<ServiceResult<object>> MarkReadAsync(this ServiceApi api, Guid id, CancellationToken ct) =>
        api.SendAsync<object>(ServiceNames.CustomerCare, HttpMethod.Post, $"/api/notifications/{id}/read", null, ct);

    public static Task<ServiceResult<NotificationsMarked>> MarkAllReadAsync(this ServiceApi api, CancellationToken ct) =>
        api.SendAsync<NotificationsMarked>(ServiceNames.CustomerCare, HttpMethod.Post, "/api/notifications/read", null, ct);
}
