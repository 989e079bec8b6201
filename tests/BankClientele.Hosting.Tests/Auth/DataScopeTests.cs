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
}
