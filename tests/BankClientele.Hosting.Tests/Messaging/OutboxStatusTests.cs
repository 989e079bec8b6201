using System.Globalization;
using System.Net;
using BankClientele.Acquisition;
using BankClientele.Contracts.Acquisition;
using BankClientele.Hosting.Messaging;

namespace BankClientele.Hosting.Tests.Messaging;

public sealed class OutboxStatusTests
{
    [Test]
    public async Task An_administrator_sees_unsent_and_failing_outbox_rows_while_the_broker_is_unreachable_and_none_once_it_is_back()
    {
        await using var broker = new TcpProxy(TestServers.RabbitPort);
        broker.Start();
        await using var acquisition = new ServiceFactory<AcquisitionDbContext>(
            "bankclientele_test_acquisition_outbox_status",
            new Dictionary<string, string?> { ["RabbitMq:Port"] = broker.Port.ToString(CultureInfo.InvariantCulture) });
        await TestDatabases.DropAsync(acquisition.Database);
        await acquisition.StartAsync();
        using var admin = acquisition.ClientFor(Tokens.Administrator);

        broker.Stop();
        await using (var db = acquisition.NewDbContext())
        {
            db.Publish(new ProspectConvertedV2(Guid.NewGuid(), Guid.NewGuid(), TestServers.UniqueBranch(), 1m, null, DateTimeOffset.UtcNow, null, null, null, null));
            await db.SaveChangesAsync();
        }

        var stuck = await Poll.UntilAsync(() => ServiceSystem.GetAsync<OutboxStatus>(admin, "/api/bus/outbox"),
            s => s is { Unsent: 1, Failing: 1 }, "the relay to fail on the unreachable broker");
        Assert.Multiple(() =>
        {
            Assert.That(stuck!.OldestUnsentAt, Is.Not.Null);
            Assert.That(stuck.OldestAgeSeconds, Is.GreaterThanOrEqualTo(0));
            Assert.That(stuck.LastError, Is.Not.Empty);
        });

        using var headOffice = acquisition.ClientFor(Tokens.HeadOffice);
        Assert.That((await headOffice.GetAsync("/api/bus/outbox")).StatusCode, Is.EqualTo(HttpStatusCode.Forbidden));

        broker.Start();
        var drained = await Poll.UntilAsync(() => ServiceSystem.GetAsync<OutboxStatus>(admin, "/api/bus/outbox"),
            s => s is { Unsent: 0 }, "the outbox to drain once the broker is back", TimeSpan.FromSeconds(60));
        Assert.That(drained!.OldestUnsentAt, Is.Null);
    }
}
