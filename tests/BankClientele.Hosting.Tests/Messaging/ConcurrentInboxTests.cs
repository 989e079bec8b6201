using System.Collections.Concurrent;
using BankClientele.Contracts.FootTraffic;
using BankClientele.Hosting.Database;
using BankClientele.Hosting.Messaging;
using BankClientele.Insights;
using MassTransit;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;

namespace BankClientele.Hosting.Tests.Messaging;

/// <summary>A test-only high-volume message, counted by <see cref="BatchedVisitConsumer"/>.</summary>
public sealed record BatchedVisit(Guid Id, string BranchCode);

public sealed class BatchedVisitConsumer(InsightsDbContext db) : InboxBatchConsumer<BatchedVisit, InsightsDbContext>(db)
{
    protected override Task HandleBatchAsync(IReadOnlyList<BatchedVisit> messages, ConsumeContext<Batch<BatchedVisit>> context)
    {
        var branch = messages[0].BranchCode; // one branch per test run
        return Db.Database.ExecuteSqlAsync($"""
            INSERT INTO branch_statistics (branch_code, customers, assignments, visits, updated_at)
            VALUES ({branch}, 0, 0, {messages.Count}, now())
            ON CONFLICT (branch_code) DO UPDATE SET visits = branch_statistics.visits + excluded.visits
            """, context.CancellationToken);
    }
}

/// <summary>A test-only message for the one-round-trip path, counted by <see cref="StatementVisitConsumer"/>.</summary>
public sealed record StatementVisit(Guid Id, string BranchCode);

/// <summary>Its inbox insert and its effect go to the database as one batch (InboxConsumer.Statements).</summary>
public sealed class StatementVisitConsumer(InsightsDbContext db) : InboxConsumer<StatementVisit, InsightsDbContext>(db)
{
    protected override IReadOnlyList<FormattableString> Statements(StatementVisit message) =>
    [
        $"""
        INSERT INTO branch_statistics (branch_code, customers, assignments, visits, updated_at)
        VALUES ({message.BranchCode}, 0, 0, 1, now())
        ON CONFLICT (branch_code) DO UPDATE SET visits = branch_statistics.visits + 1
        """,
    ];
}

public sealed class ConcurrentInboxTests
{
    [Test]
    public async Task Copies_of_one_message_delivered_at_once_to_two_consumer_instances_change_state_once()
    {
        // A second Insights on the same database and queues: the copies are split between two processes' consumers.
        await using var replica = new ServiceFactory<InsightsDbContext>(TestSystem.Insights.Database);
        await replica.StartAsync();
        var branch = TestServers.UniqueBranch();
        var deliveries = new ConcurrentDictionary<string, int>();
        using var first = TestSystem.Insights.Get<IBus>().ConnectConsumeMessageObserver(new VisitCounter(branch, "first", deliveries));
        using var second = replica.Get<IBus>().ConnectConsumeMessageObserver(new VisitCounter(branch, "second", deliveries));

        const int visits = 5, copies = 12;
        var bus = TestSystem.Insights.Get<IBus>();
        var publishes = new List<Task>();
        for (var v = 0; v < visits; v++)
        {
            var messageId = Guid.NewGuid();
            var visit = new BranchVisitRecorded(Guid.NewGuid(), branch, null, $"A{v:000}", "存取款", DateTimeOffset.UtcNow);
            publishes.AddRange(Enumerable.Range(0, copies).Select(_ => bus.Publish(visit, context => context.MessageId = messageId)));
        }
        await Task.WhenAll(publishes);

        await Poll.UntilAsync(() => Task.FromResult(deliveries.Values.Sum()), n => n == visits * copies, "every copy to be consumed");
        await using var db = TestSystem.Insights.NewDbContext();
        var stats = await db.BranchStatistics.AsNoTracking().SingleAsync(s => s.BranchCode == branch);
        Assert.Multiple(() =>
        {
            Assert.That(deliveries.Keys, Is.EquivalentTo(new[] { "first", "second" }), "both instances consumed copies");
            Assert.That(stats.Visits, Is.EqualTo(visits), "each visit counted once");
        });
    }

    [Test]
    public async Task A_batch_consumer_on_two_instances_applies_each_message_once_despite_copies_within_and_across_batches()
    {
        var branch = TestServers.UniqueBranch();
        using var one = BatchHost();
        using var two = BatchHost();
        await one.StartAsync();
        await two.StartAsync();
        try
        {
            await AssertBusesHealthyAsync(one, two);
            const int messages = 300, copies = 3;
            var ids = await PublishCopiesAsync(one, messages, copies, id => new BatchedVisit(id, branch));

            var counted = await Poll.UntilAsync(() => InboxCountAsync(ids), n => n == messages, "every message id in the inbox");
            // Copies still on their way would change nothing; let the queue drain before counting.
            await Poll.UntilAsync(QueueDepthAsync, n => n == 0, "the batch queue to drain");
            await using var db = TestSystem.Insights.NewDbContext();
            var stats = await db.BranchStatistics.AsNoTracking().SingleAsync(s => s.BranchCode == branch);
            Assert.That(counted, Is.EqualTo(messages));
            Assert.That(stats.Visits, Is.EqualTo(messages), "each message applied once");
        }
        finally
        {
            await one.StopAsync();
            await two.StopAsync();
        }
    }

    [Test]
    public async Task A_one_round_trip_consumer_on_two_instances_applies_each_message_once_despite_concurrent_copies()
    {
        var branch = TestServers.UniqueBranch();
        using var one = StatementHost();
        using var two = StatementHost();
        await one.StartAsync();
        await two.StartAsync();
        try
        {
            await AssertBusesHealthyAsync(one, two);
            const int messages = 60, copies = 4;
            var ids = await PublishCopiesAsync(one, messages, copies, id => new StatementVisit(id, branch));

            await Poll.UntilAsync(() => InboxCountAsync(ids, nameof(StatementVisitConsumer)), n => n == messages, "every message id in the inbox");
            await Poll.UntilAsync(() => QueueDepthAsync(new KebabCaseEndpointNameFormatter(StatementService, includeNamespace: false).Consumer<StatementVisitConsumer>()),
                n => n == 0, "the queue to drain");
            await using var db = TestSystem.Insights.NewDbContext();
            var stats = await db.BranchStatistics.AsNoTracking().SingleAsync(s => s.BranchCode == branch);
            Assert.That(stats.Visits, Is.EqualTo(messages), "each message applied once");
        }
        finally
        {
            await one.StopAsync();
            await two.StopAsync();
        }
    }

    private const string BatchService = "batch-inbox-test";
    private const string StatementService = "statement-inbox-test";

    private static async Task AssertBusesHealthyAsync(params IHost[] hosts)
    {
        foreach (var host in hosts)
        {
            Assert.That(await host.Services.GetRequiredService<IBusControl>().WaitForHealthStatus(BusHealthStatus.Healthy, TimeSpan.FromSeconds(30)),
                Is.EqualTo(BusHealthStatus.Healthy));
        }
    }

    /// <summary>
    /// Publishes <paramref name="copies"/> copies of each of <paramref name="messages"/> messages, all at once, with the
    /// same message id in every copy, as redeliveries or a re-sent outbox batch carry. Returns the ids.
    /// </summary>
    private static async Task<Guid[]> PublishCopiesAsync<T>(IHost host, int messages, int copies, Func<Guid, T> message) where T : class
    {
        var bus = host.Services.GetRequiredService<IBus>();
        var ids = Enumerable.Range(0, messages).Select(_ => Guid.NewGuid()).ToArray();
        var publishes = new List<Task>();
        for (var copy = 0; copy < copies; copy++)
        {
            publishes.AddRange(ids.Select(id => bus.Publish(message(id), context => context.MessageId = id)));
        }
        await Task.WhenAll(publishes);
        return ids;
    }

    private static IHost StatementHost()
    {
        var builder = Host.CreateApplicationBuilder(new HostApplicationBuilderSettings { DisableDefaults = true });
        builder.Configuration.AddInMemoryCollection(new Dictionary<string, string?>
        {
            ["ConnectionStrings:Database"] = TestServers.Database(TestSystem.Insights.Database),
            ["RabbitMq:VirtualHost"] = TestServers.RabbitVirtualHost,
        });
        builder.AddServiceDatabase<InsightsDbContext>();
        builder.Services.AddServiceBus(StatementService, bus => bus.AddConsumer<StatementVisitConsumer>());
        return builder.Build();
    }

    private static IHost BatchHost()
    {
        var builder = Host.CreateApplicationBuilder(new HostApplicationBuilderSettings { DisableDefaults = true });
        builder.Configuration.AddInMemoryCollection(new Dictionary<string, string?>
        {
            ["ConnectionStrings:Database"] = TestServers.Database(TestSystem.Insights.Database),
            ["RabbitMq:VirtualHost"] = TestServers.RabbitVirtualHost,
        });
        builder.AddServiceDatabase<InsightsDbContext>();
        builder.Services.AddServiceBus(BatchService, bus => bus.AddConsumer<BatchedVisitConsumer, InboxBatchConsumerDefinition<BatchedVisitConsumer>>());
        return builder.Build();
    }

    private static async Task<long> InboxCountAsync(Guid[] ids, string consumer = nameof(BatchedVisitConsumer))
    {
        await using var db = TestSystem.Insights.NewDbContext();
        return await db.InboxMessages.LongCountAsync(m => m.Consumer == consumer && ids.Contains(m.MessageId));
    }

    private static Task<uint> QueueDepthAsync() =>
        QueueDepthAsync(new KebabCaseEndpointNameFormatter(BatchService, includeNamespace: false).Consumer<BatchedVisitConsumer>());

    private static async Task<uint> QueueDepthAsync(string queue)
    {
        var factory = new RabbitMQ.Client.ConnectionFactory { HostName = TestServers.RabbitHost, Port = TestServers.RabbitPort, VirtualHost = TestServers.RabbitVirtualHost };
        await using var connection = await factory.CreateConnectionAsync();
        await using var channel = await connection.CreateChannelAsync();
        return await channel.MessageCountAsync(queue);
    }

    /// <summary>Counts consumed visits of one branch per consumer instance.</summary>
    private sealed class VisitCounter(string branch, string instance, ConcurrentDictionary<string, int> deliveries) : IConsumeMessageObserver<BranchVisitRecorded>
    {
        public Task PreConsume(ConsumeContext<BranchVisitRecorded> context) => Task.CompletedTask;

        public Task PostConsume(ConsumeContext<BranchVisitRecorded> context)
        {
            if (context.Message.BranchCode == branch)
            {
                deliveries.AddOrUpdate(instance, 1, (_, n) => n + 1);
            }
            return Task.CompletedTask;
        }

        public Task ConsumeFault(ConsumeContext<BranchVisitRecorded> context, Exception exception) => Task.CompletedTask;
    }
}
