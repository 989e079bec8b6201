using System.Collections.Concurrent;
using BankClientele.Acquisition;
using System.Text.Json;
using BankClientele.Contracts.Acquisition;
using BankClientele.Hosting.Messaging;
using MassTransit;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.TestHost;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;

namespace BankClientele.Hosting.Tests.Messaging;

public sealed class RelayBatchTests
{
    [Test]
    public async Task A_publish_failing_in_the_middle_of_a_batch_leaves_the_others_sent_and_is_retried_without_sending_anything_twice()
    {
        var branch = TestServers.UniqueBranch();
        var events = Enumerable.Range(0, 20)
            .Select(i => new ProspectConvertedV2(Guid.NewGuid(), Guid.NewGuid(), branch, 100m + i, null, DateTimeOffset.UtcNow, null, null, null, null))
            .ToList();
        // Three publishes in the middle of the batch fail once, before reaching the broker.
        var failOnce = new ConcurrentDictionary<Guid, bool>(new[] { 7, 8, 13 }.Select(i => KeyValuePair.Create(events[i].ProspectId, true)));
        // An Acquisition instance of its own (own database), so its relay is the only one reading this outbox.
        await using var acquisition = new FailingRelayAcquisition("bankclientele_test_acquisition_relay_batch", failOnce);
        await TestDatabases.DropAsync(acquisition.Database);
        await acquisition.StartAsync();
        var delivered = new ConcurrentDictionary<Guid, int>();
        using var counter = TestSystem.CustomerCare.Get<IBus>().ConnectConsumeMessageObserver(new ConversionCounter(branch, delivered));

        await using (var db = acquisition.NewDbContext())
        {
            events.ForEach(db.Publish);
            await db.SaveChangesAsync(); // one commit: the relay claims all twenty in one batch
        }

        var rows = await Poll.UntilAsync(async () =>
        {
            await using var db = acquisition.NewDbContext();
            return await db.OutboxMessages.AsNoTracking().ToListAsync();
        }, list => list.Count == events.Count && list.All(m => m.SentAt != null), "every outbox row to be sent, the failed ones on a later pass");
        await Poll.UntilAsync(() => Task.FromResult(delivered.Count), n => n == events.Count, "every conversion to reach CustomerCare");

        var retried = rows.Where(r => r.Attempts > 0).ToList();
        Assert.Multiple(() =>
        {
            Assert.That(failOnce.Values, Is.All.False, "each injected failure happened");
            Assert.That(retried, Has.Count.EqualTo(3), "only the failed publishes were retried");
            Assert.That(retried.Select(r => r.LastError), Is.All.Contains("injected"));
            Assert.That(delivered.Keys, Is.EquivalentTo(events.Select(e => e.ProspectId)));
            Assert.That(delivered.Values, Is.All.EqualTo(1), "nothing was published twice");
        });
    }

    /// <summary>Acquisition whose relay publishes through <see cref="FailOncePublisher"/> around the real RabbitMQ.Client publisher.</summary>
    private sealed class FailingRelayAcquisition(string database, ConcurrentDictionary<Guid, bool> failOnce) : ServiceFactory<AcquisitionDbContext>(database)
    {
        protected override void ConfigureWebHost(IWebHostBuilder builder)
        {
            base.ConfigureWebHost(builder);
            builder.ConfigureTestServices(services => services.AddSingleton<IOutboxPublisher>(provider =>
                new FailOncePublisher(provider.GetRequiredService<RabbitMqOutboxPublisher>(), failOnce)));
        }
    }

    /// <summary>Fails, before it leaves, the first publish of a chosen prospect's conversion; hands the rest of the batch to the real publisher.</summary>
    private sealed class FailOncePublisher(IOutboxPublisher inner, ConcurrentDictionary<Guid, bool> failOnce) : IOutboxPublisher
    {
        public async Task<IReadOnlyList<Task>> PublishAsync(IReadOnlyList<PendingOutboxMessage> batch, CancellationToken ct)
        {
            var results = new Task?[batch.Count];
            var passed = new List<int>();
            for (var i = 0; i < batch.Count; i++)
            {
                var prospect = JsonDocument.Parse(batch[i].Body).RootElement.GetProperty("prospectId").GetGuid();
                if (failOnce.TryUpdate(prospect, false, true))
                {
                    results[i] = Task.FromException(new InvalidOperationException($"injected failure for {prospect}"));
                }
                else
                {
                    passed.Add(i);
                }
            }
            var published = await inner.PublishAsync(passed.Select(i => batch[i]).ToList(), ct);
            for (var k = 0; k < passed.Count; k++)
            {
                results[passed[k]] = published[k];
            }
            return results!;
        }
    }

    /// <summary>Counts consumed ProspectConverted events of one branch, per prospect.</summary>
    private sealed class ConversionCounter(string branch, ConcurrentDictionary<Guid, int> delivered) : IConsumeMessageObserver<ProspectConvertedV2>
    {
        public Task PreConsume(ConsumeContext<ProspectConvertedV2> context) => Task.CompletedTask;

        public Task PostConsume(ConsumeContext<ProspectConvertedV2> context)
        {
            if (context.Message.BranchCode == branch)
            {
                delivered.AddOrUpdate(context.Message.ProspectId, 1, (_, n) => n + 1);
            }
            return Task.CompletedTask;
        }

        public Task ConsumeFault(ConsumeContext<ProspectConvertedV2> context, Exception exception) => Task.CompletedTask;
    }
}
