using BankClientele.Hosting.Database;
using BankClientele.Hosting.Messaging;
using MassTransit;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;

namespace BankClientele.Hosting.Tests.Messaging;

public sealed record ScoreRecorded(Guid ScoreId, int Score);

/// <summary>Writes a batch of scores in one statement; the table refuses a negative score, failing the whole statement.</summary>
public sealed class ScoreBatchConsumer(BusTestDbContext db) : InboxBatchConsumer<ScoreRecorded, BusTestDbContext>(db)
{
    public const string CreateTable = "CREATE TABLE scores (score_id uuid PRIMARY KEY, score integer NOT NULL CHECK (score >= 0))";

    protected override Task HandleBatchAsync(IReadOnlyList<ScoreRecorded> messages, ConsumeContext<Batch<ScoreRecorded>> context)
    {
        var ids = messages.Select(m => m.ScoreId).ToArray();
        var scores = messages.Select(m => m.Score).ToArray();
        return Db.Database.ExecuteSqlAsync($"INSERT INTO scores (score_id, score) SELECT * FROM unnest({ids}, {scores})", context.CancellationToken);
    }
}

/// <summary>One bad message among 200 taken in batches over the real broker: it alone goes to _error, the other 199 apply.</summary>
public sealed class PoisonInBatchTests
{
    private const string ServiceName = "poison-batch-test";

    [Test]
    public Task One_message_the_database_refuses_among_two_hundred_goes_to_the_error_queue_alone_and_the_other_199_apply() =>
        OneBadAmongTwoHundredAsync("bankclientele_test_poison_batch", (bus, score, bad) =>
            bus.Publish(bad ? score with { Score = -1 } : score));

    [Test]
    public Task One_message_without_an_id_among_two_hundred_goes_to_the_error_queue_alone_and_the_other_199_apply() =>
        // The inbox keys on the message id: a message without one cannot be recorded, so it cannot apply.
        OneBadAmongTwoHundredAsync("bankclientele_test_poison_batch_no_id", (bus, score, bad) =>
            bad ? bus.Publish(score, context => context.MessageId = null) : bus.Publish(score));

    private static async Task OneBadAmongTwoHundredAsync(string databaseName, Func<IBus, ScoreRecorded, bool, Task> publish)
    {
        var database = await BusTestHost.FreshDatabaseAsync(databaseName, ScoreBatchConsumer.CreateTable);
        var queue = new KebabCaseEndpointNameFormatter(ServiceName, includeNamespace: false).Consumer<ScoreBatchConsumer>();
        var exchanges = new[] { queue, queue + "_error", "BankClientele.Hosting.Tests.Messaging:ScoreRecorded" };
        await BusTestHost.DeleteAsync([queue, queue + "_error"], exchanges); // nothing from an earlier run
        var builder = BusTestHost.Builder(database, new Dictionary<string, string?>
        {
            ["RabbitMq:RetryLimit"] = "2",
            ["RabbitMq:RetryMinInterval"] = "00:00:00.020",
            ["RabbitMq:RetryMaxInterval"] = "00:00:00.100",
        });
        builder.AddServiceDatabase<BusTestDbContext>();
        builder.Services.AddServiceBus(ServiceName, bus => bus.AddConsumer<ScoreBatchConsumer, InboxBatchConsumerDefinition<ScoreBatchConsumer>>());
        using var host = builder.Build();
        await host.StartAsync();
        try
        {
            var health = await host.Services.GetRequiredService<IBusControl>().WaitForHealthStatus(BusHealthStatus.Healthy, TimeSpan.FromSeconds(30));
            Assert.That(health, Is.EqualTo(BusHealthStatus.Healthy));
            const int bad = 117;
            var scores = Enumerable.Range(0, 200).Select(i => new ScoreRecorded(Guid.NewGuid(), i)).ToList();
            var bus = host.Services.GetRequiredService<IBus>();
            // Published together, so they arrive in batches of up to 200.
            await Task.WhenAll(scores.Select((s, i) => publish(bus, s, i == bad)));

            var applied = await Poll.UntilAsync(() => TestDatabases.ScalarAsync<long>(database, "SELECT count(*) FROM scores"), n => n == 199,
                "the 199 good scores to be applied");
            var inError = await Poll.UntilAsync(async () =>
            {
                await using var connection = await BusTestHost.Broker().CreateConnectionAsync();
                await using var channel = await connection.CreateChannelAsync();
                try
                {
                    return await channel.MessageCountAsync(queue + "_error");
                }
                catch (RabbitMQ.Client.Exceptions.OperationInterruptedException)
                {
                    return 0u; // no _error queue before the first fault
                }
            }, n => n >= 1, "the bad message in the _error queue");
            var inbox = await TestDatabases.ScalarAsync<long>(database, "SELECT count(*) FROM inbox_messages");
            Assert.Multiple(async () =>
            {
                Assert.That(applied, Is.EqualTo(199));
                Assert.That(inError, Is.EqualTo(1), "only the bad message is in _error");
                Assert.That(await ErrorQueues.HoldsAsync(queue + "_error", scores[bad].ScoreId), Is.True, "and it is the bad one");
                Assert.That(inbox, Is.EqualTo(199), "the bad one left no inbox record");
                Assert.That(await TestDatabases.ScalarAsync<long>(database, $"SELECT count(*) FROM scores WHERE score_id = '{scores[bad].ScoreId}'"), Is.Zero);
            });
        }
        finally
        {
            await host.StopAsync();
            await BusTestHost.DeleteAsync([queue, queue + "_error"], exchanges);
        }
    }
}
