using System.Net;
using System.Net.Http.Json;
using BankClientele.Contracts.Acquisition;
using BankClientele.Insights.Kpis;
using MassTransit;
using Microsoft.EntityFrameworkCore;

namespace BankClientele.Insights.Tests.Kpis;

/// <summary>A branch lead's own figures: the KPIs and the deposit uplift computed for their branch alone, another branch refused.</summary>
public sealed class BranchLeadFiguresTests
{
    private static IBus Bus => TestSystem.Insights.Get<IBus>();

    [Test]
    public async Task A_branch_lead_gets_their_branchs_kpis_only_and_a_403_for_another_branch()
    {
        var (mine, theirs) = (TestServers.UniqueBranch(), TestServers.UniqueBranch());
        var day = new DateOnly(2024, 3, 12);
        await Bus.Publish(new CampaignCostRecorded(Guid.NewGuid(), "OWN-" + mine, mine, 5_000m, "物料", day));
        await Bus.Publish(new CampaignCostRecorded(Guid.NewGuid(), "OTHER-" + theirs, theirs, 70_000m, "场地", day));
        await using (var db = TestSystem.Insights.NewDbContext())
        {
            await Poll.UntilAsync(() => db.Set<CampaignCost>().CountAsync(c => c.BranchCode == mine || c.BranchCode == theirs), n => n == 2, "both costs");
        }

        var lead = TestSystem.Insights.ClientFor(Tokens.BranchLead(mine));
        var summary = (await lead.GetFromJsonAsync<KpiSummary>($"/api/kpis?from={day:yyyy-MM-dd}&to={day:yyyy-MM-dd}"))!;
        Assert.That(summary.Campaigns.Select(c => c.CampaignCode), Is.EqualTo(new[] { "OWN-" + mine }));
        Assert.That(summary.Cost, Is.EqualTo(5_000m), "the other branch's 70,000 is not in the lead's total");
        var headOffice = (await TestSystem.Insights.ClientFor(Tokens.HeadOffice).GetFromJsonAsync<KpiSummary>($"/api/kpis?from={day:yyyy-MM-dd}&to={day:yyyy-MM-dd}"))!;
        Assert.That(headOffice.Campaigns.Select(c => c.CampaignCode), Is.SupersetOf(new[] { "OWN-" + mine, "OTHER-" + theirs }));

        foreach (var path in new[] { $"/api/kpis?branchCode={theirs}", $"/api/kpis/clv-by-segment?branchCode={theirs}", $"/api/uplift/deposits?branchCode={theirs}" })
        {
            var refused = await lead.GetAsync(path);
            Assert.That(refused.StatusCode, Is.EqualTo(HttpStatusCode.Forbidden), path);
            Assert.That(await refused.Content.ReadAsStringAsync(), Does.Contain("branchCode"), path);
        }
        Assert.That((await lead.GetAsync($"/api/kpis/clv-by-segment?branchCode={mine}")).StatusCode, Is.EqualTo(HttpStatusCode.OK), "their own branch, named");
        Assert.That((await lead.GetAsync("/api/market/share")).StatusCode, Is.EqualTo(HttpStatusCode.Forbidden), "market share stays head office's");
    }
}
