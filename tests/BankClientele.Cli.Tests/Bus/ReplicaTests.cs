using System.Globalization;
using System.Security.Cryptography;
using BankClientele.Cli.Processes;
using BankClientele.Contracts.FootTraffic;
using BankClientele.Hosting.Messaging;
using BankClientele.Testing;
using Npgsql;
using NpgsqlTypes;
using RabbitMQ.Client;

namespace BankClientele.Cli.Tests.Bus;

/// <summary>
/// Two real processes each of FootTraffic and Insights (as <c>./run.sh --replicas 2</c> runs them) on
/// one database per service and one broker: they compete for each queue, share the outbox (each row
/// published once) and run each Hangfire firing once.
/// </summary>
public sealed class ReplicaTests
{
    private const int Events = 400;
    private static readonly string? Isolation = Environment.GetEnvironmentVariable("BANKCLIENTELE_TEST_ISOLATION") is { Length: > 0 } name ? name : null;
    private static readonly string PostgresServer = (Environment.GetEnvironmentVariable("BANKCLIENTELE_TEST_POSTGRES")
        ?? "Host=127.0.0.1;Port=55432;Username=bankclientele;Password=bankclientele") + ";Database=postgres";

    private static readonly SystemPlacement Placement = new(PostgresServer, "127.0.0.1", 55672,
        Isolation is null ? "bankclientele-test" : $"bankclientele-test-{Isolation}",
        Isolation is null ? "test_replicas" : $"test_replicas_{Isolation.Replace('-', '_')}", 5500, TestCli.PublicKey, TestCli.MatchingKey);

    [Test]
    public async Task Two_replicas_of_each_service_compete_for_queues_publish_each_outbox_row_once_and_fire_each_job_once()
    {
        await using var system = new ServiceProcesses(Placement, ServiceProcesses.LocateServices(), Path.Combine(Path.GetTempPath(), $"bankclientele-replicas-{Environment.ProcessId}"));
        await system.RecreateAndMigrateAsync(["FootTraffic", "Insights"], CancellationToken.None);
        foreach (var instance in new[] { 1, 2 })
        {
            system.Start("FootTraffic", instance);
            system.Start("Insights", instance);
        }
        foreach (var process in system.All)
        {
            await process.WaitReadyAsync(TimeSpan.FromMinutes(3), CancellationToken.None);
        }
        Assert.That(system.All.Select(p => p.Address.Port).Distinct().Count(), Is.EqualTo(4), "each instance on its own port");

        // A tap on the event's exchange receives one copy of every publish, whichever relay made it.
        var tap = $"replicas-tap-{Guid.NewGuid():N}";
        var factory = new ConnectionFactory { HostName = Placement.RabbitHost, Port = Placement.RabbitPort, VirtualHost = Placement.VirtualHost };
        await using var connection = await factory.CreateConnectionAsync();
        await using var channel = await connection.CreateChannelAsync();
        await channel.QueueDeclareAsync(tap, durable: false, exclusive: false, autoDelete: false);
        await channel.QueueBindAsync(tap, "BankClientele.Contracts.FootTraffic:BranchVisitRecorded", "");
        try
        {
            // Competing consumers: both Insights processes are consumers of its queue.
            var queue = await channel.QueueDeclarePassiveAsync("insights-visit-count");
            Assert.That(queue.ConsumerCount, Is.EqualTo(2));

            // One outbox, two relays: every row published exactly once, every event counted once.
            var branch = $"R{Guid.NewGuid().ToString("N")[..8].ToUpperInvariant()}";
            await WriteOutboxAsync(Placement.ConnectionString("FootTraffic"), branch, Events);
            var visits = await Poll.UntilAsync(() => ScalarAsync(Placement.ConnectionString("Insights"),
                $"SELECT coalesce(sum(visits), 0) FROM branch_statistics WHERE branch_code = '{branch}'"), v => v >= Events, "Insights to count every visit", TimeSpan.FromMinutes(3));
            await Poll.UntilAsync(() => ScalarAsync(Placement.ConnectionString("FootTraffic"), "SELECT count(*) FROM outbox_messages WHERE sent_at IS NULL"),
                n => n == 0, "the outbox to be empty");
            var published = (await channel.QueueDeclarePassiveAsync(tap)).MessageCount;
            Assert.Multiple(() =>
            {
                Assert.That(published, Is.EqualTo(Events), "each outbox row published once by one of the two relays");
                Assert.That(visits, Is.EqualTo(Events), "each event applied once");
            });

            // Hangfire: the nightly snapshot made due (created a day ago, its 00:05 run missed); both
            // Insights schedulers see it, one fires it.
            var insights = Placement.ConnectionString("Insights");
            var before = await ScalarAsync(insights, "SELECT count(*) FROM hangfire.job WHERE invocationdata::text LIKE '%DailySnapshotJob%'");
            await ExecuteAsync(insights, """
                UPDATE hangfire.hash SET value = (floor(extract(epoch FROM now()) * 1000) - 86400000)::bigint::text
                    WHERE key = 'recurring-job:insights-daily-branch-snapshot' AND field IN ('CreatedAt', 'NextExecution');
                UPDATE hangfire.set SET score = extract(epoch FROM now()) - 1
                    WHERE key = 'recurring-jobs' AND value = 'insights-daily-branch-snapshot';
                """);
            // Rescheduled for tomorrow once a scheduler has fired it: no second firing can follow.
            await Poll.UntilAsync(() => ScalarAsync(insights,
                "SELECT count(*) FROM hangfire.set WHERE key = 'recurring-jobs' AND value = 'insights-daily-branch-snapshot' AND score > extract(epoch FROM now()) + 60"),
                n => n == 1, "the recurring job to fire and be rescheduled", TimeSpan.FromSeconds(60));
            var fired = await ScalarAsync(insights, "SELECT count(*) FROM hangfire.job WHERE invocationdata::text LIKE '%DailySnapshotJob%'") - before;
            Assert.That(fired, Is.EqualTo(1), "one firing, though two schedulers ran");
        }
        finally
        {
            await channel.QueueDeleteAsync(tap);
        }
    }

    private static async Task WriteOutboxAsync(string connectionString, string branch, int count)
    {
        var rows = Enumerable.Range(0, count)
            .Select(i => OutboxMessage.Create(new BranchVisitRecorded(Guid.CreateVersion7(), branch, null, $"A{i:000}", "存取款", DateTimeOffset.UtcNow)))
            .ToList();
        await using var connection = new NpgsqlConnection(connectionString);
        await connection.OpenAsync();
        // Small transactions, each waking both relays: they race for the same rows.
        foreach (var chunk in rows.Chunk(20))
        {
            await using var insert = new NpgsqlCommand("""
                INSERT INTO outbox_messages (id, message_type, body, created_at, attempts)
                SELECT id, type, body::jsonb, now(), 0 FROM unnest(@ids, @types, @bodies) AS r(id, type, body);
                NOTIFY bankclientele_outbox;
                """, connection);
            insert.Parameters.Add(new NpgsqlParameter("ids", NpgsqlDbType.Array | NpgsqlDbType.Uuid) { Value = chunk.Select(r => r.Id).ToArray() });
            insert.Parameters.Add(new NpgsqlParameter("types", NpgsqlDbType.Array | NpgsqlDbType.Text) { Value = chunk.Select(r => r.MessageType).ToArray() });
            insert.Parameters.Add(new NpgsqlParameter("bodies", NpgsqlDbType.Array | NpgsqlDbType.Text) { Value = chunk.Select(r => r.Body).ToArray() });
            await insert.ExecuteNonQueryAsync();
        }
    }

    private static async Task<long> ScalarAsync(string connectionString, string sql)
    {
        await using var connection = new NpgsqlConnection(connectionString);
        await connection.OpenAsync();
        await using var command = new NpgsqlCommand(sql, connection);
        return Convert.ToInt64(await command.ExecuteScalarAsync(), CultureInfo.InvariantCulture);
    }

    private static async Task ExecuteAsync(string connectionString, string sql)
    {
        await using var connection = new NpgsqlConnection(connectionString);
        await connection.OpenAsync();
        await using var command = new NpgsqlCommand(sql, connection);
        Assert.That(await command.ExecuteNonQueryAsync(), Is.EqualTo(3), "the recurring job is registered");
    }
}
