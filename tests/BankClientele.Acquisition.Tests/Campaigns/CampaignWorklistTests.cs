using System.Net;
using System.Net.Http.Json;
using BankClientele.Acquisition.Campaigns;
using BankClientele.Contracts.CustomerCare;
using BankClientele.Hosting.Customers;
using Microsoft.EntityFrameworkCore;

namespace BankClientele.Acquisition.Tests.Campaigns;

/// <summary>A targeted campaign's audience drawn with a chosen holdout, and the treated customers' worklists per manager.</summary>
public sealed class CampaignWorklistTests
{
    [Test]
    public async Task Worklists_hold_the_treated_customers_by_manager_and_never_a_held_out_one()
    {
        var branch = TestServers.UniqueBranch();
        var numbers = Enumerable.Range(0, 40).Select(_ => ServiceSystem.NewCustomerNumber()).ToList();
        var ids = numbers.ToDictionary(n => n, CustomerIds.FromCustomerNumber);
        var managerOf = numbers.Select((n, i) => (n, i)).ToDictionary(x => ids[x.n], x => x.i % 2 == 0 ? "RM-WL-A" : "RM-WL-B");
        var now = DateTimeOffset.UtcNow;
        foreach (var number in numbers)
        {
            await TestSystem.Services.PublishAsync(new CustomerRegistered(ids[number], number, branch, null, null, "Affluent", now));
            await TestSystem.Services.PublishAsync(new RelationshipManagerAssigned(ids[number], managerOf[ids[number]], branch, now, null, "new-customer"));
        }
        // An older assignment arriving late never moves the customer back.
        var first = ids[numbers[0]];
        await TestSystem.Services.PublishAsync(new RelationshipManagerAssigned(first, "RM-WL-B", branch, now.AddDays(-30), null, "new-customer"));
        await Poll.UntilAsync(async () =>
        {
            await using var db = TestSystem.Acquisition.NewDbContext();
            var known = await db.ExistingCustomers.CountAsync(c => c.BranchCode == branch);
            var managed = await db.CustomerManagers.CountAsync(c => c.BranchCode == branch);
            return (known, managed);
        }, x => x == (40, 40), "Acquisition to learn the customers and their managers");

        var code = $"WL-{branch}";
        using var lead = TestSystem.Acquisition.ClientFor(Tokens.BranchLead(branch));
        Assert.That((await lead.PostAsJsonAsync("/api/campaigns", new CreateCampaign(code, "理财回访", "targeted", branch, 20_000m,
            DateOnly.FromDateTime(DateTime.UtcNow), Channel: "phone", HoldoutFraction: 0.1))).StatusCode, Is.EqualTo(HttpStatusCode.Created));

        var tooMany = await lead.PostAsJsonAsync($"/api/campaigns/{code}/audience", new AssignAudience(WholeBranch: true, HoldoutFraction: 0.9));
        Assert.That(tooMany.StatusCode, Is.EqualTo(HttpStatusCode.BadRequest));
        Assert.That(await tooMany.Content.ReadAsStringAsync(), Does.Contain("HoldoutFraction"));

        var drawn = await lead.PostAsJsonAsync($"/api/campaigns/{code}/audience", new AssignAudience(WholeBranch: true, HoldoutFraction: 0.3));
        Assert.That(drawn.StatusCode, Is.EqualTo(HttpStatusCode.OK), await drawn.Content.ReadAsStringAsync());
        var assigned = (await drawn.Content.ReadFromJsonAsync<AudienceAssigned>())!;
        var control = ids.Values.Where(id => CampaignHoldout.IsControl(code, id, 0.3)).ToHashSet();
        Assert.That(control, Is.Not.Empty, "a 30 % holdout of 40 holds someone out");
        Assert.That((assigned.Treated, assigned.Control), Is.EqualTo((40 - control.Count, control.Count)), "drawn with the chosen 30 %, not the planned 10 %");
        var detail = (await lead.GetFromJsonAsync<CampaignDetail>($"/api/campaigns/{code}"))!;
        Assert.That(detail.Campaign.HoldoutFraction, Is.EqualTo(0.3), "the campaign keeps the fraction its audience was drawn with");

        var lists = (await lead.GetFromJsonAsync<List<Worklist>>($"/api/campaigns/{code}/worklists"))!;
        var listed = lists.SelectMany(l => l.Customers.Select(c => (l.RelationshipManagerId, c.CustomerId))).ToList();
        Assert.Multiple(() =>
        {
            Assert.That(listed.Select(x => x.CustomerId), Is.EquivalentTo(ids.Values.Where(id => !control.Contains(id))), "every treated customer, once");
            Assert.That(listed.Select(x => x.CustomerId).Intersect(control), Is.Empty, "no held-out customer on any worklist");
            Assert.That(listed, Is.All.Matches<(string? Manager, Guid Customer)>(x => x.Manager == managerOf[x.Customer]), "each on their current manager's list");
        });

        // A manager sees their own list only; another branch's lead sees no campaign at all.
        using var rm = TestSystem.Acquisition.ClientFor(Tokens.RelationshipManager("RM-WL-A", branch));
        var own = (await rm.GetFromJsonAsync<List<Worklist>>($"/api/campaigns/{code}/worklists"))!;
        Assert.That(own.Select(l => l.RelationshipManagerId), Is.EqualTo(new[] { "RM-WL-A" }));
        using var stranger = TestSystem.Acquisition.ClientFor(Tokens.BranchLead(TestServers.UniqueBranch()));
        Assert.That((await stranger.GetAsync($"/api/campaigns/{code}/worklists")).StatusCode, Is.EqualTo(HttpStatusCode.NotFound));
    }

    [Test]
    public async Task A_lead_sees_only_their_branchs_customers_on_a_campaign_whose_audience_spans_branches()
    {
        // Head office runs the campaign from branch A, with an audience of A's and B's customers.
        var (a, b) = (TestServers.UniqueBranch(), TestServers.UniqueBranch());
        var numbers = Enumerable.Range(0, 12).Select(i => (Branch: i % 2 == 0 ? a : b, Number: ServiceSystem.NewCustomerNumber())).ToList();
        var now = DateTimeOffset.UtcNow;
        foreach (var (branch, number) in numbers)
        {
            await TestSystem.Services.PublishAsync(new CustomerRegistered(CustomerIds.FromCustomerNumber(number), number, branch, null, null, "Affluent", now));
        }
        await Poll.UntilAsync(async () =>
        {
            await using var db = TestSystem.Acquisition.NewDbContext();
            return await db.ExistingCustomers.CountAsync(c => c.BranchCode == a || c.BranchCode == b);
        }, n => n == 12, "Acquisition to learn the customers of both branches");

        var code = $"WX-{a}";
        using var office = TestSystem.Acquisition.ClientFor(Tokens.HeadOffice);
        Assert.That((await office.PostAsJsonAsync("/api/campaigns", new CreateCampaign(code, "跨网点回访", "targeted", a, 10_000m,
            DateOnly.FromDateTime(DateTime.UtcNow), Channel: "phone", HoldoutFraction: 0.0))).StatusCode, Is.EqualTo(HttpStatusCode.Created));
        var drawn = await office.PostAsJsonAsync($"/api/campaigns/{code}/audience", new AssignAudience(numbers.Select(n => n.Number).ToList(), HoldoutFraction: 0.0));
        Assert.That(drawn.StatusCode, Is.EqualTo(HttpStatusCode.OK), await drawn.Content.ReadAsStringAsync());

        static async Task<List<string>> ListedAsync(HttpClient client, string code) =>
            (await client.GetFromJsonAsync<List<Worklist>>($"/api/campaigns/{code}/worklists"))!.SelectMany(l => l.Customers).Select(c => c.CustomerNumber).ToList();
        using var leadOfA = TestSystem.Acquisition.ClientFor(Tokens.BranchLead(a));
        var (officeSees, leadSees) = (await ListedAsync(office, code), await ListedAsync(leadOfA, code));
        Assert.Multiple(() =>
        {
            Assert.That(officeSees, Is.EquivalentTo(numbers.Select(n => n.Number)), "head office sees every treated customer");
            Assert.That(leadSees, Is.EquivalentTo(numbers.Where(n => n.Branch == a).Select(n => n.Number)),
                "the campaign's own branch lead sees their branch's customers only, not branch B's");
        });
    }
}
