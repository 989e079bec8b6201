using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace BankClientele.CustomerCare.Notifications;

/// <summary>
/// One item in a member of staff's inbox (the portal's bell): a VIP at the door, a revisit reminder,
/// an escalation. Addressed to one staff id; it names the customer by id only, so the name is read
/// (masked, under the reader's scope) when the inbox is shown, never stored here.
/// </summary>
public sealed class Notification
{
    public Guid Id { get; init; }

    /// <summary>The staff id told (a manager, or a branch lead's BL-&lt;branch&gt;).</summary>
    public required string StaffId { get; init; }

    /// <summary>One of <see cref="NotificationKinds"/>.</summary>
    public required string Kind { get; init; }

    /// <summary>
    /// What it is about: FootTraffic's visit id for a VIP arrival, the import's id, a campaign's code
    /// turned into an id for an approval, the reminder's id otherwise (one notification each).
    /// </summary>
    public Guid SubjectId { get; init; }
    public Guid? CustomerId { get; init; }
    public required string BranchCode { get; init; }

    /// <summary>
    /// Codes, never personal data: the tier and service type, the revisit's reason and due day, the
    /// campaign's code and kind, or the import's kind and rows.
    /// </summary>
    public string? Detail { get; init; }
    public DateTimeOffset CreatedAt { get; init; }
    public DateTimeOffset? ReadAt { get; set; }
}

/// <summary>The kinds the system produces today; the revisit escalation's reminders take theirs from here (a reminder is copied to the inbox as is).</summary>
public static class NotificationKinds
{
    public const string VipArrived = "vip-arrived";
    public const string ManagerReminder = "manager-reminder";
    public const string LeadNotice = "lead-notice";
    public const string ReturnedToPool = "returned-to-pool";
    public const string ApprovalWaiting = "approval-waiting";
    public const string ImportFinished = "import-finished";

    public static readonly string[] All = [VipArrived, ManagerReminder, LeadNotice, ReturnedToPool, ApprovalWaiting, ImportFinished];
}

internal sealed class NotificationConfiguration : IEntityTypeConfiguration<Notification>
{
    public void Configure(EntityTypeBuilder<Notification> e)
    {
        e.ToTable("notifications");
        e.Property(n => n.StaffId).HasMaxLength(40);
        e.Property(n => n.Kind).HasMaxLength(20);
        e.Property(n => n.BranchCode).HasMaxLength(20);
        e.Property(n => n.Detail).HasMaxLength(200);
        // A redelivered check-in or a second escalation pass adds nothing.
        e.HasIndex(n => new { n.SubjectId, n.Kind, n.StaffId }).IsUnique();
        // The inbox, newest first, and the bell's unread count (polled): both by the reader's staff id.
        e.HasIndex(n => new { n.StaffId, n.CreatedAt });
        e.HasIndex(n => n.StaffId).HasFilter("read_at IS NULL").HasDatabaseName("ix_notifications_unread");
    }
}
