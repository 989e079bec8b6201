using System.Diagnostics;
using BankClientele.Contracts.FootTraffic;
using BankClientele.Hosting.Database;
using BankClientele.Hosting.Messaging;
using MassTransit;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Npgsql;

namespace BankClientele.Cli.Bench;

public sealed record EventsBenchOptions(int Events, int Publishers, string Consumer, BenchBroker Broker, string PostgresServer, TimeSpan StallTimeout,
    string DatabasePrefix = "bankclientele_bench", string Relay = "RabbitMq", int RelayBatchSize = 1000,
    bool OutboxFirst = true, int Warmup = 0)
{
    public string SourceDatabase => $"{DatabasePrefix}_source";

    public string SinkDatabase => $"{DatabasePrefix}_sink";
}

public sealed record EventsBenchResult(int Events, double Seconds, double PerSecond, double RawPerSecond, double Ratio, long Lost, long Duplicates,
    double WrittenSeconds, double SentSeconds, string Consumer, string Queues, string Relay, int RelayBatchSize,
    string Mode, double FillSeconds, int Warmup = 0, long WarmupLost = 0);

/// <summary>
/// N events through the project's real path: <c>db.Publish</c> + <c>SaveChangesAsync</c> into an
/// outbox (P writers, 100 events a transaction), the <see cref="OutboxRelay{TContext}"/>, MassTransit
/// over RabbitMQ, an inbox consumer writing one effect row per event. Two hosts in this process,
/// each with its own database (recreated each run) and bus, on the bench's virtual host.
/// </summary>
public static class EventsBench
{
    private const int EventsPerTransaction = 100;

    public static async Task<EventsBenchResult> RunAsync(EventsBenchOptions options, IProgress<(string Stage, int Done)> progress, CancellationToken ct)
    {
        var raw = await RawRabbitBaseline.RunAsync(options.Broker, options.Events, n => progress.Report(("raw", n)), ct);
        // Exchanges a service may have declared already on this virtual host stay; the bench's own go at the end.
        var ownExchanges = await MissingAsync(options.Broker, SharedExchanges, ct);
        try
        {
            if (options.Warmup <= 0)
            {
                return await RunOutboxPathAsync(options, raw, progress, ct);
            }
            // A first, untimed pass through the same path (fresh databases and queues again after it), so the timed one
            // measures the path, not the JIT compiling it: the raw baseline's few calls are compiled by its own first messages.
            var warm = await RunOutboxPathAsync(options with { Events = options.Warmup }, raw, new Progress<(string, int)>(), ct);
            var timed = await RunOutboxPathAsync(options, raw, progress, ct);
            return timed with { Warmup = options.Warmup, WarmupLost = warm.Lost + warm.Duplicates };
        }
        finally
        {
            await DeleteDeclaredAsync(options.Broker, ownExchanges);
        }
    }

    private static async Task<EventsBenchResult> RunOutboxPathAsync(EventsBenchOptions options, double raw, IProgress<(string Stage, int Done)> progress, CancellationToken ct)
    {
        var sourceConnection = await RecreateDatabaseAsync(options.PostgresServer, options.SourceDatabase, sink: false, ct);
        var sinkConnection = await RecreateDatabaseAsync(options.PostgresServer, options.SinkDatabase, sink: true, ct);
        await DeleteSinkQueuesAsync(options, ct);

        using var sink = BuildHost(options, sinkConnection, builder =>
        {
            builder.AddServiceDatabase<BenchSinkDbContext>();
            builder.Services.AddServiceBus("bench-sink", bus =>
            {
                var maxLength = BenchBroker.MaxLength(options.Events);
                bus.AddConfigureEndpointsCallback((_, _, endpoint) =>
                {
                    if (endpoint is IRabbitMqReceiveEndpointConfigurator rabbit)
                    {
                        rabbit.SetQueueArgument("x-max-length", maxLength); // bounded, like every queue a bench declares
                    }
                });
                switch (options.Consumer)
                {
                    case "batch":
                        bus.AddConsumer<BenchVisitBatchConsumer, InboxBatchConsumerDefinition<BenchVisitBatchConsumer>>();
                        break;
                    case "single-tx":
                        bus.AddConsumer<BenchVisitTransactionConsumer>();
                        break;
                    default:
                        bus.AddConsumer<BenchVisitConsumer>();
                        break;
                }
            });
        });
        using var source = BuildHost(options, sourceConnection, builder =>
        {
            builder.AddServiceDatabase<BenchSourceDbContext>();
            builder.AddServiceBus<BenchSourceDbContext>("bench-source", _ => { });
        });
        await sink.StartAsync(ct);
        var sourceStarted = false;
        if (!options.OutboxFirst)
        {
            await source.StartAsync(ct);
            sourceStarted = true;
        }
        try
        {
            // Publish only once the consumer's queue is bound, or the broker drops the first events.
            if (await sink.Services.GetRequiredService<IBusControl>().WaitForHealthStatus(BusHealthStatus.Healthy, TimeSpan.FromSeconds(30)) != BusHealthStatus.Healthy)
            {
                throw new InvalidOperationException("The bench consumer's bus did not become healthy in 30 s.");
            }

            var writtenSoFar = 0;
            var write = () => Enumerable.Range(0, options.Publishers)
                .Select(p => WriteEventsAsync(source.Services, Share(options.Events, options.Publishers, p), n =>
                    progress.Report(("outbox", Interlocked.Add(ref writtenSoFar, n))), ct))
                .ToList();
            var fillSeconds = 0.0;
            if (options.OutboxFirst)
            {
                // The case: N committed rows waiting in the outbox, then the relay starts (the clock includes its bus start).
                var fill = Stopwatch.StartNew();
                await Task.WhenAll(write());
                fillSeconds = fill.Elapsed.TotalSeconds;
            }
            var clock = Stopwatch.StartNew();
            var startedAt = DateTimeOffset.UtcNow;
            List<Task> writers = [];
            if (options.OutboxFirst)
            {
                await source.StartAsync(ct);
                sourceStarted = true;
            }
            else
            {
                writers = write();
            }
            // Where the time goes: when the last event was committed to the outbox, and (below) when the relay had sent them all.
            var written = Task.WhenAll(writers).ContinueWith(_ => clock.Elapsed.TotalSeconds, TaskScheduler.Default);
            var (distinct, rows) = await WaitForEffectsAsync(sinkConnection, options, writers, progress, ct);
            var seconds = clock.Elapsed.TotalSeconds;
            await Task.WhenAll(writers);
            // Copies would land after the last new effect: wait for the outbox and the queue to drain, then count again.
            await WaitForDrainAsync(sourceConnection, options, ct);
            // Read from the rows afterwards rather than polled during the run, which would take CPU from what is timed.
            var sentSeconds = (await LastSentAsync(sourceConnection, ct) - startedAt).TotalSeconds;
            (distinct, rows) = await CountEffectsAsync(sinkConnection, ct);
            var perSecond = distinct / seconds;
            return new EventsBenchResult(options.Events, Math.Round(seconds, 2), Math.Round(perSecond), Math.Round(raw), Math.Round(perSecond / raw, 3),
                options.Events - distinct, rows - distinct, Math.Round(await written, 2), Math.Round(sentSeconds, 2),
                options.Consumer, options.Broker.Quorum ? "quorum" : "classic", options.Relay.ToLowerInvariant(), options.RelayBatchSize,
                options.OutboxFirst ? "outbox-first" : "concurrent-writers", Math.Round(fillSeconds, 2));
        }
        finally
        {
            if (sourceStarted)
            {
                await source.StopAsync(CancellationToken.None);
            }
            await sink.StopAsync(CancellationToken.None);
        }
    }

    private static int Share(int total, int parts, int index) => total / parts + (index < total % parts ? 1 : 0);

    private static IHost BuildHost(EventsBenchOptions options, string connectionString, Action<HostApplicationBuilder> configure)
    {
        var builder = Host.CreateApplicationBuilder(new HostApplicationBuilderSettings { DisableDefaults = true });
        builder.Configuration.AddInMemoryCollection(new Dictionary<string, string?>
        {
            ["ConnectionStrings:Database"] = connectionString,
            ["RabbitMq:Host"] = options.Broker.Host,
            ["RabbitMq:Port"] = options.Broker.Port.ToString(System.Globalization.CultureInfo.InvariantCulture),
            ["RabbitMq:VirtualHost"] = options.Broker.VirtualHost,
            ["RabbitMq:Username"] = options.Broker.Username,
            ["RabbitMq:Password"] = options.Broker.Password,
            ["RabbitMq:QuorumQueues"] = options.Broker.Quorum ? "true" : "false",
            ["Outbox:Publisher"] = options.Relay,
            ["Outbox:BatchSize"] = options.RelayBatchSize.ToString(System.Globalization.CultureInfo.InvariantCulture),
        });
        builder.Logging.AddSimpleConsole(o => o.SingleLine = true).SetMinimumLevel(LogLevel.Warning);
        configure(builder);
        return builder.Build();
    }

    private static async Task WriteEventsAsync(IServiceProvider services, int count, Action<int> committed, CancellationToken ct)
    {
        var random = new Random(count);
        for (var written = 0; written < count; written += EventsPerTransaction)
        {
            await using var scope = services.CreateAsyncScope();
            var db = scope.ServiceProvider.GetRequiredService<BenchSourceDbContext>();
            for (var i = 0; i < Math.Min(EventsPerTransaction, count - written); i++)
            {
                db.Publish(new BranchVisitRecorded(Guid.CreateVersion7(), $"SH{random.Next(1, 13):000}", null, $"A{i:000}", "存取款", DateTimeOffset.UtcNow));
            }
            await db.SaveChangesAsync(ct);
            committed(Math.Min(EventsPerTransaction, count - written));
        }
    }

    private static async Task<(long Distinct, long Rows)> WaitForEffectsAsync(string sink, EventsBenchOptions options, List<Task> writers,
        IProgress<(string, int)> progress, CancellationToken ct)
    {
        var last = -1L;
        var lastChange = Stopwatch.StartNew();
        while (true)
        {
            if (writers.FirstOrDefault(w => w.IsFaulted) is { } failed)
            {
                await failed; // a writer's error ends the bench
            }
            // The clock's own poll must not take the CPU it measures: count(*) costs a fifth of count(DISTINCT) at
            // 20,000 rows, so the distinct count runs only once enough rows are there to be complete.
            var rows = await ScalarAsync(sink, "SELECT count(*) FROM bench_effects", ct);
            progress.Report(("events", (int)Math.Min(rows, options.Events)));
            if (rows >= options.Events && await CountEffectsAsync(sink, ct) is var counted && counted.Distinct >= options.Events)
            {
                return counted;
            }
            if (rows != last)
            {
                last = rows;
                lastChange.Restart();
            }
            else if (lastChange.Elapsed > options.StallTimeout)
            {
                return await CountEffectsAsync(sink, ct); // nothing new for too long: report what is lost
            }
            await Task.Delay(100, ct);
        }
    }

    private static async Task WaitForDrainAsync(string source, EventsBenchOptions options, CancellationToken ct)
    {
        var deadline = Stopwatch.StartNew();
        var factory = options.Broker.Factory();
        await using var connection = await factory.CreateConnectionAsync(ct);
        await using var channel = await connection.CreateChannelAsync(cancellationToken: ct);
        while (deadline.Elapsed < options.StallTimeout)
        {
            var unsent = await ScalarAsync(source, "SELECT count(*) FROM outbox_messages WHERE sent_at IS NULL", ct);
            var queued = await channel.MessageCountAsync(SinkQueue(options), ct);
            if (unsent == 0 && queued == 0)
            {
                return;
            }
            await Task.Delay(100, ct);
        }
    }

    private static async Task<(long Distinct, long Rows)> CountEffectsAsync(string sink, CancellationToken ct)
    {
        await using var connection = new NpgsqlConnection(sink);
        await connection.OpenAsync(ct);
        await using var command = new NpgsqlCommand("SELECT count(DISTINCT visit_id), count(*) FROM bench_effects", connection);
        await using var reader = await command.ExecuteReaderAsync(ct);
        await reader.ReadAsync(ct);
        return (reader.GetInt64(0), reader.GetInt64(1));
    }

    /// <summary>When the relay marked the last row sent (the relay stamps the time the broker had confirmed it).</summary>
    private static async Task<DateTimeOffset> LastSentAsync(string source, CancellationToken ct)
    {
        await using var connection = new NpgsqlConnection(source);
        await connection.OpenAsync(ct);
        await using var command = new NpgsqlCommand("SELECT max(sent_at) FROM outbox_messages", connection);
        return await command.ExecuteScalarAsync(ct) is DateTime last ? new DateTimeOffset(last, TimeSpan.Zero) : DateTimeOffset.UtcNow;
    }

    private static async Task<long> ScalarAsync(string connectionString, string sql, CancellationToken ct)
    {
        await using var connection = new NpgsqlConnection(connectionString);
        await connection.OpenAsync(ct);
        await using var command = new NpgsqlCommand(sql, connection);
        return Convert.ToInt64(await command.ExecuteScalarAsync(ct), System.Globalization.CultureInfo.InvariantCulture);
    }

    private static readonly KebabCaseEndpointNameFormatter SinkNames = new("bench-sink", includeNamespace: false);

    private static string SinkQueue(EventsBenchOptions options) => options.Consumer switch
    {
        "batch" => SinkNames.Consumer<BenchVisitBatchConsumer>(),
        "single-tx" => SinkNames.Consumer<BenchVisitTransactionConsumer>(),
        _ => SinkNames.Consumer<BenchVisitConsumer>(),
    };

    /// <summary>The sink's queues and MassTransit's exchange of the same name for each (the consumer's, its _error and _skipped).</summary>
    private static readonly string[] SinkEntities =
    [
        .. new[] { SinkNames.Consumer<BenchVisitBatchConsumer>(), SinkNames.Consumer<BenchVisitConsumer>(), SinkNames.Consumer<BenchVisitTransactionConsumer>() }
            .SelectMany(queue => new[] { queue, queue + "_error", queue + "_skipped" }),
    ];

    /// <summary>The event's exchange (the relay's and the sink's) and those MassTransit publishes a consumer's faults to.</summary>
    private static readonly string[] SharedExchanges =
    [
        "BankClientele.Contracts.FootTraffic:BranchVisitRecorded",
        "MassTransit:Fault--BankClientele.Contracts.FootTraffic:BranchVisitRecorded--",
        "MassTransit:Fault",
    ];

    /// <summary>Fresh queues each run: nothing left from an aborted run, and the queue type (classic or quorum) as asked.</summary>
    private static async Task DeleteSinkQueuesAsync(EventsBenchOptions options, CancellationToken ct)
    {
        await using var connection = await options.Broker.Factory().CreateConnectionAsync(ct);
        await using var channel = await connection.CreateChannelAsync(cancellationToken: ct);
        foreach (var queue in SinkEntities)
        {
            await channel.QueueDeleteAsync(queue, ifUnused: false, ifEmpty: false, cancellationToken: ct);
        }
    }

    /// <summary>Of these exchanges, those the virtual host does not have yet.</summary>
    private static async Task<IReadOnlyList<string>> MissingAsync(BenchBroker broker, IEnumerable<string> exchanges, CancellationToken ct)
    {
        await using var connection = await broker.Factory().CreateConnectionAsync(ct);
        var missing = new List<string>();
        foreach (var exchange in exchanges)
        {
            // A passive declare of a missing exchange closes its channel: one channel each.
            await using var channel = await connection.CreateChannelAsync(cancellationToken: ct);
            try
            {
                await channel.ExchangeDeclarePassiveAsync(exchange, ct);
            }
            catch (RabbitMQ.Client.Exceptions.OperationInterruptedException e) when (e.ShutdownReason?.ReplyCode == 404)
            {
                missing.Add(exchange);
            }
        }
        return missing;
    }

    /// <summary>
    /// Removes what the run declared: the raw baseline's queue (its own clean-up), the sink's queues and
    /// their exchanges, and the shared exchanges it created (their bindings go with them). Also after a
    /// failure; the hosts' own temporary queues and exchanges are auto-delete and went when they stopped.
    /// </summary>
    private static async Task DeleteDeclaredAsync(BenchBroker broker, IReadOnlyList<string> ownExchanges)
    {
        await using var connection = await broker.Factory().CreateConnectionAsync(CancellationToken.None);
        await using var channel = await connection.CreateChannelAsync(cancellationToken: CancellationToken.None);
        foreach (var queue in SinkEntities)
        {
            await channel.QueueDeleteAsync(queue, ifUnused: false, ifEmpty: false, cancellationToken: CancellationToken.None);
        }
        foreach (var exchange in SinkEntities.Concat(ownExchanges))
        {
            await channel.ExchangeDeleteAsync(exchange, ifUnused: false, cancellationToken: CancellationToken.None);
        }
    }

    /// <summary>Drops and creates the database, then its tables from the context's model (and any extra SQL).</summary>
    private static async Task<string> RecreateDatabaseAsync(string server, string database, bool sink, CancellationToken ct)
    {
        // Pooled connections to the dropped database of an earlier run in this process are dead.
        NpgsqlConnection.ClearAllPools();
        await using (var admin = new NpgsqlConnection(new NpgsqlConnectionStringBuilder(server) { Database = "postgres" }.ConnectionString))
        {
            await admin.OpenAsync(ct);
            await using var drop = new NpgsqlCommand($"DROP DATABASE IF EXISTS {database} WITH (FORCE)", admin);
            await drop.ExecuteNonQueryAsync(ct);
            await using var create = new NpgsqlCommand($"CREATE DATABASE {database}", admin);
            await create.ExecuteNonQueryAsync(ct);
        }
        var connectionString = new NpgsqlConnectionStringBuilder(server) { Database = database, MaxPoolSize = 100 }.ConnectionString;
        await using (DbContext db = sink
            ? DatabaseRegistration.CreateContext<BenchSinkDbContext>(connectionString)
            : DatabaseRegistration.CreateContext<BenchSourceDbContext>(connectionString))
        {
            await db.Database.EnsureCreatedAsync(ct);
            if (sink)
            {
                await db.Database.ExecuteSqlRawAsync(BenchSinkDbContext.CreateEffectsTable, ct);
            }
        }
        return connectionString;
    }
}
