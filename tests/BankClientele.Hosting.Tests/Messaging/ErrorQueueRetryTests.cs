using System.Net;
using System.Net.Http.Json;
using BankClientele.Contracts.FootTraffic;
using BankClientele.Hosting.Messaging;
using BankClientele.Insights;
using MassTransit;
using Microsoft.EntityFrameworkCore;
using RabbitMQ.Client;

namespace BankClientele.Hosting.Tests.Messaging;

/// <summary>
/// Operating the bus over the real broker: a message whose consumer fails (its table gone) ends in
/// the _error queue, the queue figures show it, and once the cause is fixed a retry moves it back,
/// it is consumed once, and the move is audited.
/// </summary>
public sealed class ErrorQueueRetryTests
{
    private const string Queue = "insights-visit-count";

    [Test]
    public async Task A_failed_message_shows_in_the_queue_figures_and_a_retry_consumes_it_once_and_is_audited()
    {
        // The run's Insights: its host consumes the queue (another host of it would compete for the message).
        var insights = TestSystem.Insights;
        await DrainAsync(Queue + BusQueueInspector.ErrorSuffix); // what earlier runs left
        using var admin = insights.ClientFor(Tokens.Administrator);

        var queues = await ServiceSystem.GetAsync<List<QueueStatus>>(admin, "/api/bus/queues");
        Assert.That(queues!.Single(q => q.Queue == Queue).Consumers, Is.GreaterThanOrEqualTo(1));

        // The consumer's table is missing: every attempt fails, so the message goes to the _error queue.
        await using (var db = insights.NewDbContext())
        {
            await db.Database.ExecuteSqlRawAsync("ALTER TABLE branch_statistics RENAME TO branch_statistics_away");
        }
        var branch = TestServers.UniqueBranch("E");
        var messageId = Guid.NewGuid();
        await insights.Get<IBus>().Publish(new BranchVisitRecorded(Guid.NewGuid(), branch, null, "A001", "存取款", DateTimeOffset.UtcNow),
            (PublishContext<BranchVisitRecorded> context) => context.MessageId = messageId);
        var failed = await Poll.UntilAsync(() => ServiceSystem.GetAsync<List<QueueStatus>>(admin, "/api/bus/queues"),
            q => q!.Single(s => s.Queue == Queue).ErrorMessages >= 1, "the failed message in the error queue");
        Assert.That(failed!.Single(s => s.Queue == Queue).ErrorQueue, Is.EqualTo(Queue + "_error"));

        using var headOffice = insights.ClientFor(Tokens.HeadOffice);
        Assert.That((await headOffice.PostAsJsonAsync("/api/bus/errors/retry", new RetryErrors(Queue, false))).StatusCode, Is.EqualTo(HttpStatusCode.Forbidden));
        var unknown = await admin.PostAsJsonAsync("/api/bus/errors/retry", new RetryErrors("acquisition-something", false));
        Assert.That(unknown.StatusCode, Is.EqualTo(HttpStatusCode.BadRequest));
        Assert.That(await unknown.Content.ReadAsStringAsync(), Does.Contain("\"queue\""));

        // The cause fixed, the message goes back and is consumed: one visit counted, nothing left in _error.
        await using (var db = insights.NewDbContext())
        {
            await db.Database.ExecuteSqlRawAsync("ALTER TABLE branch_statistics_away RENAME TO branch_statistics");
        }
        var retry = await admin.PostAsJsonAsync("/api/bus/errors/retry", new RetryErrors(Queue, false));
        Assert.That(retry.StatusCode, Is.EqualTo(HttpStatusCode.OK), await retry.Content.ReadAsStringAsync());
        Assert.That(await retry.Content.ReadFromJsonAsync<List<ErrorRetryResult>>(), Is.EqualTo(new[] { new ErrorRetryResult(Queue, 1) }));

        var visits = await Poll.UntilAsync(() => VisitsAsync(insights, branch), v => v == 1, "the retried visit to be counted");
        Assert.That(visits, Is.EqualTo(1));
        await using (var db = insights.NewDbContext())
        {
            Assert.That(await db.InboxMessages.CountAsync(m => m.MessageId == messageId), Is.EqualTo(1));
        }
        var after = await ServiceSystem.GetAsync<List<QueueStatus>>(admin, "/api/bus/queues");
        Assert.That(after!.Single(s => s.Queue == Queue).ErrorMessages, Is.Zero);

        var audit = await ServiceSystem.GetAsync<List<ErrorQueueRetryRecord>>(admin, "/api/bus/errors/retries");
        Assert.That(audit!.First(), Has.Property("Queue").EqualTo(Queue).And.Property("Moved").EqualTo(1)
            .And.Property("StaffId").EqualTo(Tokens.Administrator.StaffId).And.Property("Role").EqualTo(Tokens.Administrator.Role));
        Assert.That(audit!.First().RetriedAt, Is.EqualTo(DateTimeOffset.UtcNow).Within(TimeSpan.FromMinutes(2)));

        // A second retry finds nothing to move, and says so (still audited: someone asked).
        var again = await admin.PostAsJsonAsync("/api/bus/errors/retry", new RetryErrors(null, true));
        Assert.That((await again.Content.ReadFromJsonAsync<List<ErrorRetryResult>>())!.Sum(r => r.Moved), Is.Zero);
    }

    private static async Task<int> VisitsAsync(ServiceFactory<InsightsDbContext> insights, string branch)
    {
        await using var db = insights.NewDbContext();
        return await db.Database.SqlQuery<int>($"SELECT visits AS \"Value\" FROM branch_statistics WHERE branch_code = {branch}").FirstOrDefaultAsync();
    }

    private static async Task DrainAsync(string queue)
    {
        var factory = new ConnectionFactory { HostName = TestServers.RabbitHost, Port = TestServers.RabbitPort, VirtualHost = TestServers.RabbitVirtualHost };
        await using var connection = await factory.CreateConnectionAsync();
        await using var channel = await connection.CreateChannelAsync();
        try
        {
            await channel.QueuePurgeAsync(queue);
        }
        catch (RabbitMQ.Client.Exceptions.OperationInterruptedException)
        {
            // No such queue yet: nothing to drain.
        }
    }
}
