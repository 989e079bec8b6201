using System.Net;
using System.Net.Http.Json;
using BankClientele.Acquisition.Prospects;
using BankClientele.Contracts.CustomerCare;
using BankClientele.Contracts.FootTraffic;
using BankClientele.FootTraffic.Lobby;

namespace BankClientele.FootTraffic.Tests.Lobby;

public sealed class LobbyFlowTests
{
    private const string Consent = "本人同意银行就理财产品与我联系，并为此保存我的姓名与手机号。";

    [Test]
    public async Task An_event_invites_over_the_bus_checks_in_captures_walk_ins_and_is_credited_with_their_conversion_and_sales()
    {
        var branch = TestServers.UniqueBranch();
        var lead = Tokens.BranchLead(branch);
        var wealthy = await TrafficFixture.RegisterCustomerAsync(TrafficFixture.UniqueCustomerNumber(), branch, null, "HighNetWorth");
        var ordinary = await TrafficFixture.RegisterCustomerAsync(TrafficFixture.UniqueCustomerNumber(), branch, null, "Mass");
        var elsewhere = await TrafficFixture.RegisterCustomerAsync(TrafficFixture.UniqueCustomerNumber(), TestServers.UniqueBranch(), null, "HighNetWorth");
        var invitedProspect = await TestSystem.Services.RecordProspectAsync(lead, branch, "钱七");
        using var traffic = TestSystem.FootTraffic.ClientFor(lead);

        var starts = DateTimeOffset.UtcNow.AddHours(-1);
        var planned = await TrafficFixture.ReadAsync<LobbyEventView>(await traffic.PostAsJsonAsync("/api/lobby-events", new PlanLobbyEvent(
            branch, "养老理财沙龙", starts, starts.AddHours(2), 30, 6_000m, ["BL-1", "RM-1"], ["HighNetWorth"], null, [invitedProspect])), HttpStatusCode.Created);
        Assert.That(planned.Results.Invited, Is.EqualTo(2), "the branch's high-net-worth customer and the named prospect");

        // Invitations go out over the real broker: the customer's for CustomerCare, the prospect's for Acquisition.
        var invitations = await TrafficBusListener.WaitForAsync<LobbyEventInvitationIssued>(i => i.LobbyEventId == planned.Id, 2, "the invitations on the bus");
        Assert.That(invitations.Select(i => (i.CustomerId, i.ProspectId)), Is.EquivalentTo(new[] { ((Guid?)wealthy, (Guid?)null), ((Guid?)null, (Guid?)invitedProspect) }));
        Assert.That(invitations.Any(i => i.CustomerId == ordinary || i.CustomerId == elsewhere), Is.False);

        // The customer checks in; a walk-in consents and is captured at the event.
        Assert.That((await traffic.PostAsJsonAsync($"/api/lobby-events/{planned.Id}/attendance", new CheckInAttendee(wealthy, null, null, null, null))).StatusCode, Is.EqualTo(HttpStatusCode.Created));
        await TrafficBusListener.WaitForAsync<LobbyEventAttended>(a => a.LobbyEventId == planned.Id && a.CustomerId == wealthy, 1, "the attendance on the bus");
        var phone = TrafficFixture.UniquePhone();
        var walkIn = await TrafficFixture.ReadAsync<WalkInView>(await traffic.PostAsJsonAsync("/api/walk-ins",
            new CaptureWalkIn(branch, "孙八", phone, "定期存款", planned.Id, true, Consent, null)), HttpStatusCode.Created);
        Assert.That((walkIn.Name, walkIn.Phone), Is.EqualTo(("孙*", PersonalDataMaskedPhone(phone))), "stored and shown masked");
        var identified = await TrafficBusListener.WaitForAsync<WalkInIdentifiedAsProspectV2>(w => w.WalkInId == walkIn.Id, 1, "the walk-in on the bus");
        Assert.That((identified[0].PhoneHash, identified[0].ConsentWording, identified[0].LobbyEventId),
            Is.EqualTo((TestServers.Hashes.Phone(phone), Consent, (Guid?)planned.Id)), "the phone's hash, never the phone");
        Assert.That((await traffic.PostAsJsonAsync($"/api/lobby-events/{planned.Id}/attendance", new CheckInAttendee(null, null, null, walkIn.Id, null))).StatusCode, Is.EqualTo(HttpStatusCode.Created));

        // The walk-in opens an account (a prospect of Acquisition with the same phone, converted there).
        using var acquisition = TestSystem.Acquisition.ClientFor(lead);
        var recorded = await acquisition.PostAsJsonAsync("/api/prospects", new RecordProspect("孙八", phone, branch, null));
        // Created, or merged (200) into the lobby lead Acquisition already made from the walk-in event.
        Assert.That(recorded.StatusCode, Is.AnyOf(HttpStatusCode.Created, HttpStatusCode.OK), await recorded.Content.ReadAsStringAsync());
        var prospect = (await recorded.Content.ReadFromJsonAsync<ProspectCreated>())!;
        var converted = await TestSystem.Services.ConvertAsync(lead, prospect.Id, 80_000m);
        // The attendee accepts a bundle a week later without naming the event: attributed by attendance.
        await TrafficFixture.Listener.Bus.Publish(new BundleAccepted(Guid.NewGuid(), wealthy, branch, "RM-1", "DEP+WM", 200_000m, DateTimeOffset.UtcNow.AddDays(7)));
        // A bundle of a customer who never came is not credited.
        await TrafficFixture.Listener.Bus.Publish(new BundleAccepted(Guid.NewGuid(), ordinary, branch, "RM-1", "DEP", 50_000m, DateTimeOffset.UtcNow));

        var results = await Poll.UntilAsync(
            async () => (await ServiceSystem.GetAsync<LobbyEventView>(traffic, $"/api/lobby-events/{planned.Id}"))!.Results,
            r => r.AccountsOpened == 1 && r.ProductsSold == 1, "the event to be credited with the account and the bundle");
        Assert.That(results, Is.EqualTo(new LobbyEventResults(2, 2, 1, 1, 1, 280_000m, 1.0, 3_000m)));

        var walkIns = await ServiceSystem.GetAsync<List<WalkInView>>(traffic, $"/api/walk-ins?branchCode={branch}");
        Assert.That(walkIns!.Single().Converted, Is.True);
        var weeks = await ServiceSystem.GetAsync<List<WalkInWeek>>(traffic, $"/api/walk-ins/conversion?branchCode={branch}");
        Assert.That(weeks!.Single(), Has.Property(nameof(WalkInWeek.WalkIns)).EqualTo(1).And.Property(nameof(WalkInWeek.ConversionRate)).EqualTo(1.0));
        Assert.That(converted, Is.Not.EqualTo(Guid.Empty));
    }

    private static string PersonalDataMaskedPhone(string phone) => Hosting.Privacy.PersonalData.MaskPhone(phone);

    [Test]
    public async Task A_walk_in_without_consent_or_with_a_customers_phone_is_refused()
    {
        var branch = TestServers.UniqueBranch();
        var phone = TrafficFixture.UniquePhone();
        await TrafficFixture.RegisterCustomerAsync(TrafficFixture.UniqueCustomerNumber(), branch, phone, "Mass");
        using var traffic = TestSystem.FootTraffic.ClientFor(Tokens.BranchLead(branch));
        var noConsent = await traffic.PostAsJsonAsync("/api/walk-ins", new CaptureWalkIn(branch, "周九", TrafficFixture.UniquePhone(), null, null, false, Consent, null));
        Assert.That(noConsent.StatusCode, Is.EqualTo(HttpStatusCode.BadRequest));
        Assert.That(await noConsent.Content.ReadAsStringAsync(), Does.Contain("Consented"));
        var customer = await traffic.PostAsJsonAsync("/api/walk-ins", new CaptureWalkIn(branch, "周九", phone, null, null, true, Consent, null));
        Assert.That(await customer.Content.ReadAsStringAsync(), Does.Contain("Phone").And.Contain("existing customer"));
        var shortConsent = await traffic.PostAsJsonAsync("/api/walk-ins", new { branchCode = branch, fullName = "周九", phone = TrafficFixture.UniquePhone(), consented = true, consentWording = "ok" });
        Assert.That(shortConsent.StatusCode, Is.EqualTo(HttpStatusCode.BadRequest));
        Assert.That(await shortConsent.Content.ReadAsStringAsync(), Does.Contain("ConsentWording"));
    }

    [Test]
    public async Task Events_are_scoped_to_the_branch_and_relationship_managers_do_not_plan_them()
    {
        var branch = TestServers.UniqueBranch();
        var other = TestServers.UniqueBranch();
        using var lead = TestSystem.FootTraffic.ClientFor(Tokens.BranchLead(branch));
        var starts = DateTimeOffset.UtcNow.AddDays(3);
        await TrafficFixture.ReadAsync<LobbyEventView>(await lead.PostAsJsonAsync("/api/lobby-events",
            new PlanLobbyEvent(branch, "亲子财商课", starts, starts.AddHours(2), 20, 1_000m, null, null, null, null)), HttpStatusCode.Created);
        Assert.That((await lead.PostAsJsonAsync("/api/lobby-events", new PlanLobbyEvent(other, "x", starts, starts.AddHours(1), 5, 0, null, null, null, null))).StatusCode,
            Is.EqualTo(HttpStatusCode.Forbidden));
        using var rm = TestSystem.FootTraffic.ClientFor(Tokens.RelationshipManager($"{branch}-RM1", branch));
        Assert.That((await rm.PostAsJsonAsync("/api/lobby-events", new PlanLobbyEvent(branch, "x", starts, starts.AddHours(1), 5, 0, null, null, null, null))).StatusCode,
            Is.EqualTo(HttpStatusCode.Forbidden));
        using var otherLead = TestSystem.FootTraffic.ClientFor(Tokens.BranchLead(other));
        Assert.That(await ServiceSystem.GetAsync<List<LobbyEventView>>(otherLead, $"/api/lobby-events?branchCode={branch}"), Is.Empty);
        Assert.That(await ServiceSystem.GetAsync<List<LobbyEventView>>(rm, $"/api/lobby-events?branchCode={branch}"), Has.Count.EqualTo(1));
        var backwards = await lead.PostAsJsonAsync("/api/lobby-events", new PlanLobbyEvent(branch, "x", starts, starts.AddHours(-1), 5, 0, null, null, null, null));
        Assert.That(await backwards.Content.ReadAsStringAsync(), Does.Contain("EndsAt"));
    }
}
