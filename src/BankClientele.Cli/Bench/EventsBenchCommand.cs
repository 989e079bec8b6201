using System.CommandLine;
using System.Text.Json;
using BankClientele.Cli.Infrastructure;
using BankClientele.Hosting.Messaging;
using Microsoft.Extensions.Configuration;
using Npgsql;
using RabbitMQ.Client.Exceptions;
using Spectre.Console;

namespace BankClientele.Cli.Bench;

/// <summary><c>bench events</c>: the raw RabbitMQ.Client baseline, then N events through outbox → bus → inbox.</summary>
public static class EventsBenchCommand
{
    public const string DefaultVirtualHost = "bankclientele-bench";

    public static Command Create(CliContext context)
    {
        var events = new Option<int>("--events", "-n") { Description = "Events to send (and raw messages for the baseline).", DefaultValueFactory = _ => 10_000 };
        var publishers = new Option<int>("--publishers", "-p") { Description = "Concurrent writers putting events in the outbox (100 per transaction).", DefaultValueFactory = _ => 4 };
        var vhost = new Option<string>("--vhost") { Description = "RabbitMQ virtual host of the bench (servers.sh creates bankclientele-bench).", DefaultValueFactory = _ => DefaultVirtualHost };
        var consumer = new Option<string>("--consumer") { Description = "batch: InboxBatchConsumer (up to 500 per transaction); single: InboxConsumer, inbox insert and effect in one round trip; single-tx: InboxConsumer in an explicit transaction.", DefaultValueFactory = _ => "batch" };
        consumer.AcceptOnlyFromAmong("batch", "single", "single-tx");
        var relay = new Option<string>("--relay") { Description = "rabbitmq: the relay publishes straight through RabbitMQ.Client in MassTransit's envelope; masstransit: through MassTransit's publish pipeline (the first way).", DefaultValueFactory = _ => "rabbitmq" };
        relay.AcceptOnlyFromAmong("rabbitmq", "masstransit");
        var batchSize = new Option<int>("--relay-batch") { Description = "Outbox rows the relay claims and publishes per pass.", DefaultValueFactory = _ => new OutboxRelayOptions().BatchSize };
        var concurrent = new Option<bool>("--write-while-relaying") { Description = "Time the writers too: they fill the outbox while the relay runs (by default the N rows are committed first, then the relay starts and the clock runs)." };
        var quorum = new Option<bool>("--quorum") { Description = "Declare the bench's queues as quorum queues instead of classic ones." };
        var stall = new Option<int>("--stall-seconds") { Description = "Give up when no new effect arrives for this long (the rest counts as lost).", DefaultValueFactory = _ => 60 };
        var warmup = new Option<int?>("--warmup") { Description = "Events sent through the same path first, untimed (the JIT compiles it), before the timed run (default: a tenth of --events, at most 2,000; 0 for none)." };
        var databases = new Option<string>("--databases") { Description = "Prefix of the bench's two databases (<prefix>_source, <prefix>_sink), dropped and created each run.", DefaultValueFactory = _ => "bankclientele_bench" };
        var command = new Command("events",
            "Time a raw RabbitMQ.Client baseline (persistent, confirmed, durable queue, acking consumer), then N events through the real outbox → relay → " +
            "MassTransit → inbox path on its own databases (bankclientele_bench_*) and virtual host; ends with one JSON line.")
        {
            events, publishers, vhost, consumer, relay, batchSize, concurrent, quorum, stall, databases, warmup,
        };
        command.SetCliAction(context, async (parse, ct) =>
        {
            if (parse.GetValue(events) < 1)
            {
                throw new CliException("--events must be at least 1.");
            }
            if (!System.Text.RegularExpressions.Regex.IsMatch(parse.GetValue(databases)!, "^[a-z_][a-z0-9_]{0,40}$"))
            {
                throw new CliException("--databases must be lower-case letters, digits and underscores (at most 41).");
            }
            if (parse.GetValue(publishers) is < 1 or > 64)
            {
                throw new CliException("--publishers must be between 1 and 64.");
            }
            if (parse.GetValue(warmup) is < 0 or > 1_000_000)
            {
                throw new CliException("--warmup must be between 0 and 1000000.");
            }
            if (parse.GetValue(batchSize) is < 1 or > 10_000)
            {
                throw new CliException("--relay-batch must be between 1 and 10000.");
            }
            var options = new EventsBenchOptions(
                parse.GetValue(events),
                parse.GetValue(publishers),
                parse.GetValue(consumer)!,
                Broker(context, parse.GetValue(vhost)!, parse.GetValue(quorum)),
                PostgresServer(context),
                TimeSpan.FromSeconds(parse.GetValue(stall)),
                parse.GetValue(databases)!,
                parse.GetValue(relay) == "masstransit" ? "MassTransit" : "RabbitMq",
                parse.GetValue(batchSize),
                !parse.GetValue(concurrent),
                parse.GetValue(warmup) ?? Math.Min(2_000, parse.GetValue(events) / 10));
            EventsBenchResult result;
            try
            {
                result = await context.Errors.Progress()
                    .Columns(new TaskDescriptionColumn(), new ProgressBarColumn(), new PercentageColumn(), new ElapsedTimeColumn())
                    .StartAsync(async progress =>
                    {
                        var raw = progress.AddTask("raw RabbitMQ.Client", maxValue: options.Events);
                        var outbox = progress.AddTask("rows into the outbox", maxValue: options.Events);
                        var bus = progress.AddTask("outbox → bus → inbox", maxValue: options.Events);
                        return await EventsBench.RunAsync(options, new Progress<(string Stage, int Done)>(p =>
                        {
                            var task = p.Stage switch { "raw" => raw, "outbox" => outbox, _ => bus };
                            task.Value = p.Done;
                        }), ct);
                    });
            }
            catch (BrokerUnreachableException e)
            {
                throw new CliException($"RabbitMQ at {options.Broker.Host}:{options.Broker.Port}, virtual host '{options.Broker.VirtualHost}', refused the bench ({e.Messages()}). " +
                    $"Create the virtual host: deploy/local/servers.sh rabbitmqctl add_vhost {options.Broker.VirtualHost} && deploy/local/servers.sh rabbitmqctl set_permissions -p {options.Broker.VirtualHost} guest '.*' '.*' '.*'");
            }
            catch (NpgsqlException e)
            {
                throw new CliException($"PostgreSQL refused the bench: {e.Messages()}");
            }
            context.RawOut.WriteLine(JsonSerializer.Serialize(result, BenchJson.Options));
            return result.Lost == 0 && result.Duplicates == 0 && result.WarmupLost == 0 ? ExitCodes.Ok : ExitCodes.Failure;
        });
        return command;
    }

    /// <summary>The RabbitMq section (RabbitMq__Host, RabbitMq__Port, ...), as the services read it.</summary>
    public static BenchBroker Broker(CliContext context, string virtualHost, bool quorum)
    {
        var rabbit = context.Settings.Configuration.GetSection("RabbitMq").Get<RabbitMqOptions>() ?? new RabbitMqOptions();
        return new BenchBroker(rabbit.Host, rabbit.Port, virtualHost, rabbit.Username, rabbit.Password, quorum);
    }

    /// <summary>The server of CustomerCare's connection string, without its database.</summary>
    public static string PostgresServer(CliContext context) =>
        new NpgsqlConnectionStringBuilder(context.Settings.ConnectionString(ServiceCatalog.CustomerCare)) { Database = null }.ConnectionString;
}

/// <summary><c>bench</c>: the benchmarks that end with one JSON line of figures.</summary>
public static class BenchCommand
{
    public static Command Create(CliContext context) =>
        new("bench", "Benchmarks: progress on stderr, then one JSON line of measured figures on stdout.")
        {
            EventsBenchCommand.Create(context),
        };
}

public static class BenchJson
{
    public static readonly JsonSerializerOptions Options = new(JsonSerializerDefaults.Web);
}
