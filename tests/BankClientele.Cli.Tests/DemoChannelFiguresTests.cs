using System.Net.Http.Json;
using BankClientele.Acquisition;
using BankClientele.Acquisition.Campaigns;
using BankClientele.Cli.Infrastructure;
using BankClientele.Cli.Seed;
using BankClientele.Contracts.CustomerCare;
using BankClientele.Hosting.Auth;
using BankClientele.Hosting.Customers;
using BankClientele.Hosting.Time;
using BankClientele.Testing;
using MassTransit;

namespace BankClientele.Cli.Tests;

/// <summary>
/// The demo's channel plan end to end: 2,000 leads drawn by the seed's generator (<see cref="DemoChannels.Plan"/>) go through a real
/// Acquisition on the real PostgreSQL the way the seed sends them (its CSV import, its managers' contacts), their accounts
/// open and fund as the core-banking feed reports them (CustomerCare's AccountOpenedV2 and ConvertedCustomerDeposits, here
/// published by the test), and /api/channel-figures must show every channel's stated rates and delay within sampling error.
/// </summary>
[NonParallelizable]
public sealed class DemoChannelFiguresTests
{
    private ServiceFactory<AcquisitionDbContext> acquisition = null!;

    [OneTimeSetUp]
    public async Task SendTheDemoLeadsThroughAcquisitionAsync()
    {
        acquisition = new ServiceFactory<AcquisitionDbContext>("bankclientele_test_cli_acquisition");
        await TestDatabases.DropAsync(acquisition.Database);
        await acquisition.StartAsync();

        var today = BranchClock.DayOf(DateTimeOffset.UtcNow);
        // Half the seed's population (2,000 leads, 300 of whom open), drawn by the seed's generator with its share of
        // openers: the whole 4,000 would take twice as long, mostly the managers' contacts, one request each.
        var plan = DemoChannels.Plan(DemoNetwork.RandomSeed, DemoPeople.RecentlyConverted / 2, DemoPeople.OpenProspects / 2);
        using (var admin = acquisition.ClientFor(Testing.Tokens.Administrator))
        {
            var imported = await AcquisitionDemo.ImportAsync(admin, AcquisitionDemo.ProspectCsv(plan, today), CancellationToken.None);
            Assert.That(imported.Inserted, Is.EqualTo(plan.Count), "every planned lead is a prospect of its own");
        }
        await AcquisitionDemo.LogPlannedContactsAsync(plan, ManagerOf, today, CancellationToken.None);

        // The recent accounts as CustomerCare reports them from the feed: opened on the planned day, funded if the lead activates.
        var openers = plan.Where(l => l.Opens).ToList();
        var bus = acquisition.Get<IBus>();
        // At once, as the feed's relay publishes them: concurrent batches converting them once deadlocked into the _error queue (issue #26).
        await bus.PublishBatch(openers.Select(lead => AccountOpened(lead, today)));
        await FiguresUntilAsync(f => f.Sum(c => c.AccountsOpened) == openers.Count, $"{openers.Count} accounts opened");
        await bus.Publish(new ConvertedCustomerDeposits(
            [.. openers.Select(l => CustomerId(l))], [.. openers.Select(l => OpenedOn(l, today))], [.. openers.Select(l => l.Activates ? 10_000m : 0m)]));
        await FiguresUntilAsync(f => f.Sum(c => c.Activated) == openers.Count(l => l.Activates), "the activated accounts");
    }

    [OneTimeTearDown]
    public async Task StopAsync() => await acquisition.DisposeAsync();

    [TestCase("first")]
    [TestCase("last")]
    public async Task Each_channel_shows_its_stated_rates_and_delay_within_four_standard_errors(string attribution)
    {
        var figures = await FiguresAsync(attribution);

        Assert.Multiple(() =>
        {
            foreach (var stated in DemoChannels.All)
            {
                var shown = figures.SingleOrDefault(f => f.Channel == stated.Channel);
                Assert.That(shown, Is.Not.Null, $"{stated.Channel} on the page");
                if (shown is null)
                {
                    continue;
                }
                Within(stated.Channel, "contacted", shown.ContactedRate, shown.Leads, stated.Contact);
                Within(stated.Channel, "interested", shown.InterestedRate, shown.Contacted, stated.Interest);
                Within(stated.Channel, "appointment", shown.AppointmentRate, shown.Interested, stated.Appointment);
                Within(stated.Channel, "opened", shown.OpenedRate, shown.Appointments, stated.Opening);
                Within(stated.Channel, "activated", shown.ActivatedRate, shown.AccountsOpened, stated.Activation);
                // Gamma(3) delays (standard deviation mean / √3) in whole days (rounding: variance 1/12); the page rounds to 0.1.
                var error = Math.Sqrt((stated.MeanDaysToConvert * stated.MeanDaysToConvert / 3 + 1.0 / 12) / shown.AccountsOpened);
                Assert.That(shown.AverageDaysToConvert, Is.EqualTo(stated.MeanDaysToConvert).Within(4 * error + 0.05),
                    $"{stated.Channel}: mean days to convert over {shown.AccountsOpened} accounts, stated {stated.MeanDaysToConvert}");
            }
        });
    }

    private static void Within(string channel, string stage, double shown, int of, double stated)
    {
        var error = Math.Sqrt(stated * (1 - stated) / of);
        Assert.That(shown, Is.EqualTo(stated).Within(4 * error), $"{channel}: {stage} rate {shown:P1} of {of}, stated {stated:P0}");
    }

    private ServiceClient ManagerOf(string branch)
    {
        var manager = DemoNetwork.RelationshipManagers.First(m => m.BranchCode == branch);
        var staff = new StaffIdentity(manager.StaffId, manager.Name, StaffRoles.RelationshipManager, branch);
        return new ServiceClient(ServiceCatalog.Acquisition, acquisition.Server.BaseAddress, Testing.Tokens.For(staff, acquisition.Audience), acquisition.Server.CreateHandler());
    }

    private static AccountOpenedV2 AccountOpened(DemoLead lead, DateOnly today)
    {
        var person = DemoPeople.Person(lead.Index);
        var number = DemoNetwork.CustomerNumber(lead.Index);
        return new AccountOpenedV2(CustomerId(lead), number, TestServers.Hashes.AccountNumber($"6222{number}")!, "SAVINGS", person.HomeBranchCode,
            OpenedOn(lead, today), 1_000m, TestServers.Hashes.Phone(person.Phone), TestServers.Hashes.IdNumber(person.IdNumber), FirstAccountOfCustomer: true);
    }

    private static Guid CustomerId(DemoLead lead) => CustomerIds.FromCustomerNumber(DemoNetwork.CustomerNumber(lead.Index));

    private static DateOnly OpenedOn(DemoLead lead, DateOnly today) => today.AddDays(-lead.OpenedDaysAgo);

    private async Task<List<ChannelFigures>> FiguresAsync(string attribution = "lead")
    {
        using var client = acquisition.ClientFor(Testing.Tokens.HeadOffice);
        return (await client.GetFromJsonAsync<List<ChannelFigures>>($"/api/channel-figures?attribution={attribution}"))!;
    }

    /// <summary>Waits for the consumers (bounded: two minutes for a machine busy with other work; seconds on a quiet one).</summary>
    private Task<List<ChannelFigures>> FiguresUntilAsync(Func<List<ChannelFigures>, bool> done, string what) =>
        Poll.UntilAsync(() => FiguresAsync(), done, what, TimeSpan.FromMinutes(2));
}
