using System.Net;
using System.Net.Http.Json;
using BankClientele.Contracts.FootTraffic;
using BankClientele.Contracts.Insights;
using BankClientele.FootTraffic.Lobby;
using BankClientele.Hosting.Customers;
using Microsoft.EntityFrameworkCore;

namespace BankClientele.FootTraffic.Tests.Lobby;

/// <summary>Insights' CustomerSegmentChanged, over the real broker, lets a lobby event target value segments and lifecycle stages.</summary>
public sealed class SegmentTargetingTests
{
    private static async Task SegmentAsync(Guid customer, string branch, string value, string stage, DateTimeOffset computedAt)
    {
        var messageId = await TestSystem.Services.PublishAsync(new CustomerSegmentChanged(customer, branch, "545", value, stage, 120_000m, 0.9, computedAt));
        await Poll.UntilAsync(async () =>
        {
            await using var db = TestSystem.FootTraffic.NewDbContext();
            return await db.Database.SqlQuery<int>($"SELECT count(*)::int AS \"Value\" FROM inbox_messages WHERE message_id = {messageId}").SingleAsync();
        }, n => n == 1, "FootTraffic to consume the segment change");
    }

    [Test]
    public async Task An_event_invites_the_branchs_customers_of_a_value_segment_or_lifecycle_stage()
    {
        var branch = TestServers.UniqueBranch();
        var now = DateTimeOffset.UtcNow;
        // Segmented before CustomerCare's registration reached FootTraffic: kept, and registration later changes nothing of it.
        var early = CustomerIds.FromCustomerNumber(TrafficFixture.UniqueCustomerNumber());
        await SegmentAsync(early, branch, "高价值", "Retain", now);
        var registered = await TrafficFixture.RegisterCustomerAsync(TrafficFixture.UniqueCustomerNumber(), branch, null, "Mass");
        await SegmentAsync(registered, branch, "潜力", "Activate", now);
        // An older computation arriving late does not undo the newer one.
        await SegmentAsync(registered, branch, "高价值", "Retain", now.AddDays(-1));
        var elsewhere = CustomerIds.FromCustomerNumber(TrafficFixture.UniqueCustomerNumber());
        await SegmentAsync(elsewhere, TestServers.UniqueBranch(), "高价值", "Retain", now);

        using var traffic = TestSystem.FootTraffic.ClientFor(Tokens.BranchLead(branch));
        async Task<List<Guid?>> InvitedAsync(params string[] segments)
        {
            var starts = DateTimeOffset.UtcNow.AddDays(7);
            var planned = await TrafficFixture.ReadAsync<LobbyEventView>(await traffic.PostAsJsonAsync("/api/lobby-events",
                new PlanLobbyEvent(branch, "财富讲座", starts, starts.AddHours(1), 20, 500m, null, [.. segments], null, null)), HttpStatusCode.Created);
            await using var db = TestSystem.FootTraffic.NewDbContext();
            return await db.LobbyInvitations.Where(i => i.LobbyEventId == planned.Id).Select(i => i.CustomerId).ToListAsync();
        }

        Assert.Multiple(async () =>
        {
            Assert.That(await InvitedAsync("高价值"), Is.EquivalentTo(new Guid?[] { early }), "by value segment");
            Assert.That(await InvitedAsync("Activate"), Is.EquivalentTo(new Guid?[] { registered }), "by lifecycle stage, the newer computation");
            Assert.That(await InvitedAsync("Retain", "Mass"), Is.EquivalentTo(new Guid?[] { early, registered }), "stage and tier together, each once");
        });
        // The invitation of the segmented customer goes out over the bus for CustomerCare's revisit task.
        await TrafficBusListener.WaitForAsync<LobbyEventInvitationIssued>(i => i.CustomerId == early, 1, "the segmented customer's invitation on the bus");
    }

    [TestCase(true, TestName = "A_newer_and_an_older_segment_published_together_keep_the_newer_newer_first")]
    [TestCase(false, TestName = "A_newer_and_an_older_segment_published_together_keep_the_newer_older_first")]
    public async Task A_newer_and_an_older_segment_published_together_keep_the_newer(bool newerFirst)
    {
        // Published at once, so the batch consumer usually takes both in one batch: the newer must win inside it too.
        var branch = TestServers.UniqueBranch();
        var customer = CustomerIds.FromCustomerNumber(TrafficFixture.UniqueCustomerNumber());
        var now = DateTimeOffset.UtcNow;
        var newer = new CustomerSegmentChanged(customer, branch, "545", "高价值", "Retain", 120_000m, 0.9, now);
        var older = new CustomerSegmentChanged(customer, branch, "111", "低价值", "Acquire", 1_000m, 0.2, now.AddDays(-1));
        CustomerSegmentChanged[] both = newerFirst ? [newer, older] : [older, newer];
        var ids = await Task.WhenAll(both.Select(m => TestSystem.Services.PublishAsync(m)));

        await Poll.UntilAsync(async () =>
        {
            await using var db = TestSystem.FootTraffic.NewDbContext();
            return await db.Database.SqlQuery<int>($"SELECT count(*)::int AS \"Value\" FROM inbox_messages WHERE message_id = ANY({ids})").SingleAsync();
        }, n => n == 2, "FootTraffic to consume both segment changes");
        await using var read = TestSystem.FootTraffic.NewDbContext();
        var kept = await read.CustomerSegments.AsNoTracking().SingleAsync(s => s.CustomerId == customer);
        Assert.That((kept.ValueSegment, kept.LifecycleStage, kept.Rfm), Is.EqualTo(("高价值", "Retain", "545")));
    }
}
