using BankClientele.Hosting.Database;
using MassTransit;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;

namespace BankClientele.Hosting.Messaging;

/// <summary>The RabbitMq section of configuration.</summary>
public sealed class RabbitMqOptions
{
    public string Host { get; set; } = "127.0.0.1";
    public ushort Port { get; set; } = 55672;
    public string VirtualHost { get; set; } = "/";
    public string Username { get; set; } = "guest";
    public string Password { get; set; } = "guest";

    /// <summary>Redeliveries after the first failure, with exponential back-off, before the _error queue.</summary>
    public int RetryLimit { get; set; } = 5;
    public TimeSpan RetryMinInterval { get; set; } = TimeSpan.FromMilliseconds(200);
    public TimeSpan RetryMaxInterval { get; set; } = TimeSpan.FromSeconds(10);

    /// <summary>Unacknowledged messages the broker may push to each receive endpoint at once.</summary>
    public ushort PrefetchCount { get; set; } = 64;

    /// <summary>Messages each receive endpoint handles at the same time (each with its own DbContext).</summary>
    public int ConcurrentMessageLimit { get; set; } = 16;

    /// <summary>
    /// Declare receive queues as quorum queues (replicated over a RabbitMQ cluster; Kubernetes turns
    /// this on). A queue's type is fixed when it is first declared: switch on a fresh virtual host.
    /// </summary>
    public bool QuorumQueues { get; set; }
}

public static class BusRegistration
{
    /// <summary>
    /// MassTransit over RabbitMQ: durable queues named "{service}-{consumer}" (competing consumers
    /// across replicas), publisher confirms, retries with back-off and then the consumer's _error
    /// queue, plus the outbox relay that publishes what <typeparamref name="TContext"/> commits.
    /// </summary>
    public static IHostApplicationBuilder AddServiceBus<TContext>(
        this IHostApplicationBuilder builder,
        string serviceName,
        Action<IBusRegistrationConfigurator> registerConsumers)
        where TContext : ServiceDbContext
    {
        builder.Services.AddServiceBus(serviceName, registerConsumers);
        builder.Services.AddSingleton<RabbitMqOutboxPublisher>();
        builder.Services.AddSingleton<MassTransitOutboxPublisher>();
        builder.Services.TryAddSingleton<IOutboxPublisher>(services =>
            string.Equals(OutboxRelayOptions.From(services.GetRequiredService<IConfiguration>()).Publisher, "MassTransit", StringComparison.OrdinalIgnoreCase)
                ? services.GetRequiredService<MassTransitOutboxPublisher>()
                : services.GetRequiredService<RabbitMqOutboxPublisher>());
        builder.Services.AddHostedService<OutboxRelay<TContext>>();
        return builder;
    }

    /// <summary>The bus alone, without an outbox (also used by tests and tools).</summary>
    public static IServiceCollection AddServiceBus(
        this IServiceCollection services,
        string serviceName,
        Action<IBusRegistrationConfigurator> registerConsumers)
    {
        services.AddSingleton(provider => new MessageFaultLog(serviceName, provider.GetRequiredService<ILogger<MessageFaultLog>>()));
        services.AddMassTransit(bus =>
        {
            // On by default it reports usage to the vendor over the internet: a bank's services call nobody.
            bus.DisableUsageTelemetry();
            bus.SetEndpointNameFormatter(new KebabCaseEndpointNameFormatter(serviceName, includeNamespace: false));
            registerConsumers(bus);
            // Every endpoint logs each message it moves to its _error queue, in one place rather than per consumer.
            bus.AddConfigureEndpointsCallback((context, _, endpoint) => MessageFaultLogFilter.Configure(endpoint, context.GetRequiredService<MessageFaultLog>()));
            bus.UsingRabbitMq((context, rabbit) =>
            {
                var options = context.GetRequiredService<IConfiguration>().GetSection("RabbitMq").Get<RabbitMqOptions>() ?? new RabbitMqOptions();
                rabbit.Host(options.Host, options.Port, options.VirtualHost, host =>
                {
                    host.Username(options.Username);
                    host.Password(options.Password);
                    host.PublisherConfirmation = true;
                });
                rabbit.UseMessageRetry(retry => retry.Exponential(
                    options.RetryLimit, options.RetryMinInterval, options.RetryMaxInterval, options.RetryMinInterval));
                rabbit.PrefetchCount = options.PrefetchCount;
                rabbit.ConcurrentMessageLimit = options.ConcurrentMessageLimit;
                if (options.QuorumQueues)
                {
                    rabbit.SetQuorumQueue();
                }
                rabbit.ConfigureEndpoints(context);
            });
        });
        return services;
    }
}
