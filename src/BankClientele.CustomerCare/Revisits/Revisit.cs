using BankClientele.CustomerCare.Notifications;
using BankClientele.Hosting.Auth;

namespace BankClientele.CustomerCare.Revisits;

/// <summary>
/// A visit a relationship manager owes a customer (定期回访): scheduled by the tier's cadence, or
/// triggered by an event. At most one is open per customer and reason (a unique index), so the
/// nightly pass and the consumers can insert blindly and never duplicate one.
/// </summary>
public sealed class Revisit : IRelationshipManagerOwned
{
    public Guid Id { get; init; }
    public Guid CustomerId { get; init; }
    public required string BranchCode { get; set; }

    /// <summary>The manager who owes the visit; null once the customer went back to the branch pool.</summary>
    public string? RelationshipManagerId { get; set; }

    /// <summary>See <see cref="RevisitReasons"/>.</summary>
    public required string Reason { get; init; }

    /// <summary>What triggered it, in words (the product maturing, the size of the outflow...).</summary>
    public string? Detail { get; set; }
    public DateOnly DueOn { get; set; }
    public string Status { get; set; } = RevisitStatuses.Open;
    public DateTimeOffset CreatedAt { get; init; }

    /// <summary>0 none, 1 the manager was reminded, 2 the branch lead was told, 3 back to the pool.</summary>
    public int EscalationLevel { get; set; }

    public DateTimeOffset? CompletedAt { get; set; }
    public string? CompletedBy { get; set; }
    public string? Channel { get; set; }
    public string? Outcome { get; set; }
    public string? Notes { get; set; }
    public bool? OnTime { get; set; }
}

public static class RevisitStatuses
{
    public const string Open = "Open";
    public const string Completed = "Completed";

    /// <summary>Closed without a visit: the customer went back to the pool.</summary>
    public const string Released = "Released";
}

/// <summary>Why a revisit exists; they travel in RevisitCompleted, so they never change.</summary>
public static class RevisitReasons
{
    /// <summary>The tier's regular cadence, or the follow-up date set at the last visit.</summary>
    public const string Scheduled = "scheduled";
    public const string FlightRisk = "flight-risk";
    public const string Maturity = "maturity";
    public const string Welcome = "welcome";
    public const string LobbyEvent = "lobby-event";

    /// <summary>A visit nobody scheduled (the customer dropped in or called), logged as done.</summary>
    public const string Unscheduled = "unscheduled";

    public static readonly string[] All = [Scheduled, FlightRisk, Maturity, Welcome, LobbyEvent, Unscheduled];
}

/// <summary>How a visit was made.</summary>
public static class RevisitChannels
{
    public static readonly string[] All = ["branch", "customer-site", "phone", "wechat", "online"];
}

/// <summary>A high-value customer checked in at a branch: their manager sees it on My Day at once.</summary>
public sealed class LobbyAlert : IRelationshipManagerOwned
{
    /// <summary>FootTraffic's visit id: one alert per check-in.</summary>
    public Guid VisitId { get; init; }
    public Guid CustomerId { get; init; }
    public required string BranchCode { get; init; }
    public string? RelationshipManagerId { get; init; }
    public required string Tier { get; init; }
    public required string ServiceType { get; init; }
    public DateTimeOffset ArrivedAt { get; init; }
}

/// <summary>
/// A reminder the escalation raised: to the manager, then the branch lead, or the notice that a
/// customer went back to the pool. Sent to the branch's webhook when one is configured.
/// </summary>
public sealed class RevisitReminder : IBranchOwned
{
    public Guid Id { get; init; }
    public Guid RevisitId { get; init; }
    public required string BranchCode { get; init; }

    /// <summary>manager-reminder, lead-notice or returned-to-pool (unique per revisit).</summary>
    public required string Kind { get; init; }

    /// <summary>The staff id told: the manager, or the branch lead role for the branch.</summary>
    public required string Recipient { get; init; }
    public required string Message { get; init; }
    public DateTimeOffset CreatedAt { get; init; }

    /// <summary>When a send was queued to the branch webhook (once), and when the webhook accepted it.</summary>
    public DateTimeOffset? QueuedAt { get; set; }
    public DateTimeOffset? SentAt { get; set; }
}

/// <summary>The escalation's reminders: each is also copied to its recipient's inbox as the notification of the same kind.</summary>
public static class ReminderKinds
{
    public const string ManagerReminder = NotificationKinds.ManagerReminder;
    public const string LeadNotice = NotificationKinds.LeadNotice;
    public const string ReturnedToPool = NotificationKinds.ReturnedToPool;
}
