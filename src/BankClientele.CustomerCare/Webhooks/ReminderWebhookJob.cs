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

    /// <summary>Queues a send for each reminder not yet queued whose branch has a webhook (each once, across instances).</summary>
    public static async Task<int> QueuePendingAsync(CustomerCareDbContext db, IBackgroundJobClient jobs, CancellationToken ct)
    {
        var ids = await db.Database.SqlQueryRaw<Guid>("""
            UPDATE revisit_reminders r SET queued_at = now()
            FROM branch_webhooks w
            WHERE w.branch_code = r.branch_code AND r.queued_at IS NULL AND r.sent_at IS NULL
            RETURNING r.id AS "Value"
            """).ToListAsync(ct);
        foreach (var id in ids)
        {
            jobs.Enqueue<ReminderWebhookJob>(job => job.SendAsync(id, CancellationToken.None));
        }
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
