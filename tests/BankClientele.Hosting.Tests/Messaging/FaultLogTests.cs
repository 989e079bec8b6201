using BankClientele.Hosting.Database;
using BankClientele.Hosting.Messaging;
using MassTransit;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;

namespace BankClientele.Hosting.Tests.Messaging;

/// <summary>A note whose text is personal data: it must never reach a log line.</summary>
public sealed record FailingNote(Guid NoteId, string Text);

/// <summary>Refuses every note, with a message that names no field of it.</summary>
public sealed class FailingNoteConsumer : IConsumer<FailingNote>
{
    public Task Consume(ConsumeContext<FailingNote> context) => throw new InvalidOperationException("The note was refused.");
}

/// <summary>
/// Over the real broker, with the bus as the services configure it: every message that fails its retries and
/// moves to an _error queue, from a single consumer, a batch failing whole, or one bad message isolated in a
/// batch, is logged once, naming the service, the queue, the type, the message id and the exception, never the
/// body; and the queue watch warns of each non-empty _error queue.
/// </summary>
public sealed class FaultLogTests
{
    private const string ServiceName = "fault-log-test";

    [Test]
    public async Task Each_message_moved_to_an_error_queue_is_logged_once_without_its_body_and_the_watch_warns_of_the_queue()
    {
        var database = await BusTestHost.FreshDatabaseAsync("bankclientele_test_fault_log", ScoreBatchConsumer.CreateTable);
        var names = new KebabCaseEndpointNameFormatter(ServiceName, includeNamespace: false);
        var (single, batch) = (names.Consumer<FailingNoteConsumer>(), names.Consumer<ScoreBatchConsumer>());
        string[] queues = [single, single + "_error", batch, batch + "_error"];
        string[] exchanges = [.. queues, "BankClientele.Hosting.Tests.Messaging:FailingNote", "BankClientele.Hosting.Tests.Messaging:ScoreRecorded"];
        await BusTestHost.DeleteAsync(queues, exchanges);
        var builder = BusTestHost.Builder(database, new Dictionary<string, string?>
        {
            ["RabbitMq:RetryLimit"] = "2",
            ["RabbitMq:RetryMinInterval"] = "00:00:00.020",
            ["RabbitMq:RetryMaxInterval"] = "00:00:00.100",
            ["Messaging:QueueCheckInterval"] = "00:00:00.200",
        });
        builder.AddServiceDatabase<BusTestDbContext>();
        builder.Services.AddServiceBus(ServiceName, bus =>
        {
            bus.AddConsumer<FailingNoteConsumer>();
            bus.AddConsumer<ScoreBatchConsumer, InboxBatchConsumerDefinition<ScoreBatchConsumer>>();
        });
        builder.Services.AddBusQueueOperations();
        var logs = new LogCapture();
        logs.AddTo(builder.Services);
        using var recording = logs.Record();
        using var host = builder.Build();
        await host.StartAsync();
        try
        {
            Assert.That(await host.Services.GetRequiredService<IBusControl>().WaitForHealthStatus(BusHealthStatus.Healthy, TimeSpan.FromSeconds(30)),
                Is.EqualTo(BusHealthStatus.Healthy));
            var bus = host.Services.GetRequiredService<IBus>();

            // A single consumer's message; a bad score alone (its batch of one fails whole); a bad score among 50 good ones (isolated).
            var note = new FailingNote(Guid.NewGuid(), "欧阳娜娜 13800138000");
            var noteId = Guid.NewGuid();
            await bus.Publish(note, (PublishContext<FailingNote> c) => c.MessageId = noteId);
            var alone = new ScoreRecorded(Guid.NewGuid(), -1);
            var aloneId = Guid.NewGuid();
            await bus.Publish(alone, (PublishContext<ScoreRecorded> c) => c.MessageId = aloneId);
            await Poll.UntilAsync(() => ErrorQueues.CountAsync(batch + "_error"), n => n == 1, "the lone bad score in _error");
            var mixed = Enumerable.Range(0, 51).Select(i => (Id: Guid.NewGuid(), Score: new ScoreRecorded(Guid.NewGuid(), i == 25 ? -7 : i))).ToList();
            await Task.WhenAll(mixed.Select(m => bus.Publish(m.Score, (PublishContext<ScoreRecorded> c) => c.MessageId = m.Id)));
            await Poll.UntilAsync(() => TestDatabases.ScalarAsync<long>(database, "SELECT count(*) FROM scores"), n => n == 50, "the 50 good scores");

            // Polls on the log itself: the line follows the move.
            LogCapture.Line[] FaultLines() => [.. recording.Lines.Where(l => l.Category == typeof(MessageFaultLog).FullName)];
            await Poll.UntilAsync(() => Task.FromResult(FaultLines().Length), n => n >= 3, "a fault line for each of the three moved messages");
            await Poll.UntilAsync(() => Task.FromResult(recording.Lines.Count(l => l.Category == typeof(QueueWatch).FullName)), n => n >= 2,
                "the watch's warnings of the two _error queues");

            var faults = FaultLines();
            var badId = mixed[25].Id;
            Assert.Multiple(() =>
            {
                Assert.That(faults, Has.Length.EqualTo(3), string.Join("\n", faults.Select(f => f.ToString())));
                foreach (var (id, queue, type, exception) in new[]
                {
                    (noteId, single, "FailingNote", "InvalidOperationException: The note was refused."),
                    (aloneId, batch, "ScoreRecorded", "PostgresException: 23514"),
                    (badId, batch, "ScoreRecorded", "PostgresException: 23514"),
                })
                {
                    var line = faults.SingleOrDefault(f => f.Message.Contains(id.ToString(), StringComparison.Ordinal));
                    Assert.That(line, Is.Not.Null, $"one line names message {id}");
                    Assert.That(line!.Level, Is.EqualTo(LogLevel.Error));
                    Assert.That(line.Message, Does.StartWith($"{ServiceName}: {type} message {id} on {queue} failed every retry and was moved to {queue}_error: {exception}"));
                }
                var everything = string.Join("\n", recording.Lines.Select(l => l.ToString()));
                Assert.That(everything, Does.Not.Contain(note.Text).And.Not.Contain(note.NoteId.ToString()), "the note's body is in no log line");
                Assert.That(everything, Does.Not.Contain(alone.ScoreId.ToString()).And.Not.Contain(mixed[25].Score.ScoreId.ToString()), "nor the scores' ids");
                var watch = recording.Lines.Where(l => l.Category == typeof(QueueWatch).FullName).ToList();
                Assert.That(watch.Select(w => w.Level), Is.All.EqualTo(LogLevel.Warning));
                Assert.That(watch.Select(w => w.Message), Has.Some.StartWith($"{single}_error holds 1 message(s) that failed every retry of {single}"));
                Assert.That(watch.Select(w => w.Message), Has.Some.StartWith($"{batch}_error holds "));
            });
        }
        finally
        {
            await host.StopAsync();
            await BusTestHost.DeleteAsync(queues, exchanges);
        }
    }
}
