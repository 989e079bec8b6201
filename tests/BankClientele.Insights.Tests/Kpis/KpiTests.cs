using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using BankClientele.Contracts.Acquisition;
using BankClientele.Contracts.CustomerCare;
using BankClientele.Insights.Kpis;
using MassTransit;
using Microsoft.EntityFrameworkCore;

namespace BankClientele.Insights.Tests.Kpis;

/// <summary>The KPI events consumed over the real broker (duplicates included), and the KPI APIs read from them.</summary>
public sealed class KpiTests
{
    private static IBus Bus => TestSystem.Insights.Get<IBus>();

    [Test]
    public async Task League_table_counts_each_event_once_and_ranks_by_asset_growth()
    {
        var branch = TestServers.UniqueBranch();
        var (good, weak) = ($"RM-{branch}-1", $"RM-{branch}-2");
        var customers = Enumerable.Range(0, 4).Select(_ => Guid.NewGuid()).ToArray();
        var start = new DateOnly(2025, 2, 1);
        var end = new DateOnly(2025, 2, 28);
        var at = new DateTimeOffset(2025, 1, 20, 0, 0, 0, TimeSpan.Zero);
        // Customer 0 moves from the weak manager to the good one: the later assignment wins, whatever the order.
        await Bus.Publish(new RelationshipManagerAssigned(customers[0], good, branch, at.AddDays(1), weak, "rebalance"));
        await Bus.Publish(new RelationshipManagerAssigned(customers[0], weak, branch, at));
        await Bus.Publish(new RelationshipManagerAssigned(customers[1], good, branch, at));
        await Bus.Publish(new RelationshipManagerAssigned(customers[2], weak, branch, at));
        await Bus.Publish(new RelationshipManagerAssigned(customers[3], weak, branch, at));
        await Bus.Publish(DailyBalancesRecorded.Of(branch, start, 1, 1, [.. customers.Select(c => new CustomerBalance(c, 100_000m, 0m))]));
        await Bus.Publish(DailyBalancesRecorded.Of(branch, end, 1, 1,
        [
            new CustomerBalance(customers[0], 150_000m, 10_000m), new CustomerBalance(customers[1], 120_000m, 0m),
            new CustomerBalance(customers[2], 101_000m, 0m), new CustomerBalance(customers[3], 90_000m, 0m),
        ]));
        var revisit = new RevisitCompleted(Guid.NewGuid(), customers[1], branch, good, "scheduled", "phone", "met", end, new DateTimeOffset(2025, 2, 10, 0, 0, 0, TimeSpan.Zero), true);
        var duplicateId = Guid.NewGuid();
        await Bus.Publish(revisit, c => c.MessageId = duplicateId);
        await Bus.Publish(revisit, c => c.MessageId = duplicateId); // the same delivery twice
        await Bus.Publish(revisit); // the same revisit under a new message id: still one
        await Bus.Publish(new RevisitCompleted(Guid.NewGuid(), customers[2], branch, weak, "scheduled", "phone", "met", start, new DateTimeOffset(2025, 2, 12, 0, 0, 0, TimeSpan.Zero), false));
        await Bus.Publish(new BundleAccepted(Guid.NewGuid(), customers[0], branch, good, "B-SALARY", 20_000m, new DateTimeOffset(2025, 2, 15, 0, 0, 0, TimeSpan.Zero)));

        await using var db = TestSystem.Insights.NewDbContext();
        await Poll.UntilAsync(() => db.Set<ManagerBookEntry>().Where(b => b.BranchCode == branch).ToListAsync(),
            b => b.Count == 4 && b.Single(e => e.CustomerId == customers[0]).RelationshipManagerId == good, "the books");
        await Poll.UntilAsync(() => db.Set<RevisitCompletion>().CountAsync(r => r.BranchCode == branch), n => n == 2, "two revisits");
        await Poll.UntilAsync(() => db.Set<BundleAcceptance>().CountAsync(r => r.BranchCode == branch), n => n == 1, "the bundle");
        await Poll.UntilAsync(() => db.DailyBalances.CountAsync(b => b.BranchCode == branch), n => n == 8, "the balances");
        await Poll.UntilAsync(() => db.InboxMessages.CountAsync(m => m.Consumer == nameof(RevisitCompletionConsumer)), n => n > 0, "the revisit deliveries");

        var client = TestSystem.Insights.ClientFor(Tokens.HeadOffice);
        var league = await client.GetFromJsonAsync<List<LeagueRow>>($"/api/kpis/league-table?from={start:yyyy-MM-dd}&to={end:yyyy-MM-dd}&branchCode={branch}");
        Assert.That(league, Has.Count.EqualTo(2));
        var (first, second) = (league![0], league[1]);
        Assert.Multiple(() =>
        {
            Assert.That(first.RelationshipManagerId, Is.EqualTo(good));
            Assert.That(first.Rank, Is.EqualTo(1));
            Assert.That(first.Customers, Is.EqualTo(2));
            Assert.That(first.AssetGrowth, Is.EqualTo(80_000m)); // (160,000 + 120,000) − 200,000
            Assert.That(first.RevisitsCompleted, Is.EqualTo(1));
            Assert.That(first.OnTimeRate, Is.EqualTo(1.0));
            Assert.That(first.BundlesAccepted, Is.EqualTo(1));
            Assert.That(second.RelationshipManagerId, Is.EqualTo(weak));
            Assert.That(second.AssetGrowth, Is.EqualTo(-9_000m));
            Assert.That(second.OnTimeRate, Is.EqualTo(0.0));
        });

        // A branch lead reads their own branch's table only (no branch asked: theirs); managers read none.
        var leadClient = TestSystem.Insights.ClientFor(Tokens.BranchLead(branch));
        var own = await leadClient.GetFromJsonAsync<List<LeagueRow>>($"/api/kpis/league-table?from={start:yyyy-MM-dd}&to={end:yyyy-MM-dd}");
        Assert.That(own!.Select(r => (r.RelationshipManagerId, r.BranchCode)), Is.EqualTo(new[] { (good, branch), (weak, branch) }));
        var other = await leadClient.GetAsync($"/api/kpis/league-table?branchCode={TestServers.UniqueBranch()}");
        Assert.That(other.StatusCode, Is.EqualTo(HttpStatusCode.Forbidden));
        Assert.That(await other.Content.ReadAsStringAsync(), Does.Contain("branchCode"));
        var manager = await TestSystem.Insights.ClientFor(Tokens.RelationshipManager(good, branch)).GetAsync("/api/kpis/league-table");
        Assert.That(manager.StatusCode, Is.EqualTo(HttpStatusCode.Forbidden));
    }

    [Test]
    public async Task Cac_adds_up_costs_and_conversions_once_each()
    {
        var branch = TestServers.UniqueBranch();
        var campaign = "CAC-" + branch;
        var day = new DateOnly(2024, 6, 10);
        var cost = new CampaignCostRecorded(Guid.NewGuid(), campaign, branch, 9_000m, "media", day);
        await Bus.Publish(cost);
        await Bus.Publish(cost); // re-sent: counted once
        await Bus.Publish(new CampaignCostRecorded(Guid.NewGuid(), campaign, branch, 3_000m, "gifts", day));
        var launchedAt = new DateTimeOffset(day.AddDays(-5).ToDateTime(TimeOnly.MinValue), TimeSpan.Zero);
        await Bus.Publish(new CampaignLaunched(campaign, "旧名", "targeted", branch, day.AddDays(-5), null, 10_000m, launchedAt));
        // Relaunched with a new name and budget; the older launch, delivered after it, changes nothing.
        await Bus.Publish(new CampaignLaunched(campaign, "代发工资客户回访", "targeted", branch, day.AddDays(-5), null, 48_000m, launchedAt.AddDays(1)));
        await Bus.Publish(new CampaignLaunched(campaign, "旧名", "targeted", branch, day.AddDays(-5), null, 10_000m, launchedAt));
        for (var i = 0; i < 3; i++)
        {
            var converted = new ProspectConvertedV2(Guid.NewGuid(), Guid.NewGuid(), branch, 10_000m, campaign,
                new DateTimeOffset(day.ToDateTime(TimeOnly.MinValue), TimeSpan.Zero), null, null, null, null, AcquisitionCost: 4_000m);
            await Bus.Publish(converted);
            await Bus.Publish(converted);
        }
        await using var db = TestSystem.Insights.NewDbContext();
        await Poll.UntilAsync(() => db.Set<CampaignCost>().CountAsync(c => c.CampaignCode == campaign), n => n == 2, "the costs");
        await Poll.UntilAsync(() => db.Set<AcquiredCustomer>().CountAsync(c => c.CampaignCode == campaign), n => n == 3, "the conversions");
        await Poll.UntilAsync(() => db.Set<LaunchedCampaign>().AsNoTracking().SingleOrDefaultAsync(c => c.CampaignCode == campaign),
            c => c is { Budget: 48_000m }, "the relaunch");

        var client = TestSystem.Insights.ClientFor(Tokens.HeadOffice);
        var summary = await client.GetFromJsonAsync<KpiSummary>($"/api/kpis?from={day:yyyy-MM-dd}&to={day:yyyy-MM-dd}");
        var row = summary!.Campaigns.Single(c => c.CampaignCode == campaign);
        Assert.Multiple(() =>
        {
            Assert.That(row.Cost, Is.EqualTo(12_000m));
            Assert.That(row.Conversions, Is.EqualTo(3));
            Assert.That(row.Cac, Is.EqualTo(4_000m));
            Assert.That(row.Name, Is.EqualTo("代发工资客户回访"));
            Assert.That(row.Budget, Is.EqualTo(48_000m));
            Assert.That(row.BudgetUsed, Is.EqualTo(0.25).Within(0.001));
        });
        var bad = await client.GetAsync("/api/kpis?from=2025-02-01&to=2025-01-01");
        Assert.That(bad.StatusCode, Is.EqualTo(HttpStatusCode.BadRequest));
        Assert.That(await bad.Content.ReadAsStringAsync(), Does.Contain("\"from\""));
    }

    [Test]
    public async Task Market_share_divides_the_city_branches_deposits_by_the_regional_total()
    {
        var (branchA, branchB) = (TestServers.UniqueBranch(), TestServers.UniqueBranch());
        var city = "测试市" + branchA;
        var client = TestSystem.Insights.ClientFor(Tokens.HeadOffice);
        var cities = await client.PutAsJsonAsync("/api/market/branch-cities", new[] { new { branchCode = branchA, city }, new { branchCode = branchB, city } });
        Assert.That(cities.StatusCode, Is.EqualTo(HttpStatusCode.OK));
        // Two days in March: the later one counts.
        await Bus.Publish(DailyBalancesRecorded.Of(branchA, new DateOnly(2023, 3, 30), 1, 1, [new CustomerBalance(Guid.NewGuid(), 1m, 0m)]));
        var lastDay = new DateOnly(2023, 3, 31);
        await Bus.Publish(DailyBalancesRecorded.Of(branchA, lastDay, 1, 1, [new CustomerBalance(Guid.NewGuid(), 300_000m, 0m)]));
        await Bus.Publish(DailyBalancesRecorded.Of(branchB, lastDay, 1, 1, [new CustomerBalance(Guid.NewGuid(), 200_000m, 5m)]));
        await using var db = TestSystem.Insights.NewDbContext();
        await Poll.UntilAsync(() => db.BranchDailyDeposits.CountAsync(d => d.BranchCode == branchA || d.BranchCode == branchB), n => n == 3, "the branch totals");

        var put = await client.PutAsJsonAsync("/api/market/regional-deposits", new[] { new { city, month = "2023-03", totalDeposits = 10_000_000m } });
        Assert.That(put.StatusCode, Is.EqualTo(HttpStatusCode.OK), await put.Content.ReadAsStringAsync());
        var share = (await client.GetFromJsonAsync<List<MarketShareRow>>("/api/market/share"))!.Single(r => r.City == city);
        Assert.Multiple(() =>
        {
            Assert.That(share.BalanceDay, Is.EqualTo(lastDay));
            Assert.That(share.BankDeposits, Is.EqualTo(500_000m));
            Assert.That(share.Share, Is.EqualTo(0.05).Within(1e-9));
        });

        // Bad rows are named by index and field, and nothing is applied.
        var bad = await client.PutAsJsonAsync("/api/market/regional-deposits", new object[]
        {
            new { city, month = "2023-04", totalDeposits = 1m },
            new { city = "", month = "2023-13", totalDeposits = -5m },
        });
        Assert.That(bad.StatusCode, Is.EqualTo(HttpStatusCode.BadRequest));
        var problem = await bad.Content.ReadFromJsonAsync<JsonElement>();
        var errors = problem.GetProperty("errors");
        Assert.Multiple(() =>
        {
            Assert.That(errors.TryGetProperty("[1].city", out _), Is.True);
            Assert.That(errors.TryGetProperty("[1].month", out _), Is.True);
            Assert.That(errors.TryGetProperty("[1].totalDeposits", out _), Is.True);
            Assert.That(errors.TryGetProperty("[0].city", out _), Is.False);
        });
        Assert.That(await db.Set<RegionalDeposits>().CountAsync(r => r.City == city), Is.EqualTo(1), "the good row of a refused request is not applied");
        var forbidden = await TestSystem.Insights.ClientFor(Tokens.BranchLead(branchA)).PutAsJsonAsync("/api/market/regional-deposits", new[] { new { city, month = "2023-03", totalDeposits = 1m } });
        Assert.That(forbidden.StatusCode, Is.EqualTo(HttpStatusCode.Forbidden));
    }
}
