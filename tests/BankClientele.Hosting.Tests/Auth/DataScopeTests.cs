using System.Net;
using System.Net.Http.Json;
using BankClientele.Acquisition.Prospects;
using BankClientele.CustomerCare.Book;
using BankClientele.FootTraffic.Visits;
using BankClientele.Insights.BranchStats;

namespace BankClientele.Hosting.Tests.Auth;

public sealed class DataScopeTests
{
    [Test]
    public async Task A_relationship_manager_cannot_read_another_managers_customer()
    {
        var branch = TestServers.UniqueBranch();
        await TestSystem.Services.AddRelationshipManagerAsync($"{branch}-A", branch, capacity: 1);
        await TestSystem.Services.AddRelationshipManagerAsync($"{branch}-B", branch, capacity: 9);
        var customerId = await TestSystem.Services.NewCustomerAsync(branch);

        using var owner = TestSystem.CustomerCare.ClientFor(Tokens.RelationshipManager($"{branch}-B", branch));
        var seen = await Poll.UntilAsync(() => ServiceSystem.GetAsync<CustomerView>(owner, $"/api/customers/{customerId}"), c => c is not null,
            "the assigned manager to see the customer");
        Assert.That(seen!.RelationshipManagerId, Is.EqualTo($"{branch}-B"));

        using var other = TestSystem.CustomerCare.ClientFor(Tokens.RelationshipManager($"{branch}-A", branch));
        Assert.That((await other.GetAsync($"/api/customers/{customerId}")).StatusCode, Is.EqualTo(HttpStatusCode.NotFound));
        var list = await ServiceSystem.GetAsync<List<CustomerView>>(other, "/api/customers");
        Assert.That(list!.Select(c => c.Id), Does.Not.Contain(customerId));
    }

    [Test]
    public async Task A_branch_lead_cannot_read_or_write_another_branch()
    {
        var mine = TestServers.UniqueBranch("M");
        var theirs = TestServers.UniqueBranch("X");
        await TestSystem.Services.AddRelationshipManagerAsync($"{theirs}-RM", theirs);
        var customerId = await TestSystem.Services.NewCustomerAsync(theirs);
        using (var traffic = TestSystem.FootTraffic.ClientFor(Tokens.BranchLead(theirs)))
        {
            (await traffic.PostAsJsonAsync("/api/visits", new RecordVisit(theirs, customerId, "C001", "开户", null))).EnsureSuccessStatusCode();
        }
        using (var headOffice = TestSystem.CustomerCare.ClientFor(Tokens.HeadOffice))
        {
            await Poll.UntilAsync(() => ServiceSystem.GetAsync<CustomerView>(headOffice, $"/api/customers/{customerId}"), c => c is not null, "the customer to reach the book");
        }

        var lead = Tokens.BranchLead(mine);
        using var care = TestSystem.CustomerCare.ClientFor(lead);
        Assert.That((await care.GetAsync($"/api/customers/{customerId}")).StatusCode, Is.EqualTo(HttpStatusCode.NotFound));
        using var foot = TestSystem.FootTraffic.ClientFor(lead);
        Assert.That(await ServiceSystem.GetAsync<List<VisitView>>(foot, $"/api/visits?branchCode={theirs}"), Is.Empty);
        using var insights = TestSystem.Insights.ClientFor(lead);
        Assert.That((await ServiceSystem.GetAsync<List<BranchStatisticsView>>(insights, "/api/branch-stats"))!.Select(s => s.BranchCode), Does.Not.Contain(theirs));

        using var acquisition = TestSystem.Acquisition.ClientFor(lead);
        var refused = await acquisition.PostAsJsonAsync("/api/prospects", new RecordProspect("赵七", "13700000000", theirs, null));
        Assert.That(refused.StatusCode, Is.EqualTo(HttpStatusCode.Forbidden));
    }

    [Test]
    public async Task A_region_head_sees_the_branches_of_their_region_and_no_other()
    {
        var (east1, east2, north) = (TestServers.UniqueBranch("E"), TestServers.UniqueBranch("E"), TestServers.UniqueBranch("N"));
        var customers = new Dictionary<string, Guid>();
        foreach (var branch in new[] { east1, east2, north })
        {
            await TestSystem.Services.AddRelationshipManagerAsync($"{branch}-RM", branch);
            customers[branch] = await TestSystem.Services.NewCustomerAsync(branch);
            using var traffic = TestSystem.FootTraffic.ClientFor(Tokens.BranchLead(branch));
            (await traffic.PostAsJsonAsync("/api/visits", new RecordVisit(branch, customers[branch], "A001", "开户", null))).EnsureSuccessStatusCode();
        }
        var regionHead = Tokens.RegionHead(east1, east2);

        // CustomerCare: the region's customers, not the other region's (404, as for a branch lead).
        using var care = TestSystem.CustomerCare.ClientFor(regionHead);
        foreach (var branch in new[] { east1, east2 })
        {
            await Poll.UntilAsync(() => ServiceSystem.GetAsync<CustomerView>(care, $"/api/customers/{customers[branch]}"), c => c is not null, $"the customer of {branch}");
        }
        using (var headOffice = TestSystem.CustomerCare.ClientFor(Tokens.HeadOffice))
        {
            await Poll.UntilAsync(() => ServiceSystem.GetAsync<CustomerView>(headOffice, $"/api/customers/{customers[north]}"), c => c is not null, "the other region's customer");
        }
        Assert.That((await care.GetAsync($"/api/customers/{customers[north]}")).StatusCode, Is.EqualTo(HttpStatusCode.NotFound));

        // FootTraffic: visits of both region branches; another branch asked is refused naming branchCode.
        using var foot = TestSystem.FootTraffic.ClientFor(regionHead);
        Assert.That((await ServiceSystem.GetAsync<List<VisitView>>(foot, $"/api/visits?branchCode={east2}"))!.Select(v => v.BranchCode), Is.EqualTo(new[] { east2 }));
        Assert.That(await ServiceSystem.GetAsync<List<VisitView>>(foot, $"/api/visits?branchCode={north}"), Is.Empty);

        // Insights: the region's branch figures only; KPIs of a branch outside the region: 403 naming branchCode.
        using var insights = TestSystem.Insights.ClientFor(regionHead);
        var stats = await Poll.UntilAsync(() => ServiceSystem.GetAsync<List<BranchStatisticsView>>(insights, "/api/branch-stats"),
            s => s!.Select(x => x.BranchCode).Intersect([east1, east2]).Count() == 2, "both region branches' figures");
        Assert.That(stats!.Select(s => s.BranchCode), Is.SubsetOf(new[] { east1, east2 }));
        Assert.That((await insights.GetAsync($"/api/kpis?branchCode={east1}")).StatusCode, Is.EqualTo(HttpStatusCode.OK));
        var refused = await insights.GetAsync($"/api/kpis?branchCode={north}");
        Assert.That(refused.StatusCode, Is.EqualTo(HttpStatusCode.Forbidden));
        Assert.That(await refused.Content.ReadAsStringAsync(), Does.Contain("branchCode"));

        // Acquisition: may not record a prospect for a branch outside the region.
        using var acquisition = TestSystem.Acquisition.ClientFor(regionHead);
        Assert.That((await acquisition.PostAsJsonAsync("/api/prospects", new RecordProspect("赵七", "13700000001", north, null))).StatusCode, Is.EqualTo(HttpStatusCode.Forbidden));

        // A region head whose token names no branch sees nothing.
        using var empty = TestSystem.Insights.ClientFor(new Hosting.Auth.StaffIdentity("RH-NONE", "nobody", Hosting.Auth.StaffRoles.RegionHead, null));
        Assert.That(await ServiceSystem.GetAsync<List<BranchStatisticsView>>(empty, "/api/branch-stats"), Is.Empty);
    }
}
