using System.Diagnostics;
using System.Text;
using RabbitMQ.Client;
using RabbitMQ.Client.Events;

namespace BankClientele.Cli.Bench;

/// <summary>Where the bench reaches RabbitMQ.</summary>
public sealed record BenchBroker(string Host, int Port, string VirtualHost, string Username, string Password, bool Quorum)
{
    public ConnectionFactory Factory() => new()
    {
        HostName = Host,
        Port = Port,
        VirtualHost = VirtualHost,
        UserName = Username,
        Password = Password,
        ClientProvidedName = "bankclientele-bench",
    };

    /// <summary>Every queue a bench declares is bounded: a bench that dies cannot grow it without end (the oldest are dropped past the bound).</summary>
    public Dictionary<string, object?> QueueArguments(int maxLength)
    {
        var arguments = new Dictionary<string, object?> { ["x-max-length"] = maxLength };
        if (Quorum)
        {
            arguments["x-queue-type"] = "quorum";
        }
        return arguments;
    }

    /// <summary>Room for every event of a run twice over (re-sends), never less than 10,000.</summary>
    public static int MaxLength(int events) => (int)Math.Min(int.MaxValue, Math.Max(10_000, 2L * events + 1_000));
}

/// <summary>
/// What the broker allows with plain RabbitMQ.Client: persistent messages to a durable queue,
/// publisher confirms awaited per window of 500, and a consumer acknowledging each message.
/// </summary>
public static class RawRabbitBaseline
{
    public const string Queue = "bench-raw-baseline";
    private const int Window = 500;

    public static async Task<double> RunAsync(BenchBroker broker, int messages, Action<int> progress, CancellationToken ct)
    {
        await using var connection = await broker.Factory().CreateConnectionAsync(ct);
        await using var setup = await connection.CreateChannelAsync(cancellationToken: ct);
        await setup.QueueDeleteAsync(Queue, ifUnused: false, ifEmpty: false, cancellationToken: ct);
        await setup.QueueDeclareAsync(Queue, durable: true, exclusive: false, autoDelete: false, broker.QueueArguments(BenchBroker.MaxLength(messages)), cancellationToken: ct);
        try
        {
            return await RunAsync(connection, messages, progress, ct);
        }
        finally
        {
            // Also when the run fails: the bench leaves nothing on the virtual host.
            await setup.QueueDeleteAsync(Queue, ifUnused: false, ifEmpty: false, cancellationToken: CancellationToken.None);
        }
    }

    private static async Task<double> RunAsync(IConnection connection, int messages, Action<int> progress, CancellationToken ct)
    {

        var consumed = 0;
        var done = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        await using var consuming = await connection.CreateChannelAsync(cancellationToken: ct);
        await consuming.BasicQosAsync(0, 1000, false, ct);
        var consumer = new AsyncEventingBasicConsumer(consuming);
        consumer.ReceivedAsync += async (_, delivery) =>
        {
            await consuming.BasicAckAsync(delivery.DeliveryTag, multiple: false, ct);
            if (Interlocked.Increment(ref consumed) == messages)
            {
                done.TrySetResult();
            }
        };
        await consuming.BasicConsumeAsync(Queue, autoAck: false, consumer, ct);

        await using var publishing = await connection.CreateChannelAsync(
            new CreateChannelOptions(publisherConfirmationsEnabled: true, publisherConfirmationTrackingEnabled: true), ct);
        var properties = new BasicProperties { Persistent = true, ContentType = "application/json" };
        var body = Encoding.UTF8.GetBytes(
            """{"visitId":"0198a6c4-0000-7000-8000-000000000000","branchCode":"SH001","customerId":null,"ticketNumber":"A001","serviceType":"存取款","arrivedAt":"2026-11-23T09:00:00+08:00"}""");

        var clock = Stopwatch.StartNew();
        var pending = new List<Task>(Window);
        for (var i = 0; i < messages; i++)
        {
            pending.Add(publishing.BasicPublishAsync(string.Empty, Queue, mandatory: false, properties, body, ct).AsTask());
            if (pending.Count == Window || i == messages - 1)
            {
                await Task.WhenAll(pending);
                pending.Clear();
                progress(Volatile.Read(ref consumed));
            }
        }
        while (!done.Task.IsCompleted)
        {
            await Task.WhenAny(done.Task, Task.Delay(200, ct));
            progress(Volatile.Read(ref consumed));
        }
        return messages / clock.Elapsed.TotalSeconds;
    }
}
