using System.Globalization;
using System.Net.Http.Json;
using BankClientele.Acquisition.Campaigns;
using BankClientele.Acquisition.Prospects;
using BankClientele.Acquisition.Segments;
using BankClientele.Contracts.CustomerCare;
using BankClientele.Insights.Uplift;
using MassTransit;
using Microsoft.Playwright;

namespace BankClientele.Portal.Tests.NewCustomers;

/// <summary>The campaign-creation wizard and the lifecycle buttons in Chromium, against the real Acquisition service.</summary>
public sealed class CampaignWizardPageTests : PortalPageTest
{
    private const string Code = "UI-WIZ-TARGETED";

    [OneTimeSetUp]
    public async Task ArrangeAsync()
    {
        using var lead = PortalSystem.Services.Acquisition.ClientFor(Tokens.BranchLead(PortalSystem.Branch));
        foreach (var (name, district, consent) in new[] { ("上官飞燕", "浦东新区", true), ("司马懿", "浦东新区", true), ("东方不败", "徐汇区", false) })
        {
            var phone = $"136{Random.Shared.Next(10_000):D4}5678";
            (await lead.PostAsJsonAsync("/api/prospects", new RecordProspect(name, phone, PortalSystem.Branch, null, District: district, AgeBand: "30-39",
                ConsentWording: consent ? "本人同意接收本行营销信息，可随时撤回。" : null))).EnsureSuccessStatusCode();
        }
    }

    [Test]
    public async Task A_branch_lead_creates_a_targeted_campaign_from_a_ranked_segment_submits_approves_launches_and_closes_it()
    {
        await SignInAsync(PortalSystem.BranchLead);
        await Page.GotoAsync("/acquisition/campaigns");
        await Expect(Page.GetByTestId("channels")).ToBeVisibleAsync();
        await Page.GetByTestId("new-campaign").ClickAsync();

        await Expect(Page.GetByTestId("step-kind")).ToBeVisibleAsync();
        await Page.GetByTestId("kind-targeted").CheckAsync();
        await Page.GetByTestId("code").FillAsync(Code);
        await Page.GetByTestId("name").FillAsync("浦东精准外呼甲");
        await Expect(Page.GetByTestId("branch")).ToHaveValueAsync(PortalSystem.Branch);
        await Page.GetByTestId("next").ClickAsync();

        await Expect(Page.GetByTestId("step-target")).ToBeVisibleAsync();
        await Expect(Page.GetByTestId("step-kind")).ToBeHiddenAsync();
        var segments = Page.GetByTestId("segments");
        await Expect(segments).ToContainTextAsync("浦东新区 · 30-39");
        // Each candidate shows its four sub-scores and the score.
        await Expect(Page.GetByTestId("segment-1").Locator("td")).ToHaveCountAsync(9);
        List<RankedSegment>? topLabel;
        using (var ranking = PortalSystem.Services.Acquisition.ClientFor(Tokens.BranchLead(PortalSystem.Branch)))
        {
            topLabel = await ranking.GetFromJsonAsync<List<RankedSegment>>($"/api/segments/ranking?branchCode={PortalSystem.Branch}");
        }
        await Page.GetByTestId("pick-1").CheckAsync();
        await Page.GetByTestId("channel").SelectOptionAsync("sms");
        await Page.GetByTestId("script").FillAsync("您好，本行为浦东新区居民推出专属理财讲座。");
        // The holdout is asked in percent: over 50 % the browser refuses it at once, and the step stays.
        var holdout = Page.GetByTestId("holdout");
        await holdout.FillAsync("60");
        await Page.GetByTestId("next").ClickAsync();
        Assert.That(await holdout.EvaluateAsync<bool>("e => e.validity.rangeOverflow"), Is.True);
        await Expect(Page.GetByTestId("step-target")).ToBeVisibleAsync();
        // A browser that does not check the range gets the wizard's own refusal, in percent, not the service's fraction.
        await holdout.EvaluateAsync("e => e.removeAttribute('max')");
        await Page.GetByTestId("next").ClickAsync();
        await Expect(Page.GetByTestId("problem")).ToContainTextAsync("50%");
        await Expect(Page.GetByTestId("step-target")).ToBeVisibleAsync();
        await Page.GetByTestId("holdout").FillAsync("10");
        await Page.GetByTestId("next").ClickAsync();

        await Expect(Page.GetByTestId("step-plan")).ToBeVisibleAsync();
        await Page.GetByTestId("budget").FillAsync("5000");
        await Page.GetByTestId("starts-on").FillAsync(DateTime.UtcNow.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture));
        await Page.GetByTestId("staff").FillAsync("UI-RM-1");
        await Page.GetByTestId("next").ClickAsync();

        await Expect(Page.GetByTestId("review")).ToContainTextAsync(Code);
        await Expect(Page.GetByTestId("review")).ToContainTextAsync(topLabel![0].Label);
        await Page.GetByTestId("submit-for-approval").CheckAsync();
        await Page.GetByTestId("create").ClickAsync();

        await Expect(Page).ToHaveURLAsync(new System.Text.RegularExpressions.Regex($"/acquisition/campaigns/{Code}"));
        await Expect(Page.GetByTestId("campaign-status")).ToHaveAttributeAsync("data-status", "Draft");
        await Expect(Page.GetByTestId("submit")).ToHaveCountAsync(0);
        await Page.GetByTestId("approve").ClickAsync();
        await Expect(Page.GetByTestId("campaign-status")).ToHaveAttributeAsync("data-status", "Approved");
        await Page.GetByTestId("launch").ClickAsync();
        await Expect(Page.GetByTestId("campaign-status")).ToHaveAttributeAsync("data-status", "Running");
        await Page.GetByTestId("close").ClickAsync();
        await Expect(Page.GetByTestId("campaign-status")).ToHaveAttributeAsync("data-status", "Closed");

        using var api = PortalSystem.Services.Acquisition.ClientFor(Tokens.BranchLead(PortalSystem.Branch));
        var detail = await api.GetFromJsonAsync<CampaignDetail>($"/api/campaigns/{Code}");
        Assert.Multiple(() =>
        {
            Assert.That(detail!.Campaign.Kind, Is.EqualTo("targeted"));
            // The campaign keeps the segment's criteria as codes and values (or a defined segment's name), not a label.
            Assert.That(detail.Campaign.Segment, Is.EqualTo(topLabel[0].DefinedName ?? string.Join("; ", topLabel[0].Criteria.Select(c => $"{c.Key}={c.Value}"))));
            Assert.That(detail.Campaign.Channel, Is.EqualTo("sms"));
            Assert.That(detail.Campaign.HoldoutFraction, Is.EqualTo(0.1));
            Assert.That(detail.Campaign.Budget, Is.EqualTo(5_000m));
            Assert.That(detail.Campaign.Staff, Is.EqualTo("UI-RM-1"));
            Assert.That(detail.Campaign.SubmittedBy, Is.EqualTo(PortalSystem.BranchLead.StaffId));
            Assert.That(detail.Campaign.ApprovedBy, Is.EqualTo(PortalSystem.BranchLead.StaffId));
        });
    }

    [Test]
    public async Task The_wizard_shows_the_design_from_the_branchs_deposits_and_warns_when_the_audience_cannot_detect_the_effect()
    {
        // A branch of 50 customers whose deposits alternate 1,000 and 3,000 yuan: σ = 1,000 · √(50/49).
        var branch = TestServers.UniqueBranch("W");
        var customers = Enumerable.Range(0, 50).Select(_ => Guid.NewGuid()).ToList();
        await PortalSystem.Services.Insights.Get<IBus>().Publish(DailyBalancesRecorded.Of(branch, new DateOnly(2026, 11, 30), 1, 1,
            [.. customers.Select((c, i) => new CustomerBalance(c, i % 2 == 0 ? 1_000m : 3_000m, 0m))]));
        using var insights = PortalSystem.Services.Insights.ClientFor(Tokens.HeadOffice);
        var expected = (await Poll.UntilAsync(async () =>
            {
                using var response = await insights.GetAsync($"/api/uplift/power?branch={branch}&effect=200&holdoutFraction=0.2&audience=50");
                return response.IsSuccessStatusCode ? await response.Content.ReadFromJsonAsync<PowerDesign>() : null;
            }, d => d is not null, "the branch's balances in the uplift store"))!;

        await SignInAsync(PortalSystem.HeadOffice);
        await Page.GotoAsync("/acquisition/campaigns/new");
        await Page.GetByTestId("kind-targeted").CheckAsync();
        await Page.GetByTestId("code").FillAsync("UI-WIZ-DESIGN");
        await Page.GetByTestId("name").FillAsync("存款加息设计检验");
        await Page.GetByTestId("branch").FillAsync(branch);
        await Page.GetByTestId("next").ClickAsync();
        // The holdout starts at 0: a design that could never be measured is called out before anything else.
        await Expect(Page.GetByTestId("design-warning")).ToContainTextAsync("对照组");

        await Page.GetByTestId("holdout").FillAsync("20");
        await Page.GetByTestId("expected-effect").FillAsync("200");
        await Page.GetByTestId("check-design").ClickAsync();
        await Expect(Page.GetByTestId("design-needed")).ToContainTextAsync(expected.Treated.ToString("N0", CultureInfo.GetCultureInfo("zh-CN")));
        await Expect(Page.GetByTestId("design-needed")).ToContainTextAsync(expected.Total.ToString("N0", CultureInfo.GetCultureInfo("zh-CN")));
        await Expect(Page.GetByTestId("design-basis")).ToContainTextAsync("1,010");
        // With no audience given, the whole branch (50 customers) is planned, far short of the need.
        await Expect(Page.GetByTestId("audience")).ToHaveValueAsync("50");
        await Expect(Page.GetByTestId("design-warning")).ToContainTextAsync(expected.Total.ToString("N0", CultureInfo.GetCultureInfo("zh-CN")));
        Assert.That(double.Parse((await Page.GetByTestId("design-planned").GetAttributeAsync("data-power"))!, CultureInfo.InvariantCulture),
            Is.EqualTo(expected.Planned!.Power).Within(1e-4));

        await Page.GetByTestId("audience").FillAsync((expected.Total + 10).ToString(CultureInfo.InvariantCulture));
        await Page.GetByTestId("check-design").ClickAsync();
        await Expect(Page.GetByTestId("design-ok")).ToBeVisibleAsync();
        await Expect(Page.GetByTestId("design-warning")).ToHaveCountAsync(0);

        await Page.GetByTestId("next").ClickAsync();
        await Page.GetByTestId("starts-on").FillAsync("2026-12-14");
        await Page.GetByTestId("next").ClickAsync();
        await Expect(Page.GetByTestId("review")).ToContainTextAsync("UI-WIZ-DESIGN");
        await Expect(Page.GetByTestId("design-ok")).ToBeVisibleAsync();
    }

    [Test]
    public async Task A_branch_lead_defines_a_segment_by_criteria_and_it_is_ranked()
    {
        await SignInAsync(PortalSystem.BranchLead);
        await Page.GotoAsync("/acquisition/segments");
        // The values Acquisition defines are picked by their words, never typed as codes.
        Assert.That(await Page.GetByTestId("criterion-engagement").Locator("option").AllInnerTextsAsync(),
            Is.EqualTo(new[] { Chinese("Acq.AnyValue"), Chinese("Acq.Engagement.cold"), Chinese("Acq.Engagement.warm"), Chinese("Acq.Engagement.hot") }));
        await Page.GetByTestId("criterion-district").FillAsync("浦东新区");
        await Page.GetByTestId("criterion-engagement").SelectOptionAsync("cold");
        await Page.GetByTestId("save-segment").ClickAsync();
        await Expect(Page.GetByTestId("problem")).ToContainTextAsync(Chinese("Field.name"));

        await Page.GetByTestId("segment-name").FillAsync("UI浦东理财");
        await Page.GetByTestId("criterion-district").FillAsync("浦东新区");
        await Page.GetByTestId("criterion-engagement").SelectOptionAsync("cold");
        await Page.GetByTestId("save-segment").ClickAsync();
        await Expect(Page.GetByTestId("saved")).ToBeVisibleAsync();
        using var api = PortalSystem.Services.Acquisition.ClientFor(Tokens.BranchLead(PortalSystem.Branch));
        var ranked = await api.GetFromJsonAsync<List<RankedSegment>>($"/api/segments/ranking?branchCode={PortalSystem.Branch}");
        var defined = ranked!.Single(s => s.DefinedName == "UI浦东理财");
        Assert.That(defined.Criteria, Is.EquivalentTo(new Dictionary<string, string> { ["district"] = "浦东新区", ["engagement"] = "cold" }));
    }

    [Test]
    public async Task The_acquisition_tables_export_as_the_user_sees_them()
    {
        await SignInAsync(PortalSystem.BranchLead);
        await Page.GotoAsync("/acquisition/leads");
        await Expect(Page.GetByTestId("export-acq-leads-csv")).ToBeVisibleAsync();
        var leads = await Page.APIRequest.GetAsync("/export/acq-leads.csv");
        Assert.That(leads.Status, Is.EqualTo(200));
        var text = await leads.TextAsync();
        Assert.Multiple(() =>
        {
            Assert.That(text, Does.Contain("上*"), "names masked as on the page");
            Assert.That(text, Does.Not.Contain("上官飞燕"));
        });
        var channels = await Page.APIRequest.GetAsync("/export/acq-channels.xlsx");
        Assert.That(channels.Status, Is.EqualTo(200));
        var segments = await (await Page.APIRequest.GetAsync($"/export/acq-segments.csv?branch={PortalSystem.Branch}")).TextAsync();
        Assert.That(segments, Does.Contain("浦东新区 · 30-39"));
        Assert.That((await Page.APIRequest.GetAsync($"/export/acq-segments.csv?branch={PortalSystem.OtherBranch}")).Status, Is.EqualTo(503),
            "another branch's segments are refused by the service");
    }

    [Test]
    public async Task A_manager_is_told_what_a_community_event_lacks_and_cannot_approve_the_draft()
    {
        await SignInAsync(PortalSystem.RelationshipManager);
        await Page.GotoAsync("/acquisition/campaigns/new");
        await Page.GetByTestId("kind-community-event").CheckAsync();
        await Page.GetByTestId("code").FillAsync("UI-WIZ-EVENT");
        await Page.GetByTestId("name").FillAsync("社区讲座乙");
        await Page.GetByTestId("next").ClickAsync();
        await Expect(Page.GetByTestId("event-fields")).ToBeVisibleAsync();
        await Page.GetByTestId("next").ClickAsync();
        await Expect(Page.GetByTestId("problem")).ToContainTextAsync("社区活动需要地点");
        await Expect(Page.GetByTestId("step-target")).ToBeVisibleAsync();

        await Page.GetByTestId("place").FillAsync("联洋社区活动中心");
        await Page.GetByTestId("capacity").FillAsync("50");
        await Page.GetByTestId("next").ClickAsync();
        await Page.GetByTestId("budget").FillAsync("-1");
        await Page.GetByTestId("starts-on").FillAsync(DateTime.UtcNow.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture));
        await Page.GetByTestId("next").ClickAsync();
        await Page.GetByTestId("create").ClickAsync();
        // The service refuses the negative budget, and the page names the field in Chinese.
        await Expect(Page.GetByTestId("problem")).ToContainTextAsync(Chinese("Field.budget"));

        await Page.GetByTestId("back").ClickAsync();
        await Page.GetByTestId("budget").FillAsync("3000");
        await Page.GetByTestId("next").ClickAsync();
        await Page.GetByTestId("create").ClickAsync();
        await Expect(Page.GetByTestId("campaign-status")).ToHaveAttributeAsync("data-status", "Draft");
        await Expect(Page.GetByTestId("approve")).ToHaveCountAsync(0);
        await Page.GetByTestId("submit").ClickAsync();
        await Expect(Page.GetByTestId("submit")).ToHaveCountAsync(0);
        await Expect(Page.GetByTestId("attendance")).ToContainTextAsync("50");
    }
}
