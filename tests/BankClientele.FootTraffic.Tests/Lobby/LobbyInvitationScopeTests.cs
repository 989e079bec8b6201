using System.Net;
using System.Net.Http.Json;
using BankClientele.FootTraffic.Lobby;
using Microsoft.EntityFrameworkCore;

namespace BankClientele.FootTraffic.Tests.Lobby;

/// <summary>
/// A lobby event invites only prospects of its own branch: Acquisition tells FootTraffic each new prospect's
/// branch (<c>ProspectsRecorded</c>, from a prospect recorded by staff and from a list import), and a plan
/// naming a prospect of another branch is refused, 403 naming <c>ProspectIds</c>, with nothing planned.
/// </summary>
public sealed class LobbyInvitationScopeTests
{
    [Test]
    public async Task An_event_of_one_branch_does_not_invite_a_prospect_of_another()
    {
        var (branchA, branchB) = (TestServers.UniqueBranch(), TestServers.UniqueBranch());
        var leadA = Tokens.BranchLead(branchA);
        var recorded = await TestSystem.Services.RecordProspectAsync(leadA, branchA, "钱七");
        using (var imported = await TestSystem.Services.ImportProspectsAsync(leadA,
            $"full_name,phone,branch_code\n赵一,{TrafficFixture.UniquePhone()},{branchA}\n孙二,{TrafficFixture.UniquePhone()},{branchA}\n"))
        {
            Assert.That(imported.StatusCode, Is.EqualTo(HttpStatusCode.OK), await imported.Content.ReadAsStringAsync());
        }
        List<Guid> prospectsA;
        await using (var acquisition = TestSystem.Acquisition.NewDbContext())
        {
            prospectsA = await acquisition.Prospects.Where(p => p.BranchCode == branchA).Select(p => p.Id).ToListAsync();
        }
        Assert.That(prospectsA, Has.Count.EqualTo(3).And.Contains(recorded));
        await Poll.UntilAsync(async () =>
        {
            await using var db = TestSystem.FootTraffic.NewDbContext();
            return await db.KnownProspects.Where(p => prospectsA.Contains(p.ProspectId)).Select(p => p.BranchCode).ToListAsync();
        }, branches => branches.Count == 3 && branches.All(b => b == branchA), "FootTraffic to learn the prospects' branch");

        // B's lead, and head office planning at B, may not invite A's prospects (the one recorded by staff, one of the list).
        var starts = DateTimeOffset.UtcNow.AddDays(5);
        foreach (var (planner, prospect) in new[] { (Tokens.BranchLead(branchB), recorded), (Tokens.HeadOffice, prospectsA.First(p => p != recorded)) })
        {
            using var traffic = TestSystem.FootTraffic.ClientFor(planner);
            var refused = await traffic.PostAsJsonAsync("/api/lobby-events",
                new PlanLobbyEvent(branchB, "挖角沙龙", starts, starts.AddHours(1), 10, 0m, null, null, null, [prospect]));
            var body = await refused.Content.ReadAsStringAsync();
            Assert.That(refused.StatusCode, Is.EqualTo(HttpStatusCode.Forbidden), $"{planner.Role}: {body}");
            Assert.That(body, Does.Contain(nameof(PlanLobbyEvent.ProspectIds)));
        }
        await using (var db = TestSystem.FootTraffic.NewDbContext())
        {
            Assert.That(await db.LobbyEvents.CountAsync(e => e.BranchCode == branchB), Is.Zero, "nothing was planned");
        }

        // A's own event invites all three.
        using var own = TestSystem.FootTraffic.ClientFor(leadA);
        var planned = await TrafficFixture.ReadAsync<LobbyEventView>(await own.PostAsJsonAsync("/api/lobby-events",
            new PlanLobbyEvent(branchA, "理财沙龙", starts, starts.AddHours(1), 10, 0m, null, null, null, prospectsA)), HttpStatusCode.Created);
        Assert.That(planned.Results.Invited, Is.EqualTo(3));
    }
}
