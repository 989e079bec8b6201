using System.Net.Http.Json;
using BankClientele.Acquisition.Campaigns;
using BankClientele.Acquisition.Prospects;
using Microsoft.Playwright;

namespace BankClientele.Portal.Tests.NewCustomers;

/// <summary>The acquisition pages in Chromium, over campaigns and leads arranged through Acquisition's API.</summary>
public sealed class AcquisitionPageTests : PortalPageTest
{
    private const string Code = "UI-ACQ-E";
    private const string OtherCode = "UI-ACQ-OTHER";

    [OneTimeSetUp]
    public async Task ArrangeAsync()
    {
        var services = PortalSystem.Services;
        using var lead = services.Acquisition.ClientFor(Tokens.BranchLead(PortalSystem.Branch));
        var today = DateOnly.FromDateTime(DateTime.UtcNow);
        (await lead.PostAsJsonAsync("/api/campaigns", new CreateCampaign(Code, "社区理财讲座甲", "community-event", PortalSystem.Branch, 20_000m, today.AddDays(-30),
            Place: "社区中心", Capacity: 50))).EnsureSuccessStatusCode();
        (await lead.PostAsync($"/api/campaigns/{Code}/approval", null)).EnsureSuccessStatusCode();
        (await lead.PostAsync($"/api/campaigns/{Code}/launch", null)).EnsureSuccessStatusCode();
        (await lead.PostAsJsonAsync($"/api/campaigns/{Code}/costs", new RecordCost(4_000m, "场地", today.AddDays(-20)))).EnsureSuccessStatusCode();
        var first = await services.RecordProspectAsync(Tokens.BranchLead(PortalSystem.Branch), PortalSystem.Branch, "上官婉儿");
        await services.RecordProspectAsync(Tokens.BranchLead(PortalSystem.Branch), PortalSystem.Branch, "诸葛亮", $"138{Random.Shared.Next(10_000):D4}5678"); // shown masked as 138****5678
        // Both leads are the campaign's (the helper records them under CMP-TEST): a contact names the campaign.
        foreach (var id in new[] { first })
        {
            (await lead.PostAsJsonAsync($"/api/prospects/{id}/consents", new GiveConsent("marketing", "event", "本人同意接收本行营销信息，可随时撤回。"))).EnsureSuccessStatusCode();
            (await lead.PostAsJsonAsync($"/api/prospects/{id}/contacts", new LogContact("event", "interested", Code, NextActionOn: today.AddDays(2)))).EnsureSuccessStatusCode();
        }
        await services.ConvertAsync(Tokens.BranchLead(PortalSystem.Branch), first, 20_000m);

        using var other = services.Acquisition.ClientFor(Tokens.BranchLead(PortalSystem.OtherBranch));
        (await other.PostAsJsonAsync("/api/campaigns", new CreateCampaign(OtherCode, "别行活动", "targeted", PortalSystem.OtherBranch, 1_000m, today))).EnsureSuccessStatusCode();
    }

    [Test]
    public async Task A_branch_lead_sees_the_branchs_campaigns_with_cac_and_opens_the_funnel()
    {
        await SignInAsync(PortalSystem.BranchLead);
        await Page.GotoAsync("/acquisition/campaigns");
        var row = Page.GetByTestId($"campaign-{Code}");
        await Expect(row).ToContainTextAsync("社区理财讲座甲");
        await Expect(Page.GetByTestId($"cac-{Code}")).ToHaveTextAsync("4,000");
        await Expect(Page.GetByTestId($"campaign-{OtherCode}")).ToHaveCountAsync(0);

        await row.GetByRole(AriaRole.Link).ClickAsync();
        await Expect(Page.GetByTestId("campaign-name")).ToHaveTextAsync("社区理财讲座甲");
        await Expect(Page.GetByTestId("campaign-status")).ToHaveAttributeAsync("data-status", "Running");
        await Expect(Page.GetByTestId("leads")).ToHaveTextAsync("1");
        await Expect(Page.GetByTestId("opened")).ToHaveTextAsync("1");
        await Expect(Page.GetByTestId("cost")).ToHaveTextAsync("4,000");
        await Expect(Page.GetByTestId("funnel")).ToContainTextAsync("100.0%");
        await Expect(Page.GetByTestId("funnel-chart")).ToBeVisibleAsync();
    }

    [Test]
    public async Task Head_office_sees_every_branchs_campaigns_and_leads_are_masked_with_their_next_action()
    {
        await SignInAsync(PortalSystem.HeadOffice);
        await Page.GotoAsync("/acquisition/campaigns");
        await Expect(Page.GetByTestId($"campaign-{OtherCode}")).ToBeVisibleAsync();
        await Expect(Page.GetByTestId($"campaign-{Code}")).ToBeVisibleAsync();

        await Page.GotoAsync("/acquisition/leads");
        var leads = Page.GetByTestId("leads");
        await Expect(leads).ToContainTextAsync("诸*");
        await Expect(leads).Not.ToContainTextAsync("诸葛亮");
        await Expect(leads).ToContainTextAsync("138****5678");
        await Expect(leads.Locator("tr", new() { HasText = "诸*" })).ToContainTextAsync("征得授权");
    }
}
