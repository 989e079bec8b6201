using System.Collections.Concurrent;
using BankClientele.Contracts.FootTraffic;
using BankClientele.Hosting.Messaging;
using MassTransit;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;

namespace BankClientele.FootTraffic.Tests;

/// <summary>
/// A bus of its own on the test virtual host, standing in for the services that will consume
/// FootTraffic's events: it records what arrives over the real broker, and publishes the events
/// FootTraffic consumes from the others.
/// </summary>
public sealed class TrafficBusListener : IAsyncDisposable
{
    public static readonly ConcurrentQueue<object> Received = new();

    private readonly IHost host;

    private TrafficBusListener(IHost host) => this.host = host;

    public IBus Bus => host.Services.GetRequiredService<IBus>();

    public static async Task<TrafficBusListener> StartAsync()
    {
        var builder = Host.CreateApplicationBuilder();
        builder.Configuration.AddInMemoryCollection(new Dictionary<string, string?>
        {
            ["RabbitMq:Host"] = TestServers.RabbitHost,
            ["RabbitMq:Port"] = TestServers.RabbitPort.ToString(System.Globalization.CultureInfo.InvariantCulture),
            ["RabbitMq:VirtualHost"] = TestServers.RabbitVirtualHost,
        });
        builder.Services.AddServiceBus("traffic-test-listener", bus =>
        {
            bus.AddConsumer<ListenLobbyEventInvitationIssued>();
            bus.AddConsumer<ListenLobbyEventAttended>();
            bus.AddConsumer<ListenWalkInIdentifiedAsProspect>();
            bus.AddConsumer<ListenHighValueCustomerCheckedIn>();
            bus.AddConsumer<ListenBranchVisitRecorded>();
        });
        var host = builder.Build();
        await host.StartAsync();
        var health = await host.Services.GetRequiredService<IBusControl>().WaitForHealthStatus(BusHealthStatus.Healthy, TimeSpan.FromSeconds(30));
        Assert.That(health, Is.EqualTo(BusHealthStatus.Healthy));
        return new TrafficBusListener(host);
    }

    public static Task<List<T>> WaitForAsync<T>(Func<T, bool> match, int count, string what) =>
        Poll.UntilAsync(() => Task.FromResult(Received.OfType<T>().Where(match).ToList()), l => l.Count >= count, what);

    public async ValueTask DisposeAsync()
    {
        await host.StopAsync();
        host.Dispose();
    }

    public abstract class Recorder<T> : IConsumer<T> where T : class
    {
        public Task Consume(ConsumeContext<T> context)
        {
            Received.Enqueue(context.Message);
            return Task.CompletedTask;
        }
    }
}

// One class per message: queue names come from consumer class names.
public sealed class ListenLobbyEventInvitationIssued : TrafficBusListener.Recorder<LobbyEventInvitationIssued>;
public sealed class ListenLobbyEventAttended : TrafficBusListener.Recorder<LobbyEventAttended>;
public sealed class ListenWalkInIdentifiedAsProspect : TrafficBusListener.Recorder<WalkInIdentifiedAsProspectV2>;
public sealed class ListenHighValueCustomerCheckedIn : TrafficBusListener.Recorder<HighValueCustomerCheckedIn>;
public sealed class ListenBranchVisitRecorded : TrafficBusListener.Recorder<BranchVisitRecorded>;
