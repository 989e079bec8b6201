using System.Net;
using System.Net.Http.Json;
using BankClientele.Acquisition.Campaigns;
using BankClientele.Acquisition.Prospects;
using BankClientele.Acquisition.Segments;
using BankClientele.Contracts.CustomerCare;
using BankClientele.Contracts.Insights;
using BankClientele.Hosting.Customers;
using BankClientele.Hosting.Privacy;
using Microsoft.AspNetCore.Mvc;

namespace BankClientele.Acquisition.Tests.Segments;

/// <summary>
/// Segments on the four dimensions with Insights' CLV over the real broker, figures and costs per
/// channel, and the lifecycle's submission and closure, against the real servers.
/// </summary>
public sealed class SegmentsAndChannelsTests
{
    private const string Wording = "本人同意银行通过电话、短信向本人推送金融产品营销信息，可随时撤回。";

    private static string Phone() => $"137{Random.Shared.Next(10_000_000, 99_999_999)}";

    private static async Task WaitConsumedAsync(Guid messageId, string consumer) =>
        await Poll.UntilAsync(() => TestDatabases.ScalarAsync<long>(TestSystem.Acquisition.Database,
                $"SELECT count(*) FROM inbox_messages WHERE message_id = '{messageId}' AND consumer = '{consumer}'"),
            n => n == 1, $"{consumer} to consume message {messageId}");

    private static async Task<T?> PostAsync<T>(HttpClient client, string path, object? body)
    {
        using var response = body is null ? await client.PostAsync(path, null) : await client.PostAsJsonAsync(path, body);
        Assert.That(response.IsSuccessStatusCode, Is.True, await response.Content.ReadAsStringAsync());
        return await response.Content.ReadFromJsonAsync<T>();
    }

    private static async Task<Guid> RecordAsync(HttpClient client, string branch, string community, string tags, bool consent,
        string channel = "staff", string? campaign = null)
    {
        var response = await client.PostAsJsonAsync("/api/prospects", new RecordProspect("钱七", Phone(), branch, campaign, Channel: channel,
            Tags: tags, ConsentWording: consent ? Wording : null, City: "上海", Community: community, IncomeBand: "20-50万"));
        Assert.That(response.StatusCode, Is.EqualTo(HttpStatusCode.Created), await response.Content.ReadAsStringAsync());
        return (await response.Content.ReadFromJsonAsync<ProspectCreated>())!.Id;
    }

    [Test]
    public async Task Segments_are_generated_and_defined_on_the_four_dimensions_and_valued_by_the_clv_of_similar_customers()
    {
        var branch = TestServers.UniqueBranch();
        var staff = Tokens.BranchLead(branch);
        using var lead = TestSystem.Acquisition.ClientFor(staff);
        var converted = await RecordAsync(lead, branch, "联洋社区", "理财,亲子", consent: true);
        await RecordAsync(lead, branch, "联洋社区", "理财", consent: true);
        await RecordAsync(lead, branch, "联洋社区", "亲子", consent: false);
        await RecordAsync(lead, branch, "花木社区", "养老", consent: false);
        var customerId = await TestSystem.Services.ConvertAsync(staff, converted, 40_000m);

        var before = await ServiceSystem.GetAsync<List<RankedSegment>>(lead, $"/api/segments/ranking?branchCode={branch}&by=community,incomeBand");
        var lianyang = before!.Single(s => s.Criteria["community"] == "联洋社区");
        Assert.Multiple(() =>
        {
            Assert.That(lianyang.Size, Is.EqualTo(2), "the converted customer is no longer a prospect");
            Assert.That(lianyang.Reachable, Is.EqualTo(1));
            Assert.That(lianyang.Criteria["incomeBand"], Is.EqualTo("20-50万"));
            Assert.That(lianyang.ProfitabilityBasis, Is.EqualTo(ProfitabilityBasis.Deposits), "no CLV yet: the converted customer's deposit");
            Assert.That(lianyang.ExpectedValue, Is.EqualTo(40_000m));
        });

        // Insights' CLV arrives over the broker: the converted customer's, and another customer of the branch.
        var other = CustomerIds.FromCustomerNumber(ServiceSystem.NewCustomerNumber());
        await WaitConsumedAsync(await TestSystem.Services.PublishAsync(new CustomerRegistered(other, "8" + Random.Shared.NextInt64(100_000_000_000, 999_999_999_999),
            branch, null, null, "Affluent", DateTimeOffset.UtcNow)), "CustomerRegisteredConsumer");
        await WaitConsumedAsync(await TestSystem.Services.PublishAsync(new CustomerSegmentChanged(customerId, branch, "545", "High", "Retain", 300_000m, 0.9,
            DateTimeOffset.UtcNow)), "CustomerSegmentChangedConsumer");
        await WaitConsumedAsync(await TestSystem.Services.PublishAsync(new CustomerSegmentChanged(other, branch, "333", "Mid", "Retain", 100_000m, 0.8,
            DateTimeOffset.UtcNow)), "CustomerSegmentChangedConsumer");
        // An older computation arriving late changes nothing.
        await WaitConsumedAsync(await TestSystem.Services.PublishAsync(new CustomerSegmentChanged(customerId, branch, "111", "Low", "Retain", 1m, 0.1,
            DateTimeOffset.UtcNow.AddDays(-3))), "CustomerSegmentChangedConsumer");

        var after = await ServiceSystem.GetAsync<List<RankedSegment>>(lead, $"/api/segments/ranking?branchCode={branch}&by=community");
        Assert.Multiple(() =>
        {
            var withClv = after!.Single(s => s.Criteria["community"] == "联洋社区");
            Assert.That(withClv.ProfitabilityBasis, Is.EqualTo(ProfitabilityBasis.Clv));
            Assert.That(withClv.SimilarCustomers, Is.EqualTo(1));
            // One similar customer at 300k against the branch's mean of 200k weighing as five.
            Assert.That(withClv.ExpectedValue, Is.EqualTo(216_666.67m));
            var huamu = after!.Single(s => s.Criteria["community"] == "花木社区");
            Assert.That(huamu.ExpectedValue, Is.EqualTo(200_000m), "no similar customer: the branch's CLV");
            Assert.That(withClv.Profitability, Is.EqualTo(100.0));
            Assert.That(huamu.Reachability, Is.EqualTo(0.0));
        });

        var byTag = await ServiceSystem.GetAsync<List<RankedSegment>>(lead, $"/api/segments/ranking?branchCode={branch}&by=tag,engagement&defined=false");
        Assert.Multiple(() =>
        {
            Assert.That(byTag!.Select(s => s.Criteria["tag"]).Distinct(), Is.EquivalentTo(new[] { "理财", "亲子", "养老" }));
            Assert.That(byTag!.Single(s => s.Criteria["tag"] == "理财").Size, Is.EqualTo(1));
            Assert.That(byTag!.All(s => s.Criteria["engagement"] == "cold"), Is.True);
        });

        // A segment staff define by criteria is ranked beside the generated ones.
        var defined = await lead.PostAsJsonAsync("/api/segments", new DefineSegment(branch, "联洋亲子家庭", new SegmentCriteria(Community: "联洋社区", Tag: "亲子")));
        Assert.That(defined.StatusCode, Is.EqualTo(HttpStatusCode.Created), await defined.Content.ReadAsStringAsync());
        var ranked = await ServiceSystem.GetAsync<List<RankedSegment>>(lead, $"/api/segments/ranking?branchCode={branch}&by=city&touches=1");
        var family = ranked!.Single(s => s.DefinedName == "联洋亲子家庭");
        Assert.Multiple(() =>
        {
            Assert.That(family.Size, Is.EqualTo(1));
            Assert.That(family.Criteria, Is.EquivalentTo(new Dictionary<string, string> { ["community"] = "联洋社区", ["tag"] = "亲子" }));
            Assert.That(ranked!.Single(s => s.DefinedName is null).Size, Is.EqualTo(3), "the city's three open prospects, each touched once");
        });
    }

    [Test]
    public async Task Bad_segment_input_is_named_and_another_branch_is_out_of_scope()
    {
        var branch = TestServers.UniqueBranch();
        using var lead = TestSystem.Acquisition.ClientFor(Tokens.BranchLead(branch));
        async Task<IDictionary<string, string[]>> ErrorsAsync(HttpResponseMessage response)
        {
            Assert.That(response.StatusCode, Is.EqualTo(HttpStatusCode.BadRequest), await response.Content.ReadAsStringAsync());
            return (await response.Content.ReadFromJsonAsync<ValidationProblemDetails>())!.Errors;
        }
        Assert.That((await ErrorsAsync(await lead.GetAsync($"/api/segments/ranking?branchCode={branch}&by=height"))).Keys, Has.Member("by"));
        Assert.That((await ErrorsAsync(await lead.GetAsync($"/api/segments/ranking?branchCode={branch}&engagement=lukewarm"))).Keys, Has.Member("engagement"));
        Assert.That((await ErrorsAsync(await lead.PostAsJsonAsync("/api/segments", new DefineSegment(branch, "空", new SegmentCriteria())))).Keys,
            Has.Member("criteria"));
        Assert.That((await ErrorsAsync(await lead.PostAsJsonAsync("/api/segments", new DefineSegment(branch, "坏", new SegmentCriteria(Touches: "9"))))).Keys,
            Has.Member("criteria.touches"));

        using var stranger = TestSystem.Acquisition.ClientFor(Tokens.BranchLead(TestServers.UniqueBranch()));
        Assert.That((await stranger.GetAsync($"/api/segments/ranking?branchCode={branch}")).StatusCode, Is.EqualTo(HttpStatusCode.Forbidden));
        Assert.That((await stranger.PostAsJsonAsync("/api/segments", new DefineSegment(branch, "越权", new SegmentCriteria(City: "上海")))).StatusCode,
            Is.EqualTo(HttpStatusCode.Forbidden));
    }

    [Test]
    public async Task Channels_have_their_leads_stages_costs_and_cac_and_a_campaign_goes_from_submission_to_closure()
    {
        var branch = TestServers.UniqueBranch();
        var staff = Tokens.BranchLead(branch);
        var code = $"EVT-{branch}";
        using var rm = TestSystem.Acquisition.ClientFor(Tokens.RelationshipManager($"{branch}-RM1", branch));
        using var lead = TestSystem.Acquisition.ClientFor(staff);
        var today = DateOnly.FromDateTime(DateTime.UtcNow);
        Assert.That((await rm.PostAsJsonAsync("/api/campaigns", new CreateCampaign(code, "社区理财沙龙", CampaignKinds.CommunityEvent, branch, 10_000m, today,
            Place: "联洋社区活动中心", Capacity: 60, ExpectedAttendance: 40))).StatusCode, Is.EqualTo(HttpStatusCode.Created));

        // Drafted by a manager, submitted once, approved by the lead.
        var submitted = await PostAsync<CampaignView>(rm, $"/api/campaigns/{code}/submission", null);
        Assert.That(submitted!.SubmittedBy, Is.EqualTo($"{branch}-RM1"));
        Assert.That((await rm.PostAsync($"/api/campaigns/{code}/submission", null)).StatusCode, Is.EqualTo(HttpStatusCode.Conflict));
        Assert.That((await lead.PostAsync($"/api/campaigns/{code}/approval", null)).StatusCode, Is.EqualTo(HttpStatusCode.OK));
        Assert.That((await lead.PostAsJsonAsync($"/api/campaigns/{code}/closure", new CloseCampaign())).StatusCode, Is.EqualTo(HttpStatusCode.Conflict),
            "only a running campaign closes");
        Assert.That((await lead.PostAsync($"/api/campaigns/{code}/launch", null)).StatusCode, Is.EqualTo(HttpStatusCode.OK));

        // Costs go to the event's channel unless named; a bad channel is refused by name.
        Assert.That((await lead.PostAsJsonAsync($"/api/campaigns/{code}/costs", new RecordCost(6_000m, "venue", today))).StatusCode, Is.EqualTo(HttpStatusCode.Created));
        Assert.That((await lead.PostAsJsonAsync($"/api/campaigns/{code}/costs", new RecordCost(1_500m, "flyers", today, Channel: "online"))).StatusCode,
            Is.EqualTo(HttpStatusCode.Created));
        var badChannel = await lead.PostAsJsonAsync($"/api/campaigns/{code}/costs", new RecordCost(100m, "misc", today, Channel: "billboard"));
        Assert.That(badChannel.StatusCode, Is.EqualTo(HttpStatusCode.BadRequest));
        Assert.That((await badChannel.Content.ReadFromJsonAsync<ValidationProblemDetails>())!.Errors.Keys, Has.Some.EqualTo("Channel").IgnoreCase);

        var first = await RecordAsync(lead, branch, "联洋社区", "理财", consent: true, channel: "community-event", campaign: code);
        var second = await RecordAsync(lead, branch, "联洋社区", "理财", consent: true, channel: "community-event", campaign: code);
        await RecordAsync(lead, branch, "花木社区", "养老", consent: false, channel: "online");
        Assert.That((await lead.PostAsJsonAsync($"/api/prospects/{second}/contacts", new LogContact("phone", "interested", code))).StatusCode,
            Is.EqualTo(HttpStatusCode.OK));
        await TestSystem.Services.ConvertAsync(staff, first, 20_000m);

        var channels = await ServiceSystem.GetAsync<List<ChannelFigures>>(lead, "/api/channel-figures");
        var events = channels!.Single(c => c.Channel == "community-event");
        var online = channels!.Single(c => c.Channel == "online");
        Assert.Multiple(() =>
        {
            Assert.That(events.Leads, Is.EqualTo(2));
            Assert.That(events.Contacted, Is.EqualTo(2), "a conversion passes through every stage before it");
            Assert.That(events.Interested, Is.EqualTo(2));
            Assert.That(events.AccountsOpened, Is.EqualTo(1));
            Assert.That(events.Cost, Is.EqualTo(6_000m));
            Assert.That(events.Cac, Is.EqualTo(6_000m));
            Assert.That(events.ConversionRate, Is.EqualTo(0.5));
            Assert.That(events.AverageDaysToConvert, Is.Not.Null);
            Assert.That(online.Leads, Is.EqualTo(1));
            Assert.That(online.Cost, Is.EqualTo(1_500m));
            Assert.That(online.Cac, Is.Null);
        });

        // The pre-aggregated counts agree with the leads themselves.
        var detail = await ServiceSystem.GetAsync<CampaignDetail>(lead, $"/api/campaigns/{code}");
        Assert.Multiple(async () =>
        {
            Assert.That(detail!.Figures.Leads, Is.EqualTo(await TestDatabases.ScalarAsync<long>(TestSystem.Acquisition.Database,
                $"SELECT count(*) FROM prospects WHERE campaign_code = '{code}'")));
            Assert.That(detail.Figures.Interested, Is.EqualTo(2));
            Assert.That(detail.Figures.AccountsOpened, Is.EqualTo(1));
            Assert.That(detail.Costs.Select(c => c.Channel), Is.EquivalentTo(new[] { "community-event", "online" }));
        });

        var closed = await PostAsync<CampaignView>(lead, $"/api/campaigns/{code}/closure", new CloseCampaign(ActualAttendance: 37));
        Assert.Multiple(() =>
        {
            Assert.That(closed!.Status, Is.EqualTo("Closed"));
            Assert.That(closed.ActualAttendance, Is.EqualTo(37));
            Assert.That(closed.ClosedAt, Is.Not.Null);
        });

        using var stranger = TestSystem.Acquisition.ClientFor(Tokens.BranchLead(TestServers.UniqueBranch()));
        var theirs = await ServiceSystem.GetAsync<List<ChannelFigures>>(stranger, "/api/channel-figures");
        Assert.That(theirs!.Where(c => c.Channel == "community-event").Sum(c => c.Cost), Is.Zero, "another branch's lead sees none of these costs");
    }
}
