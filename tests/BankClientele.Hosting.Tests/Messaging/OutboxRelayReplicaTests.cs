using System.Collections.Concurrent;
using BankClientele.Acquisition;
using BankClientele.Contracts.Acquisition;
using MassTransit;

namespace BankClientele.Hosting.Tests.Messaging;

public sealed class OutboxRelayReplicaTests
{
    [Test]
    public async Task Two_replicas_relaying_one_outbox_publish_each_event_exactly_once()
    {
        // A second Acquisition instance on the same database: two relays woken by the same NOTIFY.
        await using var replica = new ServiceFactory<AcquisitionDbContext>(TestSystem.Acquisition.Database);
        await replica.StartAsync();

        var branch = TestServers.UniqueBranch();
        var delivered = new ConcurrentDictionary<Guid, int>();
        using var observer = TestSystem.CustomerCare.Get<IBus>().ConnectConsumeMessageObserver(new ConversionCounter(branch, delivered));

        const int conversions = 20;
        var lead = Tokens.BranchLead(branch);
        var prospects = new List<Guid>();
        for (var i = 0; i < conversions; i++)
        {
            var prospectId = await TestSystem.Services.RecordProspectAsync(lead, branch, $"客户{i}");
            await TestSystem.Services.ConvertAsync(lead, prospectId);
            prospects.Add(prospectId);
        }

        await Poll.UntilAsync(() => Task.FromResult(delivered.Count), n => n == conversions, "every conversion to reach CustomerCare");
        // A row is marked sent once the broker confirms it, which may come after a consumer already has it.
        var unsent = await Poll.UntilAsync(() => TestDatabases.ScalarAsync<long>(TestSystem.Acquisition.Database,
            $"SELECT count(*) FROM outbox_messages WHERE sent_at IS NULL AND body->>'branchCode' = '{branch}'"), n => n == 0, "every row marked sent");
        Assert.Multiple(() =>
        {
            Assert.That(delivered.Keys, Is.EquivalentTo(prospects));
            Assert.That(delivered.Values, Is.All.EqualTo(1), "no event was published twice");
            Assert.That(unsent, Is.Zero);
        });
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
