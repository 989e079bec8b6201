using BankClientele.Contracts.Acquisition;
using BankClientele.Contracts.CustomerCare;
using BankClientele.Insights.Store;
using MassTransit;
using Microsoft.EntityFrameworkCore;

namespace BankClientele.Portal.Tests.HeadOffice;

/// <summary>The head-office campaign-effect page in Chromium, over a campaign with a known +20,000 effect.</summary>
public sealed class CampaignEffectPageTests : PortalPageTest
{
    private const string Campaign = "UI-CMP-1";

    [OneTimeSetUp]
    public async Task PublishCampaignAsync()
    {
        var bus = PortalSystem.Services.Insights.Get<IBus>();
        var start = new DateOnly(2026, 6, 1);
        var random = new Random(9);
        var customers = Enumerable.Range(0, 100).Select(i => (Id: Guid.NewGuid(), Treated: i % 5 != 0, Level: 40_000 + 1_000 * i)).ToList();
        await bus.Publish(new CampaignAudienceAssigned(Campaign, PortalSystem.Branch, start, 1, 1,
            [.. customers.Where(c => c.Treated).Select(c => c.Id)], [.. customers.Where(c => !c.Treated).Select(c => c.Id)]));
        for (var d = -14; d < 14; d++)
        {
            await bus.Publish(DailyBalancesRecorded.Of(PortalSystem.Branch, start.AddDays(d), 1, 1, [.. customers.Select(c => new CustomerBalance(c.Id,
                c.Level + (c.Treated && d >= 0 ? 20_000m : 0m) + random.Next(-500, 500), 0m))]));
        }
        await using var db = PortalSystem.Services.Insights.NewDbContext();
        await Poll.UntilAsync(() => db.Set<DailyBalance>().CountAsync(b => b.BranchCode == PortalSystem.Branch && b.Day >= start.AddDays(-14)), n => n == 2_800, "the campaign's balances");
        await Poll.UntilAsync(() => db.Set<CampaignAudienceMember>().CountAsync(a => a.CampaignCode == Campaign), n => n == 100, "the audience");
    }

    [Test]
    public async Task Head_office_sees_the_effect_with_its_interval_and_checks()
    {
        await SignInAsync(PortalSystem.HeadOffice);
        await Page.GetByTestId("nav-insights/campaign-effect").ClickAsync();
        await Page.GetByTestId("campaign").FillAsync(Campaign);
        await Page.GetByTestId("pre-days").FillAsync("14");
        await Page.GetByTestId("post-days").FillAsync("14");
        await Page.GetByTestId("show").ClickAsync();

        await Expect(Page.GetByTestId("audience")).ToContainTextAsync("80");
        var did = Page.GetByTestId("effect-did");
        await Expect(did).ToBeVisibleAsync();
        var cells = await did.Locator("td").AllInnerTextsAsync();
        var estimate = double.Parse(cells[1].Replace(",", "", StringComparison.Ordinal), System.Globalization.CultureInfo.InvariantCulture);
        Assert.That(estimate, Is.EqualTo(20_000).Within(300), "the built-in effect");
        await Expect(Page.GetByTestId("effect-cuped")).ToBeVisibleAsync();
        await Expect(Page.GetByTestId("pre-trend-verdict")).ToHaveClassAsync("hint");
        await Expect(Page.GetByTestId("mde")).ToBeVisibleAsync();
        Assert.That(Page.Url, Does.Contain("campaign=" + Campaign));

        // Split by branch: the branch's treated against the branch's own holdout, with an interval.
        await Page.GetByTestId("group-by").SelectOptionAsync("branch");
        await Page.GetByTestId("show").ClickAsync();
        var row = Page.GetByTestId($"group-effect-{PortalSystem.Branch}");
        await Expect(row).ToBeVisibleAsync();
        var groupCells = await row.Locator("td").AllInnerTextsAsync();
        Assert.That(double.Parse(groupCells[2].Replace(",", "", StringComparison.Ordinal), System.Globalization.CultureInfo.InvariantCulture),
            Is.EqualTo(20_000).Within(300));
        Assert.That(groupCells[3], Does.StartWith("["));
    }

    [Test]
    public async Task A_branch_lead_is_not_offered_the_page()
    {
        await SignInAsync(PortalSystem.BranchLead);
        await Expect(Page.GetByTestId("nav-branch")).ToBeVisibleAsync();
        await Expect(Page.GetByTestId("nav-insights/campaign-effect")).ToHaveCountAsync(0);
    }
}
