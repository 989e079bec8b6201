using BankClientele.Contracts.FootTraffic;
using BankClientele.Hosting.Database;
using BankClientele.Hosting.Messaging;
using MassTransit;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using RabbitMQ.Client;

namespace BankClientele.Hosting.Tests.Messaging;

/// <summary>
/// The relay publishes mandatory: an event whose exchange has no queue bound is returned by the
/// broker, not confirmed and dropped, so its row stays unsent (attempts and error recorded) and goes
/// out once a queue is bound. Over the real broker, with exchanges of the test's own (a prefix on
/// every entity name), so no service's queue is bound to them.
/// </summary>
public sealed class MandatoryPublishTests
{
    [Test]
    public async Task An_event_no_queue_is_bound_for_stays_unsent_while_other_types_flow_and_is_sent_once_a_queue_is_bound()
    {
        var database = await BusTestHost.FreshDatabaseAsync("bankclientele_test_relay_mandatory");
        var prefix = $"mandatory-test-{Guid.NewGuid():N}";
        var exchange = $"{prefix}-BankClientele.Contracts.FootTraffic:BranchVisitRecorded";
        var queue = $"{prefix}-tap";
        // Another type, whose exchange has a queue from the start: it must flow while the first backs off.
        var boundExchange = $"{prefix}-BankClientele.Contracts.FootTraffic:HighValueCustomerCheckedIn";
        var boundQueue = $"{prefix}-bound";
        await using var connection = await BusTestHost.Broker().CreateConnectionAsync();
        await using var channel = await connection.CreateChannelAsync();
        await channel.ExchangeDeclareAsync(boundExchange, ExchangeType.Fanout, durable: true);
        await channel.QueueDeclareAsync(boundQueue, durable: true, exclusive: false, autoDelete: false);
        await channel.QueueBindAsync(boundQueue, boundExchange, "");
        var builder = BusTestHost.Builder(database, new Dictionary<string, string?>
        {
            ["Outbox:ReturnedRetryMin"] = "00:00:00.200",
            ["Outbox:ReturnedRetryMax"] = "00:00:01",
        });
        builder.AddServiceDatabase<BusTestDbContext>();
        builder.Services.AddMassTransit(bus => bus.UsingRabbitMq((_, rabbit) =>
        {
            rabbit.Host(TestServers.RabbitHost, (ushort)TestServers.RabbitPort, TestServers.RabbitVirtualHost, _ => { });
            rabbit.MessageTopology.SetEntityNameFormatter(new PrefixedNames(prefix, rabbit.MessageTopology.EntityNameFormatter));
        }));
        builder.Services.AddSingleton<RabbitMqOutboxPublisher>();
        builder.Services.AddSingleton<IOutboxPublisher>(services => services.GetRequiredService<RabbitMqOutboxPublisher>());
        builder.Services.AddHostedService<OutboxRelay<BusTestDbContext>>();
        using var host = builder.Build();
        await host.StartAsync();
        try
        {
            await using (var db = DatabaseRegistration.CreateContext<BusTestDbContext>(TestServers.Database(database)))
            {
                db.Publish(new BranchVisitRecorded(Guid.NewGuid(), TestServers.UniqueBranch(), null, "M001", "存取款", DateTimeOffset.UtcNow));
                await db.SaveChangesAsync();
            }

            // Returned at least twice: not sent, and retried after its back-off.
            var returned = await Poll.UntilAsync(() => RowAsync(database, nameof(BranchVisitRecorded)), row => row.Attempts >= 2, "the relay to have the event returned twice");
            Assert.Multiple(() =>
            {
                Assert.That(returned.SentAt, Is.Null, "a returned event is not marked sent");
                Assert.That(returned.LastError, Does.Contain("returned by the broker").And.Contain("NO_ROUTE").And.Contain(exchange));
            });

            await using (var db = DatabaseRegistration.CreateContext<BusTestDbContext>(TestServers.Database(database)))
            {
                db.Publish(new HighValueCustomerCheckedIn(Guid.NewGuid(), Guid.NewGuid(), TestServers.UniqueBranch(), "Private", "理财", DateTimeOffset.UtcNow));
                await db.SaveChangesAsync();
            }
            var other = await Poll.UntilAsync(() => RowAsync(database, nameof(HighValueCustomerCheckedIn)), row => row.SentAt is not null,
                "the routable event to be sent while the returned one backs off");
            Assert.Multiple(async () =>
            {
                Assert.That(other.Attempts, Is.Zero);
                Assert.That(await channel.MessageCountAsync(boundQueue), Is.EqualTo(1));
                Assert.That((await RowAsync(database, nameof(BranchVisitRecorded))).SentAt, Is.Null);
            });

            await channel.QueueDeclareAsync(queue, durable: true, exclusive: false, autoDelete: false);
            await channel.QueueBindAsync(queue, exchange, "");

            var sent = await Poll.UntilAsync(() => RowAsync(database, nameof(BranchVisitRecorded)), row => row.SentAt is not null, "the event to be sent once a queue is bound");
            var delivered = await Poll.UntilAsync(() => channel.MessageCountAsync(queue), n => n >= 1, "the event in the bound queue");
            var message = await channel.BasicGetAsync(queue, autoAck: true);
            Assert.Multiple(() =>
            {
                Assert.That(delivered, Is.EqualTo(1), "delivered once");
                Assert.That(message!.BasicProperties.MessageId, Is.EqualTo(sent.Id.ToString()));
            });
        }
        finally
        {
            await host.StopAsync();
            await BusTestHost.DeleteAsync([queue, boundQueue], [exchange, boundExchange]);
        }
    }

    private static async Task<OutboxMessage> RowAsync(string database, string type)
    {
        await using var db = DatabaseRegistration.CreateContext<BusTestDbContext>(TestServers.Database(database));
        return await db.OutboxMessages.AsNoTracking().SingleAsync(m => m.MessageType.EndsWith("." + type));
    }

    /// <summary>Every exchange MassTransit derives from a message type, with the test's prefix.</summary>
    private sealed class PrefixedNames(string prefix, IEntityNameFormatter inner) : IEntityNameFormatter
    {
        public string FormatEntityName<T>() => $"{prefix}-{inner.FormatEntityName<T>()}";
    }
}
