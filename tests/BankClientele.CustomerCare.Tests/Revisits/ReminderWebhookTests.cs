using System.Collections.Concurrent;
using System.Net;
using System.Net.Http.Json;
using System.Net.Sockets;
using System.Text.Json.Nodes;
using BankClientele.CustomerCare.Book;
using BankClientele.CustomerCare.Revisits;
using BankClientele.CustomerCare.Webhooks;
using Microsoft.EntityFrameworkCore;
using static BankClientele.CustomerCare.Tests.Revisits.RevisitData;

namespace BankClientele.CustomerCare.Tests.Revisits;

public sealed class ReminderWebhookTests
{
    [Test]
    public async Task A_reminder_is_retried_while_the_webhook_is_down_and_arrives_once_when_it_comes_up()
    {
        var branch = TestServers.UniqueBranch();
        var manager = $"{branch}-RM1";
        var port = FreePort();
        var url = $"http://127.0.0.1:{port}/cgi-bin/webhook/send?key={branch}";
        using var lead = TestSystem.CustomerCare.ClientFor(Tokens.BranchLead(branch));
        var saved = await lead.PutAsJsonAsync($"/api/branches/{branch}/webhook", new SaveBranchWebhook(url, WebhookFormats.WeCom));
        Assert.That(saved.StatusCode, Is.EqualTo(HttpStatusCode.OK), await saved.Content.ReadAsStringAsync());

        Guid revisitId;
        await using (var db = TestSystem.CustomerCare.NewDbContext())
        {
            var customerId = await CustomerAsync(db, branch, manager, CustomerTiers.Wealth);
            revisitId = await OpenRevisitAsync(db, customerId, branch, manager, RevisitReasons.Scheduled, Today.AddDays(-1));
        }
        using var admin = TestSystem.CustomerCare.ClientFor(Tokens.Administrator);
        (await admin.PostAsync("/api/revisits/run", null)).EnsureSuccessStatusCode();

        // The webhook is down: the send fails and Hangfire schedules a retry.
        await Poll.UntilAsync(() => TestDatabases.ScalarAsync<long>(TestSystem.CustomerCare.Database,
                "SELECT count(*) FROM hangfire.job WHERE invocationdata::text LIKE '%ReminderWebhookJob%' AND statename IN ('Scheduled', 'Failed')"),
            n => n > 0, "the failed send to be scheduled for a retry");
        await using var check = TestSystem.CustomerCare.NewDbContext();
        Assert.That(await check.RevisitReminders.Where(r => r.RevisitId == revisitId).Select(r => r.SentAt).SingleAsync(), Is.Null);

        // It comes up: the retry delivers the reminder, once, in the WeCom markdown format.
        await using var bot = GroupBot.Listen(port);

        await Poll.UntilAsync(async () =>
            {
                await using var db = TestSystem.CustomerCare.NewDbContext();
                return await db.RevisitReminders.AsNoTracking().Where(r => r.RevisitId == revisitId).Select(r => r.SentAt).SingleAsync();
            }, sentAt => sentAt is not null, "the reminder to be sent", TimeSpan.FromSeconds(45));
        await Poll.UntilAsync(() => TestDatabases.ScalarAsync<long>(TestSystem.CustomerCare.Database,
                "SELECT count(*) FROM hangfire.job WHERE invocationdata::text LIKE '%ReminderWebhookJob%' AND statename <> 'Succeeded'"),
            n => n == 0, "no send left to retry");
        Assert.That(bot.Received, Has.Count.EqualTo(1), "arrived once");
        var message = bot.Received.Single();
        Assert.Multiple(() =>
        {
            Assert.That(message["msgtype"]!.GetValue<string>(), Is.EqualTo("markdown"));
            Assert.That(message["markdown"]!["content"]!.GetValue<string>(), Does.Contain("回访逾期提醒").And.Contain(manager));
        });
    }

    [Test]
    public async Task A_bad_format_or_url_is_a_problem_naming_the_field_and_a_manager_may_not_set_it()
    {
        var branch = TestServers.UniqueBranch();
        using var lead = TestSystem.CustomerCare.ClientFor(Tokens.BranchLead(branch));
        var badFormat = await lead.PutAsJsonAsync($"/api/branches/{branch}/webhook", new SaveBranchWebhook("https://qyapi.weixin.qq.com/cgi-bin/webhook/send?key=x", "slack"));
        Assert.That((await badFormat.Content.ReadFromJsonAsync<Microsoft.AspNetCore.Mvc.ValidationProblemDetails>())!.Errors.Keys, Is.EquivalentTo(new[] { "format" }));
        var badUrl = await lead.PutAsJsonAsync($"/api/branches/{branch}/webhook", new SaveBranchWebhook("not a url at all", WebhookFormats.DingTalk));
        Assert.That((await badUrl.Content.ReadFromJsonAsync<Microsoft.AspNetCore.Mvc.ValidationProblemDetails>())!.Errors.Keys, Is.EquivalentTo(new[] { "url" }));
        var otherBranch = await lead.PutAsJsonAsync($"/api/branches/{TestServers.UniqueBranch()}/webhook", new SaveBranchWebhook("https://oapi.dingtalk.com/robot/send?access_token=x", WebhookFormats.DingTalk));
        Assert.That(otherBranch.StatusCode, Is.EqualTo(HttpStatusCode.Forbidden));
        using var rm = TestSystem.CustomerCare.ClientFor(Tokens.RelationshipManager($"{branch}-RM1", branch));
        var byManager = await rm.PutAsJsonAsync($"/api/branches/{branch}/webhook", new SaveBranchWebhook("https://oapi.dingtalk.com/robot/send?access_token=x", WebhookFormats.DingTalk));
        Assert.That(byManager.StatusCode, Is.EqualTo(HttpStatusCode.Forbidden));
    }

    [Test]
    public void The_group_bot_bodies_follow_wecom_and_dingtalk()
    {
        var wecom = GroupBotMessage.Markdown(WebhookFormats.WeCom, "标题", "正文");
        Assert.That(wecom["msgtype"]!.GetValue<string>(), Is.EqualTo("markdown"));
        Assert.That(wecom["markdown"]!["content"]!.GetValue<string>(), Is.EqualTo("**标题**\n正文"));
        var ding = GroupBotMessage.Markdown(WebhookFormats.DingTalk, "标题", "正文");
        Assert.That(ding["markdown"]!["title"]!.GetValue<string>(), Is.EqualTo("标题"));
        Assert.That(ding["markdown"]!["text"]!.GetValue<string>(), Is.EqualTo("### 标题\n正文"));
    }

    /// <summary>
    /// A reminder marked queued whose hand-over to Hangfire was lost (a crash between the mark and the
    /// enqueue) is handed over again once it is older than the hand-over's requeue time, and sent once; a
    /// reminder queued a minute ago (its job may still be retrying) is left alone.
    /// </summary>
    [Test]
    public async Task A_reminder_marked_queued_but_never_handed_over_is_still_sent()
    {
        var branch = TestServers.UniqueBranch();
        var manager = $"{branch}-RM1";
        var port = FreePort();
        await using var bot = GroupBot.Listen(port);
        using var lead = TestSystem.CustomerCare.ClientFor(Tokens.BranchLead(branch));
        var saved = await lead.PutAsJsonAsync($"/api/branches/{branch}/webhook", new SaveBranchWebhook($"http://127.0.0.1:{port}/cgi-bin/webhook/send?key={branch}", WebhookFormats.WeCom));
        Assert.That(saved.StatusCode, Is.EqualTo(HttpStatusCode.OK), await saved.Content.ReadAsStringAsync());

        var lost = Guid.NewGuid();
        var recent = Guid.NewGuid();
        var now = DateTimeOffset.UtcNow;
        var recentlyQueuedAt = now.AddMinutes(-1);
        await using (var db = TestSystem.CustomerCare.NewDbContext())
        {
            foreach (var (id, queuedAt, name) in new[] { (lost, now - ReminderWebhookJob.RequeueAfter - TimeSpan.FromHours(1), "失联提醒"), (recent, recentlyQueuedAt, "新近提醒") })
            {
                var customerId = await CustomerAsync(db, branch, manager, CustomerTiers.Wealth, name: name);
                var revisitId = await OpenRevisitAsync(db, customerId, branch, manager, RevisitReasons.Scheduled, Today.AddDays(-10));
                db.RevisitReminders.Add(new RevisitReminder
                {
                    Id = id, RevisitId = revisitId, BranchCode = branch, Kind = ReminderKinds.ManagerReminder, Recipient = manager,
                    Message = $"{name}: 回访已逾期", CreatedAt = queuedAt, QueuedAt = queuedAt,
                });
            }
            await db.SaveChangesAsync();
        }

        // The recurring hand-over (as Hangfire fires it every ten minutes).
        TestSystem.CustomerCare.Get<Hangfire.IRecurringJobManager>().Trigger(ReminderWebhookJob.HandOverJobId);

        await Poll.UntilAsync(async () =>
            {
                await using var db = TestSystem.CustomerCare.NewDbContext();
                return await db.RevisitReminders.AsNoTracking().Where(r => r.Id == lost).Select(r => r.SentAt).SingleAsync();
            }, sentAt => sentAt is not null, "the lost reminder to be sent", TimeSpan.FromSeconds(45));
        await Poll.UntilAsync(() => Task.FromResult(bot.Received.Count), n => n >= 1, "the webhook to receive it");
        await using (var db = TestSystem.CustomerCare.NewDbContext())
        {
            var other = await db.RevisitReminders.AsNoTracking().SingleAsync(r => r.Id == recent);
            Assert.Multiple(() =>
            {
                Assert.That(other.SentAt, Is.Null, "a reminder queued a minute ago is not handed over again");
                Assert.That(other.QueuedAt, Is.EqualTo(recentlyQueuedAt).Within(TimeSpan.FromMilliseconds(1)));
            });
        }
        var contents = bot.Received.Select(m => m["markdown"]!["content"]!.GetValue<string>()).ToList();
        Assert.That(contents, Has.Count.EqualTo(1), "sent once, and only the lost one");
        Assert.That(contents.Single(), Does.Contain("失联提醒"));
    }

    private static int FreePort()
    {
        using var socket = new TcpListener(IPAddress.Loopback, 0);
        socket.Start();
        return ((IPEndPoint)socket.LocalEndpoint).Port;
    }

    /// <summary>A group bot on a local port: keeps every body posted to it and answers as WeCom does.</summary>
    private sealed class GroupBot : IAsyncDisposable
    {
        private readonly HttpListener listener = new();
        private readonly CancellationTokenSource stop = new();
        private Task serving = Task.CompletedTask;

        public ConcurrentQueue<JsonObject> Received { get; } = new();

        public static GroupBot Listen(int port)
        {
            var bot = new GroupBot();
            bot.listener.Prefixes.Add($"http://127.0.0.1:{port}/");
            bot.listener.Start();
            bot.serving = Task.Run(bot.ServeAsync);
            return bot;
        }

        private async Task ServeAsync()
        {
            while (!stop.IsCancellationRequested)
            {
                var context = await listener.GetContextAsync().WaitAsync(stop.Token);
                Received.Enqueue((await JsonNode.ParseAsync(context.Request.InputStream))!.AsObject());
                context.Response.ContentType = "application/json";
                await context.Response.OutputStream.WriteAsync("""{"errcode":0,"errmsg":"ok"}"""u8.ToArray());
                context.Response.Close();
            }
        }

        public async ValueTask DisposeAsync()
        {
            await stop.CancelAsync();
            try { await serving; } catch (OperationCanceledException) { }
            listener.Close();
            stop.Dispose();
        }
    }
}
