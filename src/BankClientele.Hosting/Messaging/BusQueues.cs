using System.Collections.Concurrent;
using BankClientele.Hosting.Auth;
using BankClientele.Hosting.Database;
using MassTransit;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using RabbitMQ.Client;
using RabbitMQ.Client.Exceptions;

namespace BankClientele.Hosting.Messaging;

/// <summary>
/// A consumer's queue as the broker reports it, with its <c>_error</c> queue and the length past which
/// the system page raises an alarm (<c>Messaging:QueueAlarmLength</c>).
/// </summary>
public sealed record QueueStatus(string Queue, uint Messages, uint Consumers, string ErrorQueue, uint ErrorMessages,
    long AlarmLength = BusQueueInspector.DefaultAlarmLength)
{
    /// <summary>
    /// The queue or its _error queue holds at least <see cref="AlarmLength"/> messages: its consumer is stopped or
    /// falling behind. Real queues are never cut short (that would drop events); the operator is warned instead,
    /// long before the broker's memory or disk alarm blocks every publisher.
    /// </summary>
    public bool Alarm => Messages >= AlarmLength || ErrorMessages >= AlarmLength;
}

/// <summary>What POST /api/bus/errors/retry moved: per queue, how many messages went back.</summary>
public sealed record ErrorRetryResult(string Queue, int Moved);

/// <summary>Which queues to retry: one by name, or every queue of the service with <c>All</c>.</summary>
public sealed record RetryErrors(string? Queue, bool All);

public sealed record ErrorQueueRetryRecord(Guid Id, string StaffId, string Role, string Queue, int Moved, DateTimeOffset RetriedAt);

/// <summary>
/// The receive queues this process consumes, as MassTransit reports them ready. Only these are
/// inspected and retried through this service: a service never touches another service's queues.
/// </summary>
public sealed class BusQueueNames : IReceiveEndpointObserver
{
    private readonly ConcurrentDictionary<string, bool> names = new(StringComparer.Ordinal);

    public IReadOnlyList<string> All => names.Keys.Order(StringComparer.Ordinal).ToList();

    public Task Ready(ReceiveEndpointReady ready)
    {
        var name = ready.InputAddress.AbsolutePath.Split('/', StringSplitOptions.RemoveEmptyEntries).LastOrDefault();
        // The bus's own temporary endpoint (machine_process_bus_id) is per instance and holds no events.
        if (name is { Length: > 0 } && !name.Contains("_bus_", StringComparison.Ordinal))
        {
            names.TryAdd(name, true);
        }
        return Task.CompletedTask;
    }

    public Task Stopping(ReceiveEndpointStopping stopping) => Task.CompletedTask;

    public Task Completed(ReceiveEndpointCompleted completed) => Task.CompletedTask;

    public Task Faulted(ReceiveEndpointFaulted faulted) => Task.CompletedTask;
}

/// <summary>
/// Reads queue figures with passive declares (no management plugin needed) and moves messages from
/// an <c>_error</c> queue back to its queue: each one published with confirms before it is acked,
/// so a failure leaves it where it was, never lost and never doubled.
/// </summary>
public sealed class BusQueueInspector(IConfiguration configuration)
{
    public const string ErrorSuffix = "_error";

    /// <summary>Far above what a running consumer leaves waiting (the seed's bursts drain to zero): a queue this long has a stopped or failing consumer.</summary>
    public const long DefaultAlarmLength = 100_000;

    private long AlarmLength => configuration.GetValue("Messaging:QueueAlarmLength", DefaultAlarmLength);

    private ConnectionFactory Factory()
    {
        var options = configuration.GetSection("RabbitMq").Get<RabbitMqOptions>() ?? new RabbitMqOptions();
        return new ConnectionFactory
        {
            HostName = options.Host,
            Port = options.Port,
            VirtualHost = options.VirtualHost,
            UserName = options.Username,
            Password = options.Password,
            ClientProvidedName = "bankclientele-bus-operations",
        };
    }

    public async Task<IReadOnlyList<QueueStatus>> StatusAsync(IEnumerable<string> queues, CancellationToken ct)
    {
        await using var connection = await Factory().CreateConnectionAsync(ct);
        var result = new List<QueueStatus>();
        foreach (var queue in queues)
        {
            var main = await DeclarePassiveAsync(connection, queue, ct);
            var error = await DeclarePassiveAsync(connection, queue + ErrorSuffix, ct);
            result.Add(new QueueStatus(queue, main?.MessageCount ?? 0, main?.ConsumerCount ?? 0, queue + ErrorSuffix, error?.MessageCount ?? 0, AlarmLength));
        }
        return result;
    }

    /// <summary>Moves at most the messages waiting when it starts (one failing again comes back to _error, not round again).</summary>
    public async Task<int> RetryAsync(string queue, CancellationToken ct)
    {
        await using var connection = await Factory().CreateConnectionAsync(ct);
        var waiting = (await DeclarePassiveAsync(connection, queue + ErrorSuffix, ct))?.MessageCount ?? 0;
        if (waiting == 0 || await DeclarePassiveAsync(connection, queue, ct) is null)
        {
            return 0;
        }
        await using var channel = await connection.CreateChannelAsync(
            new CreateChannelOptions(publisherConfirmationsEnabled: true, publisherConfirmationTrackingEnabled: true), ct);
        var moved = 0;
        while (moved < waiting)
        {
            var message = await channel.BasicGetAsync(queue + ErrorSuffix, autoAck: false, ct);
            if (message is null)
            {
                break;
            }
            try
            {
                // Same body and headers (message id included, so the consumer's inbox still sees a repeat).
                await channel.BasicPublishAsync("", queue, mandatory: true, new BasicProperties(message.BasicProperties), message.Body, ct);
            }
            catch
            {
                await channel.BasicNackAsync(message.DeliveryTag, multiple: false, requeue: true, CancellationToken.None);
                throw;
            }
            await channel.BasicAckAsync(message.DeliveryTag, multiple: false, ct);
            moved++;
        }
        return moved;
    }

    /// <summary>Deletes the queue with what it holds; null when there was none.</summary>
    public async Task<uint?> DeleteQueueAsync(string queue, CancellationToken ct)
    {
        await using var connection = await Factory().CreateConnectionAsync(ct);
        if (await DeclarePassiveAsync(connection, queue, ct) is null)
        {
            return null;
        }
        await using var channel = await connection.CreateChannelAsync(cancellationToken: ct);
        return await channel.QueueDeleteAsync(queue, ifUnused: false, ifEmpty: false, cancellationToken: ct);
    }

    /// <summary>The queue's counts, or null when it does not exist (an _error queue appears with the first failure).</summary>
    private static async Task<QueueDeclareOk?> DeclarePassiveAsync(IConnection connection, string queue, CancellationToken ct)
    {
        // A passive declare of a missing queue closes its channel: one channel each.
        await using var channel = await connection.CreateChannelAsync(cancellationToken: ct);
        try
        {
            return await channel.QueueDeclarePassiveAsync(queue, ct);
        }
        catch (OperationInterruptedException e) when (e.ShutdownReason?.ReplyCode == 404)
        {
            return null;
        }
    }
}

public static class BusQueueEndpoints
{
    public static IServiceCollection AddBusQueueOperations(this IServiceCollection services)
    {
        services.AddSingleton<BusQueueNames>();
        services.AddSingleton<BusQueueInspector>();
        services.AddReceiveEndpointObserver(provider => provider.GetRequiredService<BusQueueNames>());
        services.AddHostedService<QueueWatch>();
        return services;
    }

    /// <summary>
    /// For administrators: GET /api/bus/queues (each queue's depth, consumers and error count),
    /// POST /api/bus/errors/retry (audited), GET /api/bus/errors/retries (the audit trail).
    /// </summary>
    public static IEndpointRouteBuilder MapBusQueueOperations(this IEndpointRouteBuilder app)
    {
        var bus = app.MapGroup("/api/bus")
            .RequireAuthorization(policy => policy.RequireRole(StaffRoles.Administrator))
            .WithTags("Bus");

        bus.MapGet("/queues", async (BusQueueNames names, BusQueueInspector inspector, CancellationToken ct) =>
            TypedResults.Ok(await inspector.StatusAsync(names.All, ct)));

        bus.MapPost("/errors/retry", async Task<IResult> (RetryErrors request, BusQueueNames names, BusQueueInspector inspector,
            ServiceDbContext db, HttpContext http, CancellationToken ct) =>
        {
            var known = names.All;
            if (request.All == (request.Queue is { Length: > 0 }))
            {
                return TypedResults.ValidationProblem(new Dictionary<string, string[]>
                {
                    ["queue"] = ["Name one queue, or set all to retry every queue of this service."],
                });
            }
            if (!request.All && !known.Contains(request.Queue!))
            {
                return TypedResults.ValidationProblem(new Dictionary<string, string[]>
                {
                    ["queue"] = [$"'{request.Queue}' is not a queue of this service. Its queues: {string.Join(", ", known)}."],
                });
            }
            var scope = DataScope.Of(http.User);
            var results = new List<ErrorRetryResult>();
            foreach (var queue in request.All ? known : [request.Queue!])
            {
                var moved = await inspector.RetryAsync(queue, ct);
                results.Add(new ErrorRetryResult(queue, moved));
                if (moved > 0 || !request.All)
                {
                    db.ErrorQueueRetries.Add(new ErrorQueueRetry
                    {
                        Id = Guid.CreateVersion7(),
                        StaffId = scope.StaffId,
                        Role = scope.Role,
                        Queue = queue,
                        Moved = moved,
                        RetriedAt = DateTimeOffset.UtcNow,
                    });
                }
            }
            await db.SaveChangesAsync(ct);
            return TypedResults.Ok(results);
        });

        bus.MapGet("/errors/retries", async (ServiceDbContext db, CancellationToken ct) =>
            TypedResults.Ok(await db.ErrorQueueRetries.AsNoTracking().OrderByDescending(r => r.RetriedAt).Take(500)
                .Select(r => new ErrorQueueRetryRecord(r.Id, r.StaffId, r.Role, r.Queue, r.Moved, r.RetriedAt))
                .ToListAsync(ct)));
        return app;
    }
}
