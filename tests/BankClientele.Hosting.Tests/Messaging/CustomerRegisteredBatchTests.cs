using BankClientele.Contracts.CustomerCare;
using BankClientele.Hosting.Customers;
using BankClientele.Hosting.Privacy;
using MassTransit;
using Microsoft.EntityFrameworkCore;

namespace BankClientele.Hosting.Tests.Messaging;

/// <summary>
/// A feed registers thousands of customers at once, and Acquisition, FootTraffic and Insights take
/// the registrations in batches: over the real broker, a burst with copies in it is kept once per
/// customer in each service, the latest registration winning and what it lacks kept from before.
/// </summary>
public sealed class CustomerRegisteredBatchTests
{
    private static readonly PersonalDataHash Hash = TestServers.Hashes;

    [Test]
    public async Task A_burst_of_registrations_with_copies_is_kept_once_per_customer_in_every_service()
    {
        var branch = TestServers.UniqueBranch();
        const int count = 450;
        var numbers = Enumerable.Range(0, count).Select(i => $"{branch}-{i:D4}").ToArray();
        var ids = numbers.Select(CustomerIds.FromCustomerNumber).ToArray();
        var phones = Enumerable.Range(0, count).Select(i => Hash.Phone($"1380{Random.Shared.Next(1_000_000, 9_999_999)}")).ToArray();
        CustomerRegistered Registration(int i, string? phone, string tier) => new(ids[i], numbers[i], branch, phone, null, tier, DateTimeOffset.UtcNow);
        var bus = TestSystem.CustomerCare.Get<IBus>();

        // Customer 0's tier change reaches FootTraffic before the registration: its tier stays.
        await bus.Publish(new CustomerTierChanged(ids[0], numbers[0], branch, "Mass", "Private", 7_000_000m, DateTimeOffset.UtcNow));
        await using var traffic = TestSystem.FootTraffic.NewDbContext();
        await Poll.UntilAsync(() => traffic.KnownCustomers.AnyAsync(c => c.CustomerId == ids[0]), found => found, "the tier change first");

        // The burst: every customer, customer 5 twice in a row (a copy under a new id, likely in the same
        // batch) and customer 6's delivery twice (the same message id).
        var copyId = Guid.NewGuid();
        var burst = new List<Task>();
        for (var i = 0; i < count; i++)
        {
            var message = Registration(i, phones[i], "Mass");
            burst.Add(i == 6 ? bus.Publish(message, c => c.MessageId = copyId) : bus.Publish(message));
            if (i == 5)
            {
                burst.Add(bus.Publish(message));
            }
            if (i == 6)
            {
                burst.Add(bus.Publish(message, c => c.MessageId = copyId));
            }
        }
        await Task.WhenAll(burst);

        await using var acquisition = TestSystem.Acquisition.NewDbContext();
        await using var insights = TestSystem.Insights.NewDbContext();
        await Poll.UntilAsync(() => acquisition.ExistingCustomers.CountAsync(c => c.BranchCode == branch), n => n == count, "Acquisition's existing customers");
        await Poll.UntilAsync(() => traffic.KnownCustomers.CountAsync(c => c.BranchCode == branch && c.PhoneHash != null), n => n == count, "FootTraffic's known customers");
        await Poll.UntilAsync(() => insights.AnalyticCustomers.CountAsync(c => c.BranchCode == branch), n => n == count, "Insights' customer book");
        // The copied delivery recorded once in each service's inbox, then the branch counter read.
        foreach (var (name, database) in new[] { ("Acquisition", TestSystem.Acquisition.Database), ("FootTraffic", TestSystem.FootTraffic.Database), ("Insights", TestSystem.Insights.Database) })
        {
            await Poll.UntilAsync(() => TestDatabases.ScalarAsync<long>(database,
                    $"SELECT count(*) FROM inbox_messages WHERE consumer = 'CustomerRegisteredConsumer' AND message_id = '{copyId}'"),
                n => n == 1, $"{name} to handle the copied delivery");
        }
        await Poll.UntilAsync(() => insights.BranchStatistics.AsNoTracking().Where(s => s.BranchCode == branch).Select(s => s.Customers).SingleOrDefaultAsync(),
            n => n >= count, "Insights' branch counter");

        // Customer 1 registered again later without a phone and in a new tier: the tier moves, the phone hash stays.
        await bus.Publish(Registration(1, null, "Affluent"));
        await Poll.UntilAsync(() => acquisition.ExistingCustomers.AsNoTracking().Where(c => c.CustomerId == ids[1]).Select(c => c.Tier).SingleAsync(),
            tier => tier == "Affluent", "the later registration");

        var known0 = await traffic.KnownCustomers.AsNoTracking().SingleAsync(c => c.CustomerId == ids[0]);
        var existing1 = await acquisition.ExistingCustomers.AsNoTracking().SingleAsync(c => c.CustomerId == ids[1]);
        var statistics = await insights.BranchStatistics.AsNoTracking().SingleAsync(s => s.BranchCode == branch);
        Assert.Multiple(() =>
        {
            Assert.That(known0.Tier, Is.EqualTo("Private"), "a tier that arrived first is kept");
            Assert.That(known0.PhoneHash, Is.EqualTo(phones[0]), "the registration fills in the rest");
            Assert.That(existing1.PhoneHash, Is.EqualTo(phones[1]), "a hash the later message lacks is kept");
            Assert.That(statistics.Customers, Is.EqualTo(count), "each customer counted once in the branch");
        });
    }
}
