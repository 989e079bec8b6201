using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using BankClientele.Acquisition.Campaigns;
using BankClientele.Acquisition.Import;
using BankClientele.Hosting.Auth;
using BankClientele.Hosting.Time;
using Microsoft.EntityFrameworkCore;

namespace BankClientele.Acquisition.Tests.Prospects;

/// <summary>
/// A prospect list's rows may credit a campaign only of a branch the importer's scope covers: a branch
/// lead's row naming another branch's campaign is a bad row (by line, field <c>campaign_code</c>, nothing
/// applied); a region head and head office may credit any campaign of their branches; a code no campaign
/// has stays a free tag.
/// </summary>
public sealed class ProspectImportScopeTests
{
    private static string Phone() => $"139{Random.Shared.Next(10_000_000, 99_999_999)}";

    private static async Task CreateCampaignAsync(string code, string branch)
    {
        using var client = TestSystem.Acquisition.ClientFor(Tokens.BranchLead(branch));
        var created = await client.PostAsJsonAsync("/api/campaigns",
            new CreateCampaign(code, "社区推广", CampaignKinds.Targeted, branch, 5_000m, BranchClock.DayOf(DateTimeOffset.UtcNow)));
        Assert.That(created.StatusCode, Is.EqualTo(HttpStatusCode.Created), await created.Content.ReadAsStringAsync());
    }

    private static async Task<int> ProspectsOfAsync(params string[] branches)
    {
        await using var db = TestSystem.Acquisition.NewDbContext();
        return await db.Prospects.CountAsync(p => branches.Contains(p.BranchCode));
    }

    [Test]
    public async Task A_row_crediting_a_campaign_outside_the_importers_scope_is_a_bad_row_and_nothing_is_applied()
    {
        var (branchA, branchB) = (TestServers.UniqueBranch(), TestServers.UniqueBranch());
        var (campaignA, campaignB) = ($"IA-{branchA}", $"IB-{branchB}");
        await CreateCampaignAsync(campaignA, branchA);
        await CreateCampaignAsync(campaignB, branchB);

        // B's lead: their own campaign, a free tag, then A's campaign on line 4 (and again on line 6, under a dry run too).
        var csv = $"""
            full_name,phone,branch_code,campaign_code
            本行活动,{Phone()},{branchB},{campaignB}
            自由标签,{Phone()},{branchB},FLYER-{branchB}
            借用活动,{Phone()},{branchB},{campaignA}
            没有活动,{Phone()},{branchB},
            再次借用,{Phone()},{branchB},{campaignA}
            """;
        foreach (var dryRun in new[] { true, false })
        {
            using var refused = await TestSystem.Services.ImportProspectsAsync(Tokens.BranchLead(branchB), csv, dryRun);
            Assert.That(refused.StatusCode, Is.EqualTo(HttpStatusCode.BadRequest), await refused.Content.ReadAsStringAsync());
            var body = await refused.Content.ReadFromJsonAsync<JsonElement>();
            var errors = body.GetProperty("errors").EnumerateArray().Select(e => (e.GetProperty("line").GetInt32(), e.GetProperty("field").GetString())).ToList();
            Assert.That(errors, Is.EqualTo(new[] { (4, "campaign_code"), (6, "campaign_code") }), $"dry run {dryRun}");
            Assert.That(body.GetProperty("errors")[0].GetProperty("message").GetString(), Does.Contain(campaignA));
        }
        Assert.That(await ProspectsOfAsync(branchB), Is.Zero, "nothing applied");

        // Without the borrowed campaign the same file is B's own: campaign and free tag kept.
        var own = string.Join('\n', csv.Split('\n').Where(l => !l.Contains(campaignA, StringComparison.Ordinal)));
        using (var applied = await TestSystem.Services.ImportProspectsAsync(Tokens.BranchLead(branchB), own))
        {
            Assert.That(applied.StatusCode, Is.EqualTo(HttpStatusCode.OK), await applied.Content.ReadAsStringAsync());
        }
        await using (var db = TestSystem.Acquisition.NewDbContext())
        {
            var codes = await db.Prospects.Where(p => p.BranchCode == branchB).Select(p => p.CampaignCode).ToListAsync();
            Assert.That(codes, Is.EquivalentTo(new[] { campaignB, $"FLYER-{branchB}", null }));
        }

        // A region head over both branches, and head office, may credit A's campaign to a prospect of B.
        var regional = $"full_name,phone,branch_code,campaign_code\n区域推广,{Phone()},{branchB},{campaignA}\n";
        using (var region = await TestSystem.Services.ImportProspectsAsync(Tokens.RegionHead(branchA, branchB), regional))
        {
            Assert.That(region.StatusCode, Is.EqualTo(HttpStatusCode.OK), await region.Content.ReadAsStringAsync());
        }
        using (var otherRegion = await TestSystem.Services.ImportProspectsAsync(Tokens.RegionHead(branchB, TestServers.UniqueBranch()),
            $"full_name,phone,branch_code,campaign_code\n外区推广,{Phone()},{branchB},{campaignA}\n"))
        {
            Assert.That(otherRegion.StatusCode, Is.EqualTo(HttpStatusCode.BadRequest), "a region head whose region holds B but not A");
            Assert.That(await otherRegion.Content.ReadAsStringAsync(), Does.Contain("campaign_code"));
        }
        using (var headOffice = await TestSystem.Services.ImportProspectsAsync(Tokens.HeadOffice,
            $"full_name,phone,branch_code,campaign_code\n总行推广,{Phone()},{branchA},{campaignB}\n"))
        {
            Assert.That(headOffice.StatusCode, Is.EqualTo(HttpStatusCode.OK), await headOffice.Content.ReadAsStringAsync());
        }
        Assert.That(await ProspectsOfAsync(branchA, branchB), Is.EqualTo(5));
    }
}
