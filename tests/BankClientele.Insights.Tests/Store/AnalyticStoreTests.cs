using System.Net;
using System.Net.Http.Json;
using BankClientele.Contracts.Acquisition;
using BankClientele.Contracts.CustomerCare;
using BankClientele.Insights.Campaigns;
using MassTransit;
using Microsoft.EntityFrameworkCore;

namespace BankClientele.Insights.Tests.Store;

/// <summary>The analytic store fed over the real broker, and the campaign effect read from it.</summary>
public sealed class AnalyticStoreTests
{
    private static IBus Bus => TestSystem.Insights.Get<IBus>();

    [Test]
    public async Task A_converted_prospect_registered_by_core_banking_too_is_counted_once()
    {
        var branch = TestServers.UniqueBranch();
        // Ids as every service derives them from the customer numbers (CustomerCare consumes the conversion too).
        var (convertedNumber, registeredNumber) = ($"{branch}-1", $"{branch}-2");
        var converted = Hosting.Customers.CustomerIds.FromCustomerNumber(convertedNumber);
        var registeredOnly = Hosting.Customers.CustomerIds.FromCustomerNumber(registeredNumber);
        var now = DateTimeOffset.UtcNow;
        await Bus.Publish(new CustomerRegistered(converted, convertedNumber, branch, null, null, "Standard", now));
        await Bus.Publish(new ProspectConvertedV2(Guid.NewGuid(), converted, branch, 50_000m, null, now, convertedNumber, null, null, null));
        await Bus.Publish(new CustomerRegistered(registeredOnly, registeredNumber, branch, null, null, "Standard", now));
        // A redelivery of the same registration under a new message id (e.g. a re-sent feed) counts nothing.
        await Bus.Publish(new CustomerRegistered(registeredOnly, registeredNumber, branch, null, null, "Standard", now));

        await using var db = TestSystem.Insights.NewDbContext();
        await Poll.UntilAsync(() => db.InboxMessages.CountAsync(m => m.Consumer == "CustomerRegisteredConsumer" || m.Consumer == "CustomerCountConsumer")
            .ContinueWith(_ => db.AnalyticCustomers.CountAsync(c => c.BranchCode == branch)).Unwrap(), n => n == 2, "both customers recorded");
        // Let the last deliveries land, then check nothing was counted twice.
        await Poll.UntilAsync(async () => await db.BranchStatistics.AsNoTracking().Where(s => s.BranchCode == branch).Select(s => s.Customers).SingleOrDefaultAsync(),
            n => n >= 2, "the branch counter");
        var stats = await db.BranchStatistics.AsNoTracking().SingleAsync(s => s.BranchCode == branch);
        Assert.That(stats.Customers, Is.EqualTo(2));
    }

    [Test]
    public async Task Daily_balances_are_stored_once_and_aggregated_per_branch_and_day()
    {
        var branch = TestServers.UniqueBranch();
        var day = new DateOnly(2026, 3, 2);
        var balances = Enumerable.Range(0, 500).Select(i => new CustomerBalance(Guid.NewGuid(), 1_000m + i, i % 2 == 0 ? 0 : 10_000m)).ToList();
        var first = DailyBalancesRecorded.Of(branch, day, 1, 2, balances[..300]);
        var second = DailyBalancesRecorded.Of(branch, day, 2, 2, balances[300..]);
        var messageId = Guid.NewGuid();
        await Bus.Publish(first, c => c.MessageId = messageId);
        await Bus.Publish(first, c => c.MessageId = messageId); // a duplicate delivery
        await Bus.Publish(second);
        await Bus.Publish(second); // the same chunk re-sent under a new id: replaces, never adds

        await using var db = TestSystem.Insights.NewDbContext();
        var expectedDeposit = balances.Sum(b => b.Deposit);
        var aggregate = await Poll.UntilAsync(
            () => db.BranchDailyDeposits.AsNoTracking().SingleOrDefaultAsync(d => d.BranchCode == branch && d.Day == day),
            d => d is { Customers: 500 }, "the branch-day aggregate of both chunks");
        Assert.Multiple(async () =>
        {
            Assert.That(await db.DailyBalances.CountAsync(b => b.BranchCode == branch), Is.EqualTo(500));
            Assert.That(aggregate!.Deposit, Is.EqualTo(expectedDeposit));
            Assert.That(aggregate.Wealth, Is.EqualTo(250 * 10_000m));
            Assert.That(await db.InboxMessages.CountAsync(m => m.MessageId == messageId), Is.EqualTo(1));
        });
    }

    /// <summary>
    /// A re-import's balances and the first import's, delivered in either order: together (one batch, as a rule) or the
    /// second once the first is stored (two batches at once, or a replay from the error queue).
    /// </summary>
    [TestCase(true, true)]
    [TestCase(false, true)]
    [TestCase(true, false)]
    [TestCase(false, false)]
    public async Task Of_two_balances_of_one_customer_and_day_the_newer_message_wins_in_either_arrival_order(bool newerFirst, bool together)
    {
        var branch = TestServers.UniqueBranch();
        var day = new DateOnly(2026, 3, 4);
        var customers = Enumerable.Range(0, 50).Select(_ => Guid.NewGuid()).ToArray();
        // Outbox ids are time-ordered: the first import's message is the older.
        var (olderId, newerId) = (Guid.CreateVersion7(DateTimeOffset.UtcNow.AddMinutes(-5)), Guid.CreateVersion7());
        var older = DailyBalancesRecorded.Of(branch, day, 1, 1, [.. customers.Select(c => new CustomerBalance(c, 1_000m, 10m))]);
        var newer = DailyBalancesRecorded.Of(branch, day, 1, 1, [.. customers.Select(c => new CustomerBalance(c, 2_000m, 20m))]);
        var deliveries = newerFirst ? new[] { (newer, newerId), (older, olderId) } : [(older, olderId), (newer, newerId)];
        await using var db = TestSystem.Insights.NewDbContext();
        foreach (var (message, id) in deliveries)
        {
            await Bus.Publish(message, c => c.MessageId = id);
            if (!together)
            {
                await Poll.UntilAsync(() => db.InboxMessages.CountAsync(m => m.MessageId == id), n => n == 1, "the first chunk stored");
            }
        }
        // An inbox row commits with its balances: once both are there, both have been applied.
        await Poll.UntilAsync(() => db.InboxMessages.CountAsync(m => m.MessageId == olderId || m.MessageId == newerId), n => n == 2, "both chunks consumed");
        Assert.Multiple(async () =>
        {
            var stored = await db.DailyBalances.AsNoTracking().Where(b => b.BranchCode == branch && b.Day == day).ToListAsync();
            Assert.That(stored, Has.Count.EqualTo(50));
            Assert.That(stored.Select(b => (b.Deposit, b.Wealth, b.MessageId)).Distinct(), Is.EqualTo(new[] { (2_000m, 20m, (Guid?)newerId) }));
            var aggregate = await db.BranchDailyDeposits.AsNoTracking().SingleAsync(d => d.BranchCode == branch && d.Day == day);
            Assert.That((aggregate.Customers, aggregate.Deposit, aggregate.Wealth), Is.EqualTo((50, 100_000m, 1_000m)));
        });
    }

    [Test]
    public async Task A_balances_chunk_with_columns_of_different_lengths_is_refused_and_the_next_is_stored()
    {
        var branch = TestServers.UniqueBranch();
        var day = new DateOnly(2026, 3, 3);
        var ids = new[] { Guid.NewGuid(), Guid.NewGuid(), Guid.NewGuid() };
        var malformed = new DailyBalancesRecorded(branch, day, 1, 1, ids, [1_000m, 2_000m], [0m, 0m, 0m]);
        Assert.That(malformed.IsWellFormed(), Is.False);
        var malformedId = Guid.NewGuid();
        await Bus.Publish(malformed, c => c.MessageId = malformedId);
        await Bus.Publish(DailyBalancesRecorded.Of(branch, day.AddDays(1), 1, 1, [new CustomerBalance(ids[0], 5_000m, 0m)]));

        await using var db = TestSystem.Insights.NewDbContext();
        await Poll.UntilAsync(() => db.BranchDailyDeposits.CountAsync(d => d.BranchCode == branch && d.Day == day.AddDays(1)), n => n == 1,
            "the well-formed chunk after the malformed one");
        Assert.Multiple(async () =>
        {
            Assert.That(await db.DailyBalances.CountAsync(b => b.BranchCode == branch && b.Day == day), Is.Zero);
            Assert.That(await db.BranchDailyDeposits.CountAsync(d => d.BranchCode == branch && d.Day == day), Is.Zero);
        });
        // Refused after its retries into the error queue (and taken out of it, so that no other test meets it).
        await Poll.UntilAsync(() => ErrorQueues.HoldsAsync("insights-daily-balances_error", malformedId), found => found,
            "the malformed chunk in insights-daily-balances_error");
    }

    /// <summary>
    /// A campaign with a 20 % holdout and +20,000 built into the treated customers' balances from its
    /// start, as the demo has it: the difference-in-differences interval covers 20,000, CUPED narrows it,
    /// and the placebo inside the pre window covers 0.
    /// </summary>
    [Test]
    public async Task Campaign_effect_recovers_the_built_in_uplift_with_an_interval()
    {
        var branch = TestServers.UniqueBranch();
        var campaign = "CMP-" + branch;
        var start = new DateOnly(2026, 5, 1);
        var random = new Random(42);
        var customers = Enumerable.Range(0, 200).Select(i => (Id: Guid.NewGuid(), Treated: i % 5 != 0, Level: 50_000 + 30_000 * Uplift.UpliftTests.Gaussian(random))).ToList();
        await Bus.Publish(new CampaignAudienceAssigned(campaign, branch, start, 1, 1,
            [.. customers.Where(c => c.Treated).Select(c => c.Id)], [.. customers.Where(c => !c.Treated).Select(c => c.Id)]));
        for (var d = -28; d < 28; d++)
        {
            var day = start.AddDays(d);
            await Bus.Publish(DailyBalancesRecorded.Of(branch, day, 1, 1, [.. customers.Select(c => new CustomerBalance(c.Id,
                Math.Round((decimal)(c.Level + 50 * d + (c.Treated && d >= 0 ? 20_000 : 0) + 2_000 * Uplift.UpliftTests.Gaussian(random)), 2), 0m))]));
        }
        await using var db = TestSystem.Insights.NewDbContext();
        await Poll.UntilAsync(() => db.BranchDailyDeposits.CountAsync(d => d.BranchCode == branch), n => n == 56, "56 days of balances");
        await Poll.UntilAsync(() => db.CampaignAudience.CountAsync(a => a.CampaignCode == campaign), n => n == 200, "the audience");

        var client = TestSystem.Insights.ClientFor(Tokens.HeadOffice);
        var effect = await client.GetFromJsonAsync<CampaignEffect>($"/api/uplift/campaigns/{campaign}/effect?preDays=28&postDays=28");
        Assert.Multiple(() =>
        {
            Assert.That(effect!.TreatedCustomers, Is.EqualTo(160));
            Assert.That(effect.ControlCustomers, Is.EqualTo(40));
            Assert.That(effect.DifferenceInDifferences.CiLow, Is.LessThan(20_000));
            Assert.That(effect.DifferenceInDifferences.CiHigh, Is.GreaterThan(20_000));
            Assert.That(effect.Cuped.CiLow, Is.LessThan(20_000));
            Assert.That(effect.Cuped.CiHigh, Is.GreaterThan(20_000));
            Assert.That(effect.Cuped.StandardError, Is.LessThan(effect.DifferenceInDifferences.StandardError * 1.1));
            Assert.That(effect.PreTrendCoversZero, Is.True);
            Assert.That(effect.MinimumDetectableEffect, Is.GreaterThan(0).And.LessThan(20_000));
        });

        // A relationship manager of another branch sees none of this audience.
        var other = TestSystem.Insights.ClientFor(Tokens.BranchLead(TestServers.UniqueBranch()));
        var hidden = await other.GetAsync($"/api/uplift/campaigns/{campaign}/effect");
        Assert.That(hidden.StatusCode, Is.EqualTo(HttpStatusCode.NotFound));
    }

    /// <summary>
    /// An audience whose accounts opened ten days before the start: no one has balances in the early half of the
    /// 28-day pre window, so the placebo cannot be estimated. It was NaN, which JSON cannot carry (a 500); now it is
    /// null and said not to cover 0, and the effect itself is still there.
    /// </summary>
    [Test]
    public async Task Campaign_effect_without_an_estimable_placebo_answers_with_a_null_pre_trend()
    {
        var branch = TestServers.UniqueBranch();
        var campaign = "CMP-" + branch;
        var start = new DateOnly(2026, 7, 1);
        var customers = Enumerable.Range(0, 20).Select(i => (Id: Guid.NewGuid(), Treated: i % 4 != 0, Level: 10_000m + 500m * i)).ToList();
        await Bus.Publish(new CampaignAudienceAssigned(campaign, branch, start, 1, 1,
            [.. customers.Where(c => c.Treated).Select(c => c.Id)], [.. customers.Where(c => !c.Treated).Select(c => c.Id)]));
        for (var d = -10; d < 10; d++)
        {
            await Bus.Publish(DailyBalancesRecorded.Of(branch, start.AddDays(d), 1, 1, [.. customers.Select((c, i) => new CustomerBalance(c.Id,
                c.Level + 10m * d + (c.Treated && d >= 0 ? 5_000m : 0m) + (i * d % 7), 0m))]));
        }
        await using var db = TestSystem.Insights.NewDbContext();
        await Poll.UntilAsync(() => db.BranchDailyDeposits.CountAsync(d => d.BranchCode == branch), n => n == 20, "20 days of balances");
        await Poll.UntilAsync(() => db.CampaignAudience.CountAsync(a => a.CampaignCode == campaign), n => n == 20, "the audience");

        var response = await TestSystem.Insights.ClientFor(Tokens.HeadOffice).GetAsync($"/api/uplift/campaigns/{campaign}/effect?preDays=28&postDays=10");
        Assert.That(response.StatusCode, Is.EqualTo(HttpStatusCode.OK), await response.Content.ReadAsStringAsync());
        var effect = await response.Content.ReadFromJsonAsync<CampaignEffect>();
        Assert.Multiple(() =>
        {
            Assert.That(effect!.PreTrend, Is.Null);
            Assert.That(effect.PreTrendCoversZero, Is.False);
            Assert.That(effect.DifferenceInDifferences.Att, Is.EqualTo(5_000).Within(50));
        });
    }

    /// <summary>
    /// The campaign works for one tier only: Affluent treated customers gain 20,000, Mass ones nothing. Split by
    /// tier, each tier's treated are compared with that tier's holdout: Affluent's interval covers 20,000 and not
    /// 0, Mass's covers 0; a tier with fewer than two held out gets no effect rather than one without a control.
    /// </summary>
    [Test]
    public async Task Campaign_effect_by_tier_compares_each_tiers_treated_with_its_own_holdout()
    {
        var branch = TestServers.UniqueBranch();
        var campaign = "CMP-" + branch;
        var start = new DateOnly(2026, 8, 1);
        var random = new Random(8);
        // 80 Affluent and 80 Mass customers, every 4th held out; 3 Private customers, all treated.
        var customers = Enumerable.Range(0, 163).Select(i => (Id: Guid.NewGuid(), Tier: i >= 160 ? "Private" : i % 2 == 0 ? "Affluent" : "Mass",
            Treated: i >= 160 || i % 8 > 1, Level: 40_000 + 20_000 * Uplift.UpliftTests.Gaussian(random))).ToList();
        foreach (var c in customers)
        {
            await Bus.Publish(new CustomerTierChanged(c.Id, "N", branch, null, c.Tier, 0m, DateTimeOffset.UtcNow));
        }
        await Bus.Publish(new CampaignAudienceAssigned(campaign, branch, start, 1, 1,
            [.. customers.Where(c => c.Treated).Select(c => c.Id)], [.. customers.Where(c => !c.Treated).Select(c => c.Id)]));
        for (var d = -14; d < 14; d++)
        {
            await Bus.Publish(DailyBalancesRecorded.Of(branch, start.AddDays(d), 1, 1, [.. customers.Select(c => new CustomerBalance(c.Id,
                Math.Round((decimal)(c.Level + 30 * d + (c.Treated && c.Tier == "Affluent" && d >= 0 ? 20_000 : 0) + 1_000 * Uplift.UpliftTests.Gaussian(random)), 2), 0m))]));
        }
        await using var db = TestSystem.Insights.NewDbContext();
        await Poll.UntilAsync(() => db.BranchDailyDeposits.CountAsync(d => d.BranchCode == branch), n => n == 28, "28 days of balances");
        await Poll.UntilAsync(() => db.CampaignAudience.CountAsync(a => a.CampaignCode == campaign), n => n == 163, "the audience");
        await Poll.UntilAsync(() => db.Set<BankClientele.Insights.Store.CustomerAttributes>().CountAsync(a => a.BranchCode == branch), n => n == 163, "the tiers");

        var client = TestSystem.Insights.ClientFor(Tokens.HeadOffice);
        var effect = await client.GetFromJsonAsync<CampaignEffect>($"/api/uplift/campaigns/{campaign}/effect?preDays=14&postDays=14&groupBy=tier");
        var tiers = effect!.Groups!.ToDictionary(g => g.Group);
        Assert.Multiple(() =>
        {
            Assert.That(tiers.Keys, Is.EquivalentTo(new[] { "Affluent", "Mass", "Private" }));
            Assert.That((tiers["Affluent"].TreatedCustomers, tiers["Affluent"].ControlCustomers), Is.EqualTo((60, 20)));
            Assert.That(tiers["Affluent"].DifferenceInDifferences!.CiLow, Is.LessThan(20_000).And.GreaterThan(0));
            Assert.That(tiers["Affluent"].DifferenceInDifferences!.CiHigh, Is.GreaterThan(20_000));
            Assert.That(tiers["Mass"].DifferenceInDifferences!.CiLow, Is.LessThan(0));
            Assert.That(tiers["Mass"].DifferenceInDifferences!.CiHigh, Is.GreaterThan(0));
            Assert.That(tiers["Private"].DifferenceInDifferences, Is.Null, "no holdout in the tier: no effect");
        });
        var bad = await client.GetAsync($"/api/uplift/campaigns/{campaign}/effect?groupBy=colour");
        Assert.That(bad.StatusCode, Is.EqualTo(HttpStatusCode.BadRequest));
        Assert.That(await bad.Content.ReadAsStringAsync(), Does.Contain("groupBy"));
        var whole = await client.GetFromJsonAsync<CampaignEffect>($"/api/uplift/campaigns/{campaign}/effect?preDays=14&postDays=14");
        Assert.That(whole!.Groups, Is.Null, "no split unless asked");
    }

    [Test]
    public async Task A_bad_window_is_refused_naming_the_field()
    {
        var client = TestSystem.Insights.ClientFor(Tokens.HeadOffice);
        var response = await client.GetAsync("/api/uplift/campaigns/ANY/effect?preDays=1&postDays=400");
        var body = await response.Content.ReadAsStringAsync();
        Assert.Multiple(() =>
        {
            Assert.That(response.StatusCode, Is.EqualTo(HttpStatusCode.BadRequest));
            Assert.That(body, Does.Contain("preDays"));
            Assert.That(body, Does.Contain("postDays"));
        });
    }
}
