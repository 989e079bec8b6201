using System.Diagnostics;
using System.Globalization;
using BankClientele.Cli.Infrastructure;
using BankClientele.Cli.Processes;
using BankClientele.Contracts.FootTraffic;
using BankClientele.Hosting.Messaging;
using Npgsql;
using NpgsqlTypes;
using RabbitMQ.Client;

namespace BankClientele.Cli.Bench;

public sealed record FaultsBenchOptions(int Events, SystemPlacement Placement, string ServersScript, string ServicesRoot, string LogFolder, TimeSpan StallTimeout);

public sealed record FaultsBenchResult(int Events, long Lost, long Duplicates, IReadOnlyList<string> Faults, double Seconds,
    long Published, long Unsent, long Queued, long ErrorQueued);

/// <summary>
/// Events between real service processes while faults strike: FootTraffic twice (two outbox relays
/// sharing one outbox) publishes <see cref="BranchVisitRecorded"/>, Insights counts them through its
/// inbox. The events go into FootTraffic's outbox in five parts; while each of the first four flows,
/// one fault strikes: the broker restarts, the consumer's process is SIGKILLed and started again,
/// PostgreSQL restarts in immediate mode, one relay replica is SIGKILLed with a backlog to send.
/// Counted at the end from Insights' own tables (inbox and counters), FootTraffic's outbox, the queues
/// and a tap queue bound to the event's exchange (how many copies the broker was given).
/// </summary>
public static class FaultsBench
{
    public const string Consumer = "VisitCountConsumer";
    public const string Queue = "insights-visit-count";
    public const string TapQueue = "bench-faults-tap";
    private const string Exchange = "BankClientele.Contracts.FootTraffic:BranchVisitRecorded";
    private const int RowsPerTransaction = 500;

    public static readonly string[] FaultNames = ["broker-restart", "consumer-kill", "postgres-restart", "relay-kill"];

    /// <summary>The policy that bounds every queue of the bench's virtual host while it runs (the services declare theirs without a bound).</summary>
    public const string BoundPolicy = "bankclientele-bench-faults-bound";

    public static async Task<FaultsBenchResult> RunAsync(FaultsBenchOptions options, IProgress<(string Stage, long Done)> progress, CancellationToken ct)
    {
        var vhost = options.Placement.VirtualHost;
        var before = await VirtualHostSnapshot.TakeAsync(options.ServersScript, vhost, ct);
        // A queue the services declare takes no x-max-length from the bench: a policy bounds them all instead.
        await VirtualHostSnapshot.RabbitCtlAsync(options.ServersScript, ct, "set_policy", "-p", vhost, "--apply-to", "queues", "--priority", "100",
            BoundPolicy, ".*", $"{{\"max-length\":{MaxLength(options.Events)}}}");
        try
        {
            return await RunServicesAsync(options, progress, ct);
        }
        finally
        {
            // Also after a failure, once the services are gone: every queue, exchange and binding of the run, and the policy.
            await before.RemoveAddedAsync(options.ServersScript, Factory(options.Placement), CancellationToken.None);
            await VirtualHostSnapshot.RabbitCtlAsync(options.ServersScript, CancellationToken.None, "clear_policy", "-p", vhost, BoundPolicy);
        }
    }

    /// <summary>Room for every event of the run several times over (copies after faults), never less than 10,000.</summary>
    private static int MaxLength(int events) => (int)Math.Min(int.MaxValue, Math.Max(10_000, 4L * events));

    private static async Task<FaultsBenchResult> RunServicesAsync(FaultsBenchOptions options, IProgress<(string Stage, long Done)> progress, CancellationToken ct)
    {
        var placement = options.Placement;
        await using var system = new ServiceProcesses(placement, options.ServicesRoot, options.LogFolder);
        progress.Report(("migrating FootTraffic and Insights", 0));
        await system.RecreateAndMigrateAsync(["FootTraffic", "Insights"], ct);
        await RequireSynchronousCommitAsync(placement.ConnectionString("Insights"), ct);
        await PrepareQueuesAsync(placement, MaxLength(options.Events), ct);

        var relays = new[] { system.Start("FootTraffic", 1), system.Start("FootTraffic", 2) };
        var consumer = system.Start("Insights", 1);
        foreach (var process in system.All)
        {
            await process.WaitReadyAsync(TimeSpan.FromMinutes(3), ct);
        }

        var source = placement.ConnectionString("FootTraffic");
        var sink = placement.ConnectionString("Insights");
        var clock = Stopwatch.StartNew();
        var faults = new List<string>();
        var written = 0;
        var part = (int)Math.Ceiling(options.Events / 5.0);
        var random = new Random(options.Events);
        foreach (var fault in FaultNames.Append(null))
        {
            var count = Math.Min(part, options.Events - written);
            // The PostgreSQL crash lands while a relay batch is in flight: watched from before the part is written,
            // since a relay claims, publishes and marks a batch in a fraction of a second.
            var inFlight = fault == "postgres-restart" ? WaitForBatchInFlightAsync(source, options.StallTimeout, ct) : null;
            written += await WriteAsync(source, count, random, ct);
            progress.Report(("written", written));
            if (fault is null)
            {
                break;
            }
            if (inFlight is not null)
            {
                await inFlight;
            }
            else if (fault == "relay-kill")
            {
                // Mid-batch: the relays have begun on this part and have most of it still to send.
                await WaitForAsync(() => UnsentAsync(source, ct), unsent => unsent <= count * 0.9, options.StallTimeout, null, ct);
            }
            else
            {
                // Mid-flow: once some, not all, of this part has been applied.
                var target = written - count * 0.7;
                await WaitForAsync(() => AppliedAsync(sink, ct), applied => applied >= target || applied >= written, options.StallTimeout, progress, ct);
            }
            progress.Report(("fault " + fault, written));
            switch (fault)
            {
                case "broker-restart":
                    await ServersAsync(options.ServersScript, "restart-rabbitmq", ct);
                    break;
                case "consumer-kill":
                    await consumer.KillAsync();
                    consumer.Start();
                    await consumer.WaitReadyAsync(TimeSpan.FromMinutes(3), ct);
                    break;
                case "postgres-restart":
                    await ServersAsync(options.ServersScript, "restart-postgres-immediate", ct);
                    break;
                case "relay-kill":
                    // Both relays are claiming and publishing batches from the backlog; one dies mid-batch.
                    await relays[0].KillAsync();
                    relays[0].Start();
                    await relays[0].WaitReadyAsync(TimeSpan.FromMinutes(3), ct);
                    break;
            }
            faults.Add(fault);
        }

        await WaitForAsync(() => AppliedAsync(sink, ct), a => a >= options.Events, options.StallTimeout, progress, ct);
        var seconds = clock.Elapsed.TotalSeconds;
        // Whatever is still under way (copies of redelivered messages) settles before the count.
        var (unsent, queued, errors) = await WaitForAsync(() => LeftOverAsync(placement, source, ct), l => l == (0, 0, 0), options.StallTimeout, null, ct);
        var (distinct, counted) = await EffectsAsync(sink, ct);
        var published = await QueueDepthAsync(placement, TapQueue, ct);
        await DeleteTapAsync(placement, ct);
        return new FaultsBenchResult(options.Events, options.Events - distinct, counted - distinct, faults, Math.Round(seconds, 1), published, unsent, queued, errors);
    }

    /// <summary>Puts <paramref name="count"/> events into FootTraffic's outbox, <see cref="RowsPerTransaction"/> a transaction, each commit waking the relays.</summary>
    private static async Task<int> WriteAsync(string source, int count, Random random, CancellationToken ct)
    {
        for (var done = 0; done < count;)
        {
            var n = Math.Min(RowsPerTransaction, count - done);
            var rows = Enumerable.Range(0, n)
                .Select(i => OutboxMessage.Create(new BranchVisitRecorded(Guid.CreateVersion7(), $"SH{random.Next(1, 13):000}", null, $"F{done + i:00000}", "存取款", DateTimeOffset.UtcNow)))
                .ToList();
            await RetryAsync(async () =>
            {
                await using var connection = new NpgsqlConnection(source);
                await connection.OpenAsync(ct);
                await using var tx = await connection.BeginTransactionAsync(ct);
                // Retried after a lost connection: rows that did commit are not written twice.
                await using var insert = new NpgsqlCommand("""
                    INSERT INTO outbox_messages (id, message_type, body, created_at, attempts)
                    SELECT id, type, body::json, now(), 0 FROM unnest(@ids, @types, @bodies) AS r(id, type, body)
                    ON CONFLICT (id) DO NOTHING;
                    NOTIFY bankclientele_outbox;
                    """, connection, tx);
                insert.Parameters.Add(new NpgsqlParameter("ids", NpgsqlDbType.Array | NpgsqlDbType.Uuid) { Value = rows.Select(r => r.Id).ToArray() });
                insert.Parameters.Add(new NpgsqlParameter("types", NpgsqlDbType.Array | NpgsqlDbType.Text) { Value = rows.Select(r => r.MessageType).ToArray() });
                insert.Parameters.Add(new NpgsqlParameter("bodies", NpgsqlDbType.Array | NpgsqlDbType.Text) { Value = rows.Select(r => r.Body).ToArray() });
                await insert.ExecuteNonQueryAsync(ct);
                await tx.CommitAsync(ct);
            }, ct);
            done += n;
        }
        return count;
    }

    private static async Task RetryAsync(Func<Task> action, CancellationToken ct)
    {
        for (var attempt = 1; ; attempt++)
        {
            try
            {
                await action();
                return;
            }
            catch (Exception e) when (e is NpgsqlException or System.Net.Sockets.SocketException or RabbitMQ.Client.Exceptions.BrokerUnreachableException
                or RabbitMQ.Client.Exceptions.OperationInterruptedException or RabbitMQ.Client.Exceptions.AlreadyClosedException && attempt < 60)
            {
                await Task.Delay(500, ct); // a server restarting
            }
        }
    }

    private static async Task<T> WaitForAsync<T>(Func<Task<T>> probe, Func<T, bool> done, TimeSpan stall, IProgress<(string, long)>? progress, CancellationToken ct)
    {
        var last = default(T);
        var lastChange = Stopwatch.StartNew();
        while (true)
        {
            T now = default!;
            await RetryAsync(async () => now = await probe(), ct);
            if (progress is not null && now is long applied)
            {
                progress.Report(("applied", applied));
            }
            if (done(now) || (lastChange.Elapsed > stall))
            {
                return now;
            }
            if (!EqualityComparer<T>.Default.Equals(now, last))
            {
                last = now;
                lastChange.Restart();
            }
            await Task.Delay(250, ct);
        }
    }

    /// <summary>
    /// Returns once a relay holds a claimed batch not yet marked sent (unsent rows locked by its claim:
    /// the unsent rows minus those a SKIP LOCKED read can take), or after <paramref name="timeout"/>.
    /// </summary>
    private static async Task WaitForBatchInFlightAsync(string source, TimeSpan timeout, CancellationToken ct)
    {
        await using var connection = new NpgsqlConnection(source);
        await connection.OpenAsync(ct);
        await using var probe = new NpgsqlCommand("""
            SELECT (SELECT count(*) FROM outbox_messages WHERE sent_at IS NULL)
                 - (SELECT count(*) FROM (SELECT 1 FROM outbox_messages WHERE sent_at IS NULL FOR UPDATE SKIP LOCKED) free)
            """, connection);
        var clock = Stopwatch.StartNew();
        while (clock.Elapsed < timeout)
        {
            if ((long)(await probe.ExecuteScalarAsync(ct))! > 0)
            {
                return;
            }
            await Task.Delay(5, ct);
        }
    }

    private static async Task<long> UnsentAsync(string source, CancellationToken ct)
    {
        await using var connection = new NpgsqlConnection(source);
        await connection.OpenAsync(ct);
        await using var command = new NpgsqlCommand("SELECT count(*) FROM outbox_messages WHERE sent_at IS NULL", connection);
        return (long)(await command.ExecuteScalarAsync(ct))!;
    }

    /// <summary>
    /// With synchronous_commit off, PostgreSQL reports a commit before its WAL is written: a consumer
    /// then acknowledges messages whose inbox rows an immediate restart throws away, and the bench would
    /// count as lost what the server's setting lost. Refused up front, naming the setting.
    /// </summary>
    private static async Task RequireSynchronousCommitAsync(string connectionString, CancellationToken ct)
    {
        await using var connection = new NpgsqlConnection(connectionString);
        await connection.OpenAsync(ct);
        await using var show = new NpgsqlCommand("SHOW synchronous_commit", connection);
        var setting = (string?)await show.ExecuteScalarAsync(ct);
        if (setting == "off")
        {
            throw new CliException($"bench faults restarts PostgreSQL in immediate mode, and this server has synchronous_commit = {setting}: " +
                "commits already reported would be lost with it. Restart the servers with this checkout's deploy/local/servers.sh (it sets synchronous_commit = on).");
        }
    }

    private static async Task<long> AppliedAsync(string sink, CancellationToken ct) => (await EffectsAsync(sink, ct)).Distinct;

    /// <summary>Distinct events Insights handled (its inbox) and visits it counted (its counters): equal when each applied once.</summary>
    private static async Task<(long Distinct, long Counted)> EffectsAsync(string sink, CancellationToken ct)
    {
        await using var connection = new NpgsqlConnection(sink);
        await connection.OpenAsync(ct);
        await using var command = new NpgsqlCommand(
            "SELECT (SELECT count(*) FROM inbox_messages WHERE consumer = @consumer), (SELECT coalesce(sum(visits), 0) FROM branch_statistics)", connection);
        command.Parameters.AddWithValue("consumer", Consumer);
        await using var reader = await command.ExecuteReaderAsync(ct);
        await reader.ReadAsync(ct);
        return (reader.GetInt64(0), reader.GetInt64(1));
    }

    private static async Task<(long Unsent, long Queued, long Errors)> LeftOverAsync(SystemPlacement placement, string source, CancellationToken ct)
    {
        await using var connection = new NpgsqlConnection(source);
        await connection.OpenAsync(ct);
        await using var command = new NpgsqlCommand("SELECT count(*) FROM outbox_messages WHERE sent_at IS NULL", connection);
        var unsent = (long)(await command.ExecuteScalarAsync(ct))!;
        return (unsent, await QueueDepthAsync(placement, Queue, ct), await QueueDepthAsync(placement, Queue + BusQueueInspector.ErrorSuffix, ct));
    }

    private static ConnectionFactory Factory(SystemPlacement placement) => new()
    {
        HostName = placement.RabbitHost,
        Port = placement.RabbitPort,
        VirtualHost = placement.VirtualHost,
        ClientProvidedName = "bankclientele-bench-faults",
    };

    private static async Task<long> QueueDepthAsync(SystemPlacement placement, string queue, CancellationToken ct)
    {
        await using var connection = await Factory(placement).CreateConnectionAsync(ct);
        await using var channel = await connection.CreateChannelAsync(cancellationToken: ct);
        try
        {
            return (await channel.QueueDeclarePassiveAsync(queue, ct)).MessageCount;
        }
        catch (RabbitMQ.Client.Exceptions.OperationInterruptedException e) when (e.ShutdownReason?.ReplyCode == 404)
        {
            return 0;
        }
    }

    /// <summary>
    /// Fresh queues for a fresh run: the consumer's (so nothing of an earlier run is counted) and a
    /// durable tap bound to the event's exchange, which receives a copy of every publish.
    /// </summary>
    private static async Task PrepareQueuesAsync(SystemPlacement placement, int maxLength, CancellationToken ct)
    {
        await using var connection = await Factory(placement).CreateConnectionAsync(ct);
        await using var channel = await connection.CreateChannelAsync(cancellationToken: ct);
        await channel.QueueDeleteAsync(Queue, cancellationToken: ct);
        await channel.QueueDeleteAsync(Queue + BusQueueInspector.ErrorSuffix, cancellationToken: ct);
        await channel.QueueDeleteAsync(TapQueue, cancellationToken: ct);
        await channel.ExchangeDeclareAsync(Exchange, ExchangeType.Fanout, durable: true, cancellationToken: ct);
        await channel.QueueDeclareAsync(TapQueue, durable: true, exclusive: false, autoDelete: false,
            new Dictionary<string, object?> { ["x-max-length"] = maxLength }, cancellationToken: ct);
        await channel.QueueBindAsync(TapQueue, Exchange, "", cancellationToken: ct);
    }

    private static async Task DeleteTapAsync(SystemPlacement placement, CancellationToken ct)
    {
        await using var connection = await Factory(placement).CreateConnectionAsync(ct);
        await using var channel = await connection.CreateChannelAsync(cancellationToken: ct);
        await channel.QueueDeleteAsync(TapQueue, cancellationToken: ct);
    }

    private static async Task ServersAsync(string script, string command, CancellationToken ct)
    {
        var psi = new ProcessStartInfo(script, [command]) { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        using var process = Process.Start(psi) ?? throw new CliException($"Could not run {script} {command}.");
        var output = process.StandardOutput.ReadToEndAsync(ct);
        var errors = process.StandardError.ReadToEndAsync(ct);
        await process.WaitForExitAsync(ct);
        if (process.ExitCode != 0)
        {
            throw new CliException($"{script} {command} failed ({process.ExitCode}): {await errors}{await output}");
        }
    }

    internal static string Describe(FaultsBenchResult r) => string.Create(CultureInfo.InvariantCulture,
        $"{r.Events} events, {r.Lost} lost, {r.Duplicates} applied twice, {r.Published} published ({r.Published - r.Events + r.Lost} re-sent), {r.Unsent} unsent, {r.Queued} queued, {r.ErrorQueued} in _error");
}
