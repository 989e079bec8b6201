using BankClientele.Hosting.Messaging;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using RabbitMQ.Client;
using RabbitMQ.Client.Exceptions;

namespace BankClientele.Hosting.Tests.Messaging;

/// <summary>A queue a service stopped consuming is deleted when the service starts, and only that queue.</summary>
public sealed class RetiredQueuesTests
{
    [Test]
    public async Task A_retired_queue_and_its_error_queue_are_deleted_at_start_with_what_they_held()
    {
        var retired = $"test-retired-{Guid.NewGuid():N}";
        var kept = $"test-kept-{Guid.NewGuid():N}";
        var factory = new ConnectionFactory { HostName = TestServers.RabbitHost, Port = TestServers.RabbitPort, VirtualHost = TestServers.RabbitVirtualHost };
        await using var connection = await factory.CreateConnectionAsync();
        await using (var channel = await connection.CreateChannelAsync())
        {
            foreach (var queue in new[] { retired, retired + BusQueueInspector.ErrorSuffix, kept })
            {
                await channel.QueueDeclareAsync(queue, durable: true, exclusive: false, autoDelete: false);
                await channel.BasicPublishAsync("", queue, "left behind"u8.ToArray());
            }
        }

        var builder = Host.CreateApplicationBuilder();
        builder.Configuration.AddInMemoryCollection(new Dictionary<string, string?> { ["RabbitMq:VirtualHost"] = TestServers.RabbitVirtualHost });
        builder.Services.AddRetiredQueues(retired);
        using var host = builder.Build();
        await host.StartAsync();
        await host.StopAsync();

        Assert.Multiple(async () =>
        {
            Assert.That(await ExistsAsync(connection, retired), Is.False);
            Assert.That(await ExistsAsync(connection, retired + BusQueueInspector.ErrorSuffix), Is.False);
            Assert.That(await ExistsAsync(connection, kept), Is.True);
        });
        await using var cleanup = await connection.CreateChannelAsync();
        await cleanup.QueueDeleteAsync(kept);
    }

    private static async Task<bool> ExistsAsync(IConnection connection, string queue)
    {
        await using var channel = await connection.CreateChannelAsync();
        try
        {
            await channel.QueueDeclarePassiveAsync(queue);
            return true;
        }
        catch (OperationInterruptedException e) when (e.ShutdownReason?.ReplyCode == 404)
        {
            return false;
        }
    }
}
