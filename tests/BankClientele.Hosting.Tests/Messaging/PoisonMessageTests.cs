using System.Collections.Concurrent;
using System.Text;
using BankClientele.Hosting.Messaging;
using MassTransit;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using RabbitMQ.Client;

namespace BankClientele.Hosting.Tests.Messaging;

public sealed record WorkItem(Guid Id, bool Poison);

/// <summary>Fails every time on a poison item; records the others.</summary>
public sealed class WorkItemConsumer : IConsumer<WorkItem>
{
    public static readonly ConcurrentDictionary<Guid, int> Handled = new();

    public Task Consume(ConsumeContext<WorkItem> context)
    {
        if (context.Message.Poison)
        {
            throw new InvalidOperationException($"Poison item {context.Message.Id}");
        }
        Handled.AddOrUpdate(context.Message.Id, 1, (_, n) => n + 1);
        return Task.CompletedTask;
    }
}

public sealed class PoisonMessageTests
{
    private const string ServiceName = "poison-test";

    [Test]
    public async Task A_message_that_always_fails_lands_in_the_error_queue_and_the_rest_are_consumed()
    {
        // The bus exactly as services configure it (retries, then the _error queue), over the real broker.
        var builder = Host.CreateApplicationBuilder();
        builder.Configuration.AddInMemoryCollection(new Dictionary<string, string?>
        {
            ["RabbitMq:VirtualHost"] = TestServers.RabbitVirtualHost,
            ["RabbitMq:RetryLimit"] = "2",
            ["RabbitMq:RetryMinInterval"] = "00:00:00.020",
            ["RabbitMq:RetryMaxInterval"] = "00:00:00.100",
        });
        builder.Services.AddServiceBus(ServiceName, bus => bus.AddConsumer<WorkItemConsumer>());
        using var host = builder.Build();
        await host.StartAsync();
        try
        {
            // Publish only once the queue and its binding exist, or the broker drops the messages.
            var health = await host.Services.GetRequiredService<IBusControl>().WaitForHealthStatus(BusHealthStatus.Healthy, TimeSpan.FromSeconds(30));
            Assert.That(health, Is.EqualTo(BusHealthStatus.Healthy));
            var bus = host.Services.GetRequiredService<IBus>();
            var poison = new WorkItem(Guid.NewGuid(), Poison: true);
            var good = Enumerable.Range(0, 3).Select(_ => new WorkItem(Guid.NewGuid(), Poison: false)).ToList();
            await bus.Publish(poison);
            foreach (var item in good)
            {
                await bus.Publish(item);
            }

            await Poll.UntilAsync(() => Task.FromResult(good.Count(g => WorkItemConsumer.Handled.ContainsKey(g.Id))), n => n == good.Count,
                "the messages after the poison one to be consumed");

            var errorQueue = new KebabCaseEndpointNameFormatter(ServiceName, includeNamespace: false).Consumer<WorkItemConsumer>() + "_error";
            var found = await Poll.UntilAsync(() => ErrorQueues.HoldsAsync(errorQueue, poison.Id), f => f, $"the poison item in {errorQueue}");
            Assert.That(found, Is.True);
            Assert.That(WorkItemConsumer.Handled.ContainsKey(poison.Id), Is.False);
        }
        finally
        {
            await host.StopAsync();
        }
    }
}
