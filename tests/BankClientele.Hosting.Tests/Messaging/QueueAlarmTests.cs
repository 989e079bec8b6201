using BankClientele.Hosting.Messaging;
using Microsoft.Extensions.Configuration;
using RabbitMQ.Client;

namespace BankClientele.Hosting.Tests.Messaging;

/// <summary>
/// The system page's per-queue alarm, over the real broker: a queue (or its _error queue) holding its
/// alarm length or more is raised; one below is not; the length comes from Messaging:QueueAlarmLength.
/// </summary>
public sealed class QueueAlarmTests
{
    [Test]
    public async Task A_queue_at_its_alarm_length_is_raised_and_one_below_is_not()
    {
        var configuration = new ConfigurationBuilder().AddInMemoryCollection(new Dictionary<string, string?>
        {
            ["RabbitMq:Host"] = TestServers.RabbitHost,
            ["RabbitMq:Port"] = TestServers.RabbitPort.ToString(System.Globalization.CultureInfo.InvariantCulture),
            ["RabbitMq:VirtualHost"] = TestServers.RabbitVirtualHost,
            ["Messaging:QueueAlarmLength"] = "3",
        }).Build();
        var inspector = new BusQueueInspector(configuration);
        var suffix = Guid.NewGuid().ToString("N")[..8];
        var (full, calm, failing) = ($"alarm-full-{suffix}", $"alarm-calm-{suffix}", $"alarm-failing-{suffix}");

        var factory = new ConnectionFactory
        {
            HostName = TestServers.RabbitHost, Port = TestServers.RabbitPort, VirtualHost = TestServers.RabbitVirtualHost,
        };
        await using var connection = await factory.CreateConnectionAsync();
        await using var channel = await connection.CreateChannelAsync(new CreateChannelOptions(publisherConfirmationsEnabled: true, publisherConfirmationTrackingEnabled: true));
        try
        {
            foreach (var (queue, count) in new[] { (full, 3), (calm, 2), (failing, 0), (failing + BusQueueInspector.ErrorSuffix, 4) })
            {
                await channel.QueueDeclareAsync(queue, durable: false, exclusive: false, autoDelete: false);
                for (var i = 0; i < count; i++)
                {
                    await channel.BasicPublishAsync("", queue, mandatory: true, new BasicProperties(), "{}"u8.ToArray());
                }
            }

            var status = (await inspector.StatusAsync([full, calm, failing], CancellationToken.None)).ToDictionary(q => q.Queue);
            Assert.Multiple(() =>
            {
                Assert.That(status[full].AlarmLength, Is.EqualTo(3), "the configured length");
                Assert.That(status[full].Messages, Is.EqualTo(3));
                Assert.That(status[full].Alarm, Is.True, "at its length");
                Assert.That(status[calm].Alarm, Is.False, "below it");
                Assert.That(status[failing].Alarm, Is.True, "its _error queue over the length");
            });
        }
        finally
        {
            foreach (var queue in new[] { full, calm, failing, failing + BusQueueInspector.ErrorSuffix })
            {
                await channel.QueueDeleteAsync(queue);
            }
        }
    }
}
