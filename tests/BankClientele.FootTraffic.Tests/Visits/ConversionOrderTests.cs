using System.Net;
using System.Net.Http.Json;
using BankClientele.Contracts.Acquisition;
using BankClientele.FootTraffic.Lobby;
using Microsoft.EntityFrameworkCore;

namespace BankClientele.FootTraffic.Tests.Visits;

/// <summary>
/// A conversion may reach FootTraffic before the record it is credited through: a walk-in entered later
/// from a paper sign-up sheet, an attendance checked in afterwards. The credit then follows when that
/// record arrives, once, over the real services and broker.
/// </summary>
public sealed class ConversionOrderTests
{
    private const string Consent = "本人同意银行就理财产品与我联系，并为此保存我的姓名与手机号。";

    private static async Task<LobbyEventView> PlanAsync(HttpClient traffic, string branch, DateTimeOffset starts, List<Guid>? prospects = null) =>
        await TrafficFixture.ReadAsync<LobbyEventView>(await traffic.PostAsJsonAsync("/api/lobby-events",
            new PlanLobbyEvent(branch, "理财开放日", starts, starts.AddHours(2), 30, 4_000m, null, null, null, prospects)), HttpStatusCode.Created);

    private static async Task WaitForConversionAsync(Guid prospectId) =>
        await Poll.UntilAsync(async () =>
        {
            await using var db = TestSystem.FootTraffic.NewDbContext();
            return await db.ProspectConversions.AnyAsync(c => c.ProspectId == prospectId);
        }, found => found, "FootTraffic to keep the conversion");

    private static readonly Hosting.Privacy.PersonalDataHash MatchingHash = TestServers.Hashes;

    private static async Task WaitInInboxAsync(Guid messageId) =>
        await Poll.UntilAsync(async () =>
        {
            await using var db = TestSystem.FootTraffic.NewDbContext();
            return await db.Database.SqlQuery<int>($"SELECT count(*)::int AS \"Value\" FROM inbox_messages WHERE message_id = {messageId}").SingleAsync();
        }, n => n == 1, "FootTraffic to consume the message");

    [Test]
    public async Task A_walk_in_recorded_after_their_conversion_credits_the_branch_and_the_event_once()
    {
        var branch = TestServers.UniqueBranch();
        var lead = Tokens.BranchLead(branch);
        using var traffic = TestSystem.FootTraffic.ClientFor(lead);
        var lobby = await PlanAsync(traffic, branch, DateTimeOffset.UtcNow.AddHours(-3));

        // The visitor signed the paper sheet at the event, then opened an account through Acquisition at once;
        // the conversion reaches FootTraffic (and CustomerCare registers the customer) before the sheet is typed in.
        var phone = TrafficFixture.UniquePhone();
        var prospect = await TestSystem.Services.RecordProspectAsync(lead, branch, "吴十", phone);
        var customer = await TestSystem.Services.ConvertAsync(lead, prospect, 60_000m);
        await WaitForConversionAsync(prospect);
        await Poll.UntilAsync(async () =>
        {
            await using var db = TestSystem.FootTraffic.NewDbContext();
            return await db.KnownCustomers.AnyAsync(c => c.CustomerId == customer);
        }, found => found, "the new customer in FootTraffic's directory");
        Assert.That((await ServiceSystem.GetAsync<LobbyEventView>(traffic, $"/api/lobby-events/{lobby.Id}"))!.Results.AccountsOpened, Is.Zero);

        // The greeter types the sheet in: consent given an hour into the event, before the conversion.
        var walkIn = await TrafficFixture.ReadAsync<WalkInView>(await traffic.PostAsJsonAsync("/api/walk-ins",
            new CaptureWalkIn(branch, "吴十", phone, "定期存款", lobby.Id, true, Consent, DateTimeOffset.UtcNow.AddHours(-2))), HttpStatusCode.Created);
        Assert.That(walkIn.Converted, Is.True, "credited as soon as it is recorded");
        var results = (await ServiceSystem.GetAsync<LobbyEventView>(traffic, $"/api/lobby-events/{lobby.Id}"))!.Results;
        Assert.That((results.LeadsCaptured, results.AccountsOpened, results.DepositsRaised), Is.EqualTo((1, 1, 60_000m)));
        var week = (await ServiceSystem.GetAsync<List<WalkInWeek>>(traffic, $"/api/walk-ins/conversion?branchCode={branch}"))!.Single();
        Assert.That((week.WalkIns, week.Converted), Is.EqualTo((1, 1)), "the branch's walk-in conversion counts it");

        // The same conversion announced again (a new message) does not count twice.
        var again = await TestSystem.Services.PublishAsync(new ProspectConvertedV2(prospect, customer, branch, 60_000m, null, DateTimeOffset.UtcNow, null, MatchingHash.Phone(phone), null, null));
        await WaitInInboxAsync(again);
        results = (await ServiceSystem.GetAsync<LobbyEventView>(traffic, $"/api/lobby-events/{lobby.Id}"))!.Results;
        Assert.That((results.AccountsOpened, results.DepositsRaised), Is.EqualTo((1, 60_000m)));

        // Someone else with a customer's phone is still refused as a walk-in: no conversion after their consent explains it.
        var late = await traffic.PostAsJsonAsync("/api/walk-ins", new CaptureWalkIn(branch, "吴十", phone, null, null, true, Consent, DateTimeOffset.UtcNow));
        Assert.That(late.StatusCode, Is.EqualTo(HttpStatusCode.BadRequest));
        Assert.That(await late.Content.ReadAsStringAsync(), Does.Contain("Phone"));
    }

    [Test]
    public async Task An_attendance_checked_in_after_the_conversion_credits_the_event_and_a_better_placed_walk_in_moves_the_credit()
    {
        var branch = TestServers.UniqueBranch();
        var lead = Tokens.BranchLead(branch);
        using var traffic = TestSystem.FootTraffic.ClientFor(lead);
        var invitedProspect = await TestSystem.Services.RecordProspectAsync(lead, branch, "郑一", TrafficFixture.UniquePhone());
        var inviting = await PlanAsync(traffic, branch, DateTimeOffset.UtcNow.AddDays(-5), [invitedProspect]);
        var attended = await PlanAsync(traffic, branch, DateTimeOffset.UtcNow.AddHours(-4));

        // Converted now: the only fact known is the invitation, so the inviting event is credited.
        var converted = DateTimeOffset.UtcNow;
        var customer = Guid.NewGuid();
        await TestSystem.Services.PublishAsync(new ProspectConvertedV2(invitedProspect, customer, branch, 30_000m, null, converted, null, MatchingHash.Phone(TrafficFixture.UniquePhone()), null, null));
        await WaitForConversionAsync(invitedProspect);
        var first = await Poll.UntilAsync(async () => (await ServiceSystem.GetAsync<LobbyEventView>(traffic, $"/api/lobby-events/{inviting.Id}"))!.Results,
            r => r.AccountsOpened == 1, "the inviting event credited");
        Assert.That(first.DepositsRaised, Is.EqualTo(30_000m));

        // The prospect's attendance at the later event, checked in afterwards (dated before the conversion): the credit moves there.
        var checkIn = await traffic.PostAsJsonAsync($"/api/lobby-events/{attended.Id}/attendance", new CheckInAttendee(null, null, invitedProspect, null, converted.AddHours(-3)));
        Assert.That(checkIn.StatusCode, Is.EqualTo(HttpStatusCode.Created));
        var moved = (await ServiceSystem.GetAsync<LobbyEventView>(traffic, $"/api/lobby-events/{attended.Id}"))!.Results;
        var left = (await ServiceSystem.GetAsync<LobbyEventView>(traffic, $"/api/lobby-events/{inviting.Id}"))!.Results;
        Assert.That((moved.AccountsOpened, moved.DepositsRaised, left.AccountsOpened), Is.EqualTo((1, 30_000m, 0)), "one account, credited to one event");

        // An attendance dated after the conversion changes nothing.
        var afterwards = await PlanAsync(traffic, branch, DateTimeOffset.UtcNow.AddHours(1));
        Assert.That((await traffic.PostAsJsonAsync($"/api/lobby-events/{afterwards.Id}/attendance", new CheckInAttendee(null, null, invitedProspect, null, converted.AddHours(2)))).StatusCode,
            Is.EqualTo(HttpStatusCode.Created));
        Assert.That((await ServiceSystem.GetAsync<LobbyEventView>(traffic, $"/api/lobby-events/{afterwards.Id}"))!.Results.AccountsOpened, Is.Zero);
    }
}
