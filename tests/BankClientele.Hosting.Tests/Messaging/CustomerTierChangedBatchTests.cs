using BankClientele.Contracts.CustomerCare;
using BankClientele.Hosting.Customers;
using BankClientele.Insights.Store;
using MassTransit;
using Microsoft.EntityFrameworkCore;

namespace BankClientele.Hosting.Tests.Messaging;

/// <summary>
/// A balances feed re-tiers thousands of customers at once, and FootTraffic and Insights take the tier
/// changes in batches: over the real broker, a burst in which older changes arrive after newer ones
/// (in the same batch or not) leaves each customer at their newest tier in both services.
/// </summary>
public sealed class CustomerTierChangedBatchTests
{
    [Test]
    public async Task A_burst_of_tier_changes_leaves_each_customer_at_the_newest_tier()
    {
        var branch = TestServers.UniqueBranch();
        const int count = 300;
        var numbers = Enumerable.Range(0, count).Select(i => $"{branch}-{i:D4}").ToArray();
        var ids = numbers.Select(CustomerIds.FromCustomerNumber).ToArray();
        var at = DateTimeOffset.UtcNow;
        var bus = TestSystem.CustomerCare.Get<IBus>();

        // Every customer: the newest change, then an older one under its own id; every third the other way
        // round; customer 0's newest delivery twice (the same message id).
        var burst = new List<Task>();
        var copyId = Guid.NewGuid();
        for (var i = 0; i < count; i++)
        {
            var newest = new CustomerTierChanged(ids[i], numbers[i], branch, "Mass", i % 2 == 0 ? "Affluent" : "Wealth", 100_000m, at);
            var older = newest with { Tier = "PrivateBanking", ChangedAt = at.AddDays(-1) };
            IEnumerable<CustomerTierChanged> order = i % 3 == 0 ? [older, newest] : [newest, older];
            foreach (var message in order)
            {
                burst.Add(i == 0 && message == newest ? bus.Publish(message, c => c.MessageId = copyId) : bus.Publish(message));
            }
        }
        burst.Add(bus.Publish(new CustomerTierChanged(ids[0], numbers[0], branch, "Mass", "Affluent", 100_000m, at), c => c.MessageId = copyId));
        await Task.WhenAll(burst);

        await using var traffic = TestSystem.FootTraffic.NewDbContext();
        await using var insights = TestSystem.Insights.NewDbContext();
        await Poll.UntilAsync(() => traffic.KnownCustomers.CountAsync(c => c.BranchCode == branch), n => n == count, "FootTraffic's known customers");
        await Poll.UntilAsync(() => insights.Set<CustomerAttributes>().CountAsync(c => c.BranchCode == branch), n => n == count, "Insights' customer attributes");
        // Every message handled (the broker empties both queues), then the tiers read.
        foreach (var (name, database) in new[] { ("FootTraffic", TestSystem.FootTraffic.Database), ("Insights", TestSystem.Insights.Database) })
        {
            await Poll.UntilAsync(() => TestDatabases.ScalarAsync<long>(database,
                    $"SELECT count(*) FROM inbox_messages WHERE consumer IN ('CustomerTierChangedConsumer', 'TierChangedConsumer') AND message_id = '{copyId}'"),
                n => n == 1, $"{name} to handle the copied delivery");
        }
        var expected = ids.Select((id, i) => (id, tier: i % 2 == 0 ? "Affluent" : "Wealth")).ToDictionary(x => x.id, x => x.tier);
        await Poll.UntilAsync(async () => (await traffic.KnownCustomers.AsNoTracking().Where(c => c.BranchCode == branch).ToListAsync())
                .Count(c => c.Tier == expected[c.CustomerId]),
            n => n == count, "FootTraffic's tiers at the newest change");
        await Poll.UntilAsync(async () => (await insights.Set<CustomerAttributes>().AsNoTracking().Where(c => c.BranchCode == branch).ToListAsync())
                .Count(c => c.Tier == expected[c.CustomerId]),
            n => n == count, "Insights' tiers at the newest change");

        var known = await traffic.KnownCustomers.AsNoTracking().Where(c => c.BranchCode == branch).ToListAsync();
        var attributes = await insights.Set<CustomerAttributes>().AsNoTracking().Where(c => c.BranchCode == branch).ToListAsync();
        Assert.Multiple(() =>
        {
            Assert.That(known.Select(c => c.UpdatedAt).Distinct(), Is.EqualTo(new[] { at }).Using<DateTimeOffset>((a, b) => Math.Abs((a - b).TotalMilliseconds) < 1),
                "the newest change's time is kept");
            Assert.That(attributes.Count(a => a.Tier == "PrivateBanking"), Is.Zero, "no older change overwrote a newer one");
            Assert.That(attributes.Select(a => a.TierChangedAt).Distinct().Count(), Is.EqualTo(1));
        });
    }
}
