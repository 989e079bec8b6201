using System.Security.Cryptography;
using System.Text;
using Microsoft.EntityFrameworkCore;

namespace BankClientele.CustomerCare.Notifications;

/// <summary>
/// Where notifications come from: written in the same transaction as what they tell of, so an
/// inbox never misses or doubles one (the unique subject/kind/staff index drops a repeat).
/// </summary>
public static class NotificationWrites
{
    /// <summary>A VIP checked in: their manager is told (with the lobby alert, in the consumer's transaction).</summary>
    public static Task<int> VipArrivedAsync(CustomerCareDbContext db, Guid visitId, Guid customerId, string managerId,
        string branchCode, string tier, string serviceType, DateTimeOffset arrivedAt, CancellationToken ct) =>
        db.Database.ExecuteSqlAsync($"""
            INSERT INTO notifications (id, staff_id, kind, subject_id, customer_id, branch_code, detail, created_at)
            VALUES ({Guid.CreateVersion7()}, {managerId}, {NotificationKinds.VipArrived}, {visitId}, {customerId}, {branchCode},
                    {Detail(tier, serviceType)}, {arrivedAt})
            ON CONFLICT DO NOTHING
            """, ct);

    /// <summary>
    /// The reminders the escalation wrote, each to its recipient's inbox: the same rows the group-bot
    /// webhook sends, so both channels agree. The pass's statements are not one transaction, so this
    /// takes every reminder of the last week (the unique index skips those already told): a pass that
    /// stopped before this step is caught up by the next. The detail is the revisit's reason and due
    /// day, not the reminder's message (which names staff).
    /// </summary>
    public static Task<int> FromRemindersAsync(CustomerCareDbContext db, DateTimeOffset now, CancellationToken ct) =>
        db.Database.ExecuteSqlAsync($"""
            INSERT INTO notifications (id, staff_id, kind, subject_id, customer_id, branch_code, detail, created_at)
            SELECT gen_random_uuid(), m.recipient, m.kind, m.id, r.customer_id, m.branch_code,
                   r.reason || ' · ' || to_char(r.due_on, 'YYYY-MM-DD'), m.created_at
            FROM revisit_reminders m
            JOIN revisits r ON r.id = m.revisit_id
            WHERE m.created_at > {now.AddDays(-7)}
            ORDER BY m.id
            ON CONFLICT DO NOTHING
            """, ct);

    /// <summary>
    /// A draft campaign waits for approval: the branch lead's inbox (<c>BL-&lt;branch&gt;</c>, as the
    /// escalation's lead notices are addressed) is told once per campaign.
    /// </summary>
    public static Task<int> ApprovalWaitingAsync(CustomerCareDbContext db, string campaignCode, string kind, string branchCode,
        DateTimeOffset submittedAt, CancellationToken ct) =>
        db.Database.ExecuteSqlAsync($"""
            INSERT INTO notifications (id, staff_id, kind, subject_id, customer_id, branch_code, detail, created_at)
            VALUES ({Guid.CreateVersion7()}, {NotificationEndpoints.LeadDesk(branchCode)}, {NotificationKinds.ApprovalWaiting}, {SubjectOf("campaign", campaignCode)},
                    NULL, {branchCode}, {$"{campaignCode} · {kind}"}, {submittedAt})
            ON CONFLICT DO NOTHING
            """, ct);

    /// <summary>An import was applied: the person who ran it is told, with the kind and the rows read.</summary>
    public static Task<int> ImportFinishedAsync(CustomerCareDbContext db, Guid importId, string kind, string staffId, string branchCode,
        int rows, DateTimeOffset finishedAt, CancellationToken ct) =>
        db.Database.ExecuteSqlAsync($"""
            INSERT INTO notifications (id, staff_id, kind, subject_id, customer_id, branch_code, detail, created_at)
            VALUES ({Guid.CreateVersion7()}, {staffId}, {NotificationKinds.ImportFinished}, {importId}, NULL, {branchCode},
                    {$"{kind} · {rows}"}, {finishedAt})
            ON CONFLICT DO NOTHING
            """, ct);

    public static string Detail(string tier, string serviceType) => $"{tier} · {serviceType}";

    /// <summary>A stable id for a subject known by a code (a campaign), so a redelivery is the same notification.</summary>
    private static Guid SubjectOf(string kind, string code) =>
        new(SHA256.HashData(Encoding.UTF8.GetBytes($"{kind}|{code}")).AsSpan(0, 16));
}
