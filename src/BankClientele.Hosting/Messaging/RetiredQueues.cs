using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;

namespace BankClientele.Hosting.Messaging;

/// <summary>
/// Queues a service no longer consumes. The broker keeps a queue, and its binding to the event's exchange,
/// after its consumer is gone: every event would still be stored there for no one. Deleted at start,
/// with their _error queues (the events they held are what the service stopped wanting).
/// </summary>
public sealed class RetiredQueues(IReadOnlyList<string> names, BusQueueInspector broker, ILogger<RetiredQueues> logger) : IHostedService
{
    public async Task StartAsync(CancellationToken cancellationToken)
    {
        foreach (var name in names.SelectMany(n => new[] { n, n + BusQueueInspector.ErrorSuffix }))
        {
            if (await broker.DeleteQueueAsync(name, cancellationToken) is { } dropped)
            {
                logger.LogWarning("Deleted the retired queue {Queue} and the {Messages} messages it held.", name, dropped);
            }
        }
    }

    public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;
}

public static class RetiredQueuesRegistration
{
    /// <summary>Deletes these queues of the service (full names, e.g. <c>acquisition-daily-balances</c>) when it starts.</summary>
    public static IServiceCollection AddRetiredQueues(this IServiceCollection services, params string[] names)
    {
        services.TryAddSingleton<BusQueueInspector>();
        services.AddHostedService(provider => ActivatorUtilities.CreateInstance<RetiredQueues>(provider, (IReadOnlyList<string>)names));
        return services;
    }
}
