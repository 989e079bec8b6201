using System.Net.Http.Json;
using BankClientele.Contracts.Acquisition;
using BankClientele.Contracts.CustomerCare;
using BankClientele.Insights.Kpis;
using BankClientele.Insights.Store;
using MassTransit;
using Microsoft.EntityFrameworkCore;

namespace BankClientele.Portal.Tests.HeadOffice;

/// <summary>Head office's KPI and league-table pages in Chromium, over events with known figures.</summary>
public sealed class KpiPagesTests : PortalPageTest
{
    private const string Campaign = "UI-KPI-CMP";
    private const string Manager = "UI-KPI-RM";
    private const string City = "界面测试市";
    private static readonly DateOnly MonthStart = new(2026, 7, 1);
    private static readonly DateOnly MonthEnd = new(2026, 7, 31);

    [OneTimeSetUp]
    public async Task PublishAsync()
    {
        var bus = PortalSystem.Services.Insights.Get<IBus>();
        var customers = Enumerable.Range(0, 3).Select(i => Hosting.Customers.CustomerIds.FromCustomerNumber($"UI-KPI-{i}")).ToArray();
        var converted = DateTimeOffset.UtcNow.AddDays(-10);
        foreach (var c in customers)
        {
            await bus.Publish(new CustomerRegistered(c, $"UI-KPI-{Array.IndexOf(customers, c)}", PortalSystem.Branch, null, null, "Mass", converted));
            await bus.Publish(new RelationshipManagerAssigned(c, Manager, PortalSystem.Branch, converted));
        }
        // Conversions of other customers (CustomerCare gives a converted customer a manager of its own choosing).
        for (var i = 0; i < 3; i++)
        {
            await bus.Publish(new ProspectConvertedV2(Guid.NewGuid(), Hosting.Customers.CustomerIds.FromCustomerNumber($"UI-KPI-WON-{i}"),
                PortalSystem.Branch, 10_000m, Campaign, converted, $"UI-KPI-WON-{i}", null, null, null, AcquisitionCost: 1_000m));
        }
        await bus.Publish(new CampaignCostRecorded(Guid.NewGuid(), Campaign, PortalSystem.Branch, 12_000m, "media", DateOnly.FromDateTime(converted.UtcDateTime)));
        await bus.Publish(DailyBalancesRecorded.Of(PortalSystem.Branch, MonthStart, 1, 1, [.. customers.Select(c => new CustomerBalance(c, 100_000m, 0m))]));
        await bus.Publish(DailyBalancesRecorded.Of(PortalSystem.Branch, MonthEnd, 1, 1, [.. customers.Select(c => new CustomerBalance(c, 110_000m, 0m))]));
        await bus.Publish(new RevisitCompleted(Guid.NewGuid(), customers[0], PortalSystem.Branch, Manager, "scheduled", "phone", "met", MonthEnd,
            new DateTimeOffset(2026, 7, 15, 0, 0, 0, TimeSpan.Zero), true));
        await using var db = PortalSystem.Services.Insights.NewDbContext();
        await Poll.UntilAsync(() => db.Set<AcquiredCustomer>().CountAsync(a => a.CampaignCode == Campaign), n => n == 3, "the conversions");
        await Poll.UntilAsync(() => db.Set<CampaignCost>().CountAsync(a => a.CampaignCode == Campaign), n => n == 1, "the cost");
        await Poll.UntilAsync(() => db.Set<ManagerBookEntry>().CountAsync(b => b.RelationshipManagerId == Manager), n => n == 3, "the book");
        await Poll.UntilAsync(() => db.Set<RevisitCompletion>().CountAsync(b => b.RelationshipManagerId == Manager), n => n == 1, "the revisit");
        await Poll.UntilAsync(() => db.Set<DailyBalance>().CountAsync(b => customers.Contains(b.CustomerId)), n => n == 6, "the balances");
        await Poll.UntilAsync(() => db.AnalyticCustomers.CountAsync(c => customers.Contains(c.CustomerId)), n => n == 3, "the customers");

        var insights = PortalSystem.Services.Insights.ClientFor(Tokens.HeadOffice);
        (await insights.PutAsJsonAsync("/api/market/branch-cities", new[] { new { branchCode = PortalSystem.Branch, city = City } })).EnsureSuccessStatusCode();
        (await insights.PutAsJsonAsync("/api/market/regional-deposits", new[] { new { city = City, month = "2026-07", totalDeposits = 33_000_000m } })).EnsureSuccessStatusCode();
        (await insights.PostAsync("/api/segmentation/run", null)).EnsureSuccessStatusCode();
    }

    [Test]
    public async Task Head_office_reads_cac_clv_by_segment_and_market_share_and_exports_them()
    {
        await SignInAsync(PortalSystem.HeadOffice);
        await Page.GetByTestId("nav-insights/kpis").ClickAsync();

        var row = Page.GetByTestId("campaign-kpi").Filter(new() { HasText = Campaign });
        await Expect(row).ToBeVisibleAsync();
        var cells = await row.Locator("td").AllInnerTextsAsync();
        // campaign, budget, cost, budget used, conversions, CAC
        Assert.That(cells[4], Is.EqualTo("3"), "conversions");
        Assert.That(cells[5], Is.EqualTo("4,000"), "CAC = 12,000 / 3");
        await Expect(Page.GetByTestId("segment-row").First).ToBeVisibleAsync();
        await Expect(Page.GetByTestId("segment-chart")).ToBeVisibleAsync();
        var market = Page.GetByTestId("market-row").Filter(new() { HasText = City });
        await Expect(market).ToContainTextAsync("2026-07");
        // The city's bank deposits (330,000 on 31 July, and whatever else the branch holds that day) over 33,000,000.
        await Expect(market.Locator("td").Nth(4)).ToContainTextAsync("%");

        var csv = await Page.RunAndWaitForDownloadAsync(() => Page.GetByTestId("export-insights-clv-by-segment-csv").ClickAsync());
        var text = await File.ReadAllTextAsync((await csv.PathAsync())!);
        Assert.That(text.TrimStart('\uFEFF'), Does.StartWith("价值分层,生命周期,客户数"));
        var campaigns = await Page.RunAndWaitForDownloadAsync(() => Page.GetByTestId("export-insights-campaign-kpis-csv").ClickAsync());
        Assert.That(await File.ReadAllTextAsync((await campaigns.PathAsync())!), Does.Contain(Campaign));
    }

    [Test]
    public async Task Head_office_sees_the_league_table_with_its_chart_and_exports_it()
    {
        await SignInAsync(PortalSystem.HeadOffice);
        await Page.GotoAsync($"/insights/league-table?from={MonthStart:yyyy-MM-dd}&to={MonthEnd:yyyy-MM-dd}");

        var row = Page.GetByTestId("league-row").Filter(new() { HasText = Manager });
        await Expect(row).ToBeVisibleAsync();
        var cells = await row.Locator("td").AllInnerTextsAsync();
        Assert.Multiple(() =>
        {
            Assert.That(cells[3], Is.EqualTo("3"), "customers in the book");
            Assert.That(cells[4], Is.EqualTo("30,000"), "asset growth");
            Assert.That(cells[6], Is.EqualTo("1"), "revisits");
            Assert.That(cells[7], Is.EqualTo("100%"), "on time");
        });
        await Expect(Page.GetByTestId("segment-chart")).ToBeVisibleAsync();
        var csv = await Page.RunAndWaitForDownloadAsync(() => Page.GetByTestId("export-insights-league-table-csv").ClickAsync());
        Assert.That(await File.ReadAllTextAsync((await csv.PathAsync())!), Does.Contain(Manager));
    }

    [Test]
    public async Task A_branch_lead_is_offered_the_kpi_pages_of_their_own_branch_but_not_market_share()
    {
        await SignInAsync(PortalSystem.BranchLead);
        await Page.GetByTestId("nav-insights/kpis").ClickAsync();
        await Expect(Page.GetByTestId("kpi-branch")).ToHaveTextAsync(PortalSystem.Branch);
        await Expect(Page.GetByTestId("market-share")).ToHaveCountAsync(0);
        await Page.GetByTestId("nav-insights/league-table").ClickAsync();
        await Expect(Page.GetByTestId("league-branch")).ToHaveTextAsync(PortalSystem.Branch);
    }
}
