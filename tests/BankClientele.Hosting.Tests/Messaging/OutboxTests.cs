using System.Net.Http.Json;
using BankClientele.Acquisition;
using BankClientele.Acquisition.Prospects;
using BankClientele.Contracts.Acquisition;
using BankClientele.CustomerCare.Book;
using BankClientele.Insights.BranchStats;
using Microsoft.EntityFrameworkCore;

namespace BankClientele.Hosting.Tests.Messaging;

public sealed class OutboxTests
{
    [Test]
    public async Task With_the_broker_down_a_conversion_still_commits_and_its_event_goes_out_once_the_broker_is_back()
    {
        await using var broker = new TcpProxy(TestServers.RabbitPort);
        broker.Start();
        // An Acquisition instance of its own (own database), whose only way to the broker is the proxy.
        await using var acquisition = new ServiceFactory<AcquisitionDbContext>(
            "bankclientele_test_acquisition_outage",
            new Dictionary<string, string?> { ["RabbitMq:Port"] = broker.Port.ToString(System.Globalization.CultureInfo.InvariantCulture) });
        await TestDatabases.DropAsync(acquisition.Database);
        await acquisition.StartAsync();

        var branch = TestServers.UniqueBranch();
        await TestSystem.Services.AddRelationshipManagerAsync($"{branch}-RM1", branch);
        var lead = Tokens.BranchLead(branch);

        broker.Stop();
        using var client = acquisition.ClientFor(lead);
        var created = await client.PostAsJsonAsync("/api/prospects", new RecordProspect("周六", "13900001111", branch, null));
        var prospectId = (await created.EnsureSuccessStatusCode().Content.ReadFromJsonAsync<ProspectCreated>())!.Id;
        var converted = await client.PostAsJsonAsync($"/api/prospects/{prospectId}/conversion", new ConvertProspect(ServiceSystem.NewCustomerNumber(), "6222000011112222", 9_000m));
        Assert.That(converted.IsSuccessStatusCode, Is.True, "the business change commits without the broker");

        // The relay tries, fails, and keeps the event.
        var pending = await Poll.UntilAsync(async () =>
        {
            await using var db = acquisition.NewDbContext();
            return await db.OutboxMessages.AsNoTracking().SingleAsync(m => m.MessageType == typeof(ProspectConvertedV2).FullName);
        }, m => m.Attempts > 0, "the relay to attempt a publish while the broker is down");
        Assert.That(pending.SentAt, Is.Null);
        await using (var db = acquisition.NewDbContext())
        {
            Assert.That((await db.Prospects.SingleAsync(p => p.Id == prospectId)).Stage, Is.EqualTo(LeadStage.AccountOpened));
        }

        broker.Start();
        using var care = TestSystem.CustomerCare.ClientFor(lead);
        var customers = await Poll.UntilAsync(
            () => ServiceSystem.GetAsync<List<CustomerView>>(care, $"/api/customers?branchCode={branch}"),
            list => list is { Count: 1 }, "CustomerCare to receive the conversion once the broker is back", TimeSpan.FromSeconds(60));
        Assert.That(customers![0].RelationshipManagerId, Is.EqualTo($"{branch}-RM1"));
        // Every event of the outage goes out, the prospect's ProspectsRecorded too (each type on its own back-off, up to a minute).
        var unsent = await Poll.UntilAsync(async () =>
        {
            await using var db = acquisition.NewDbContext();
            return await db.OutboxMessages.CountAsync(m => m.SentAt == null);
        }, n => n == 0, "every event of the outage to be sent once the broker is back", TimeSpan.FromSeconds(90));
        Assert.That(unsent, Is.Zero);
    }

    [Test]
    public async Task Nothing_is_published_for_a_rolled_back_change()
    {
        var rolledBackBranch = TestServers.UniqueBranch("RB");
        var committedBranch = TestServers.UniqueBranch("OK");

        await using (var db = TestSystem.Acquisition.NewDbContext())
        {
            await using var tx = await db.Database.BeginTransactionAsync();
            db.Publish(new ProspectConvertedV2(Guid.NewGuid(), Guid.NewGuid(), rolledBackBranch, 1m, null, DateTimeOffset.UtcNow, null, null, null, null));
            await db.SaveChangesAsync();
            await tx.RollbackAsync();
        }
        // A committed conversion after it: once Insights counts this one, the relay has run past the other.
        var lead = Tokens.BranchLead(committedBranch);
        await TestSystem.Services.ConvertAsync(lead, await TestSystem.Services.RecordProspectAsync(lead, committedBranch));

        using var insights = TestSystem.Insights.ClientFor(Tokens.HeadOffice);
        var stats = await Poll.UntilAsync(
            () => ServiceSystem.GetAsync<List<BranchStatisticsView>>(insights, "/api/branch-stats"),
            list => list!.Any(s => s.BranchCode == committedBranch && s.Customers == 1), "the committed conversion to be counted");
        Assert.That(stats!.Select(s => s.BranchCode), Does.Not.Contain(rolledBackBranch));
        var stored = await TestDatabases.ScalarAsync<long>(TestSystem.Acquisition.Database,
            $"SELECT count(*) FROM outbox_messages WHERE body->>'branchCode' = '{rolledBackBranch}'");
        Assert.That(stored, Is.Zero);
    }
}
