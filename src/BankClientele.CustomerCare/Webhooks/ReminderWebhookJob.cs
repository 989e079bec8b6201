using System.Text.Json.Nodes;
using BankClientele.CustomerCare.Revisits;
using BankClientele.Hosting.Privacy;
using Hangfire;
using Microsoft.EntityFrameworkCore;

namespace BankClientele.CustomerCare.Webhooks;

/// <summary>
/// Sends one revisit reminder to its branch's webhook. While the webhook is down the job fails and
/// Hangfire retries it with back-off; the reminder row, locked while sending and stamped when the
/// webhook accepts it, makes it arrive once.
/// </summary>
public sealed class ReminderWebhookJob(CustomerCareDbContext db, IHttpClientFactory http, WebhookTargets targets, TimeProvider clock)
{
    public const string HttpClientName = "group-bot-webhooks";

    /// <summary>Every 10 minutes (branch time), besides the nightly pass that raises the reminders.</summary>
    public const string HandOverJobId = "customercare-reminder-handover";
    public const string HandOverCron = "*/10 * * * *";

    /// <summary>
    /// Longer than Hangfire's whole retry schedule below (about 1 h 40 min): a reminder still unsent this
    /// long after its hand-over has no live job left, so it is handed over again.
    /// </summary>
    public static readonly TimeSpan RequeueAfter = TimeSpan.FromHours(6);

    /// <summary>A reminder older than this is stale news: no longer handed over again.</summary>
    public static readonly TimeSpan GiveUpAfter = TimeSpan.FromDays(3);

    /// <summary>
    /// Hands each unsent reminder whose branch has a webhook to Hangfire, crash-safe: the reminders are
    /// locked (another instance skips them), each send is stored in Hangfire, and only then is the
    /// reminder marked queued, in the same transaction as the lock. A crash before the commit leaves it
    /// unmarked, so the next pass hands it over again (a second job finds it sent and does nothing). A
    /// reminder marked queued whose send never ran (an older version's crash, a deleted job) is handed
    /// over again after <see cref="RequeueAfter"/>.
    /// </summary>
    public static async Task<int> QueuePendingAsync(CustomerCareDbContext db, IBackgroundJobClient jobs, CancellationToken ct)
    {
        await using var tx = await db.Database.BeginTransactionAsync(ct);
        var requeueAfter = RequeueAfter;
        var giveUpAfter = GiveUpAfter;
        var ids = await db.Database.SqlQuery<Guid>($"""
            SELECT r.id AS "Value"
            FROM revisit_reminders r JOIN branch_webhooks w ON w.branch_code = r.branch_code
            WHERE r.sent_at IS NULL
              AND (r.queued_at IS NULL OR (r.queued_at < now() - {requeueAfter} AND r.created_at > now() - {giveUpAfter}))
            ORDER BY r.id
            FOR UPDATE OF r SKIP LOCKED
            """).ToListAsync(ct);
        foreach (var id in ids)
        {
            jobs.Enqueue<ReminderWebhookJob>(job => job.SendAsync(id, CancellationToken.None));
        }
        if (ids.Count > 0)
        {
            await db.Database.ExecuteSqlAsync($"UPDATE revisit_reminders SET queued_at = now() WHERE id = ANY({ids})", ct);
        }
        await tx.CommitAsync(ct);
        return ids.Count;
    }

    [AutomaticRetry(Attempts = 12, DelaysInSeconds = [1, 2, 4, 8, 15, 30, 60, 120, 300, 600, 1200, 3600])]
    public async Task SendAsync(Guid reminderId, CancellationToken ct)
    {
        await using var tx = await db.Database.BeginTransactionAsync(ct);
        var reminder = await db.RevisitReminders
            .FromSql($"SELECT * FROM revisit_reminders WHERE id = {reminderId} FOR UPDATE")
            .SingleOrDefaultAsync(ct);
        if (reminder is null || reminder.SentAt is not null)
        {
            return;
        }
        var webhook = await db.BranchWebhooks.AsNoTracking().SingleOrDefaultAsync(w => w.BranchCode == reminder.BranchCode, ct);
        if (webhook is null)
        {
            return; // removed since: nothing to send to
        }
        var title = reminder.Kind switch
        {
            ReminderKinds.ManagerReminder => "回访逾期提醒 Revisit overdue",
            ReminderKinds.LeadNotice => "回访逾期通报 Overdue revisit notice",
            _ => "客户退回公海 Customer back to the branch pool",
        };
        // A group chat is no place for a number: masked, whatever the reminder was written with.
        var body = GroupBotMessage.Markdown(webhook.Format, title, FreeText.MaskNumbers($"{reminder.Message}\n> {reminder.Recipient}")!);
        // Both bots answer 200 with {"errcode":0,...}; anything else is a failure to retry.
        var text = await WebhookHttp.PostAsync(http.CreateClient(HttpClientName), targets, webhook.Url, body, ct);
        var answer = text.TrimStart().StartsWith('{') ? JsonNode.Parse(text) as JsonObject : null;
        if (answer?["errcode"] is { } code && code.GetValue<int>() != 0)
        {
            throw new HttpRequestException($"The {webhook.Format} webhook refused the reminder: {answer.ToJsonString()}");
        }
        reminder.SentAt = clock.GetUtcNow();
        await db.SaveChangesAsync(ct);
        await tx.CommitAsync(ct);
    }
}

/// <summary>
/// The recurring hand-over between nightly passes (<see cref="ReminderWebhookJob.HandOverJobId"/>), and the nightly
/// pass's own at its end (<see cref="IReminderHandOver"/>).
/// </summary>
public sealed class ReminderHandOverJob(CustomerCareDbContext db, IBackgroundJobClient jobs) : IReminderHandOver
{
    [DisableConcurrentExecution(timeoutInSeconds: 60)]
    public Task<int> RunAsync(CancellationToken ct) => HandOverAsync(ct);

    public Task<int> HandOverAsync(CancellationToken ct) => ReminderWebhookJob.QueuePendingAsync(db, jobs, ct);
}
