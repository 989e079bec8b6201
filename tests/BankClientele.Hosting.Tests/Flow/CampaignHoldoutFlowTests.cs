using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using BankClientele.Acquisition.Campaigns;
using BankClientele.Contracts.Acquisition;
using BankClientele.Contracts.FootTraffic;
using BankClientele.CustomerCare.Bundles;
using BankClientele.CustomerCare.Revisits;
using BankClientele.FootTraffic.Lobby;
using BankClientele.Hosting.Customers;
using BankClientele.Hosting.Time;
using MassTransit;
using Microsoft.EntityFrameworkCore;

namespace BankClientele.Hosting.Tests.Flow;

/// <summary>
/// Campaign integrity across the services, over the real broker: a held-out customer and a treated one of the
/// same targeted campaign taken through every path a campaign contacts by (worklist, offer, lobby-event
/// invitation, the manager's call for it): the treated one is reached on each, the held-out one on none.
/// </summary>
public sealed class CampaignHoldoutFlowTests
{
    [Test]
    public async Task A_held_out_customer_gets_no_contact_of_the_campaign_on_any_path_and_a_treated_one_gets_each()
    {
        var branch = TestServers.UniqueBranch();
        var suffix = branch[^6..];
        var code = $"HO-{suffix}";
        // Two customers on either side of the campaign's deterministic 50 % split.
        var held = NumberOn(code, control: true);
        var treated = NumberOn(code, control: false);
        var (heldId, treatedId) = (CustomerIds.FromCustomerNumber(held), CustomerIds.FromCustomerNumber(treated));
        // A customer of the same branch left out of the audience altogether.
        var outsider = ServiceSystem.NewCustomerNumber();
        var assessed = BranchClock.System.Today.AddDays(-30).ToString("yyyy-MM-dd");
        await TestSystem.Services.ImportFeedAsync("customers", FeedFiles.File("customer_number,full_name,phone,branch_code,risk_level,risk_assessed_on",
            [$"{held},钱七,13900003333,{branch},C4,{assessed}", $"{treated},孙八,13900004444,{branch},C4,{assessed}",
             $"{outsider},周九,13900005555,{branch},C4,{assessed}"]));
        await Poll.UntilAsync(async () =>
        {
            await using var db = TestSystem.Acquisition.NewDbContext();
            return await db.ExistingCustomers.CountAsync(c => c.BranchCode == branch);
        }, n => n == 3, "Acquisition to learn the three customers from CustomerRegistered");

        // Acquisition: the campaign runs and draws its audience with the holdout.
        var lead = Tokens.BranchLead(branch);
        using var acquisition = TestSystem.Acquisition.ClientFor(lead);
        var created = await acquisition.PostAsJsonAsync("/api/campaigns", new CreateCampaign(code, "理财回访", "targeted", branch, 10_000m,
            BranchClock.System.Today, Channel: "phone", HoldoutFraction: 0.5));
        Assert.That(created.StatusCode, Is.EqualTo(HttpStatusCode.Created), await created.Content.ReadAsStringAsync());
        Assert.That((await acquisition.PostAsync($"/api/campaigns/{code}/approval", null)).StatusCode, Is.EqualTo(HttpStatusCode.OK));
        Assert.That((await acquisition.PostAsync($"/api/campaigns/{code}/launch", null)).StatusCode, Is.EqualTo(HttpStatusCode.OK));
        var drawn = await acquisition.PostAsJsonAsync($"/api/campaigns/{code}/audience", new AssignAudience(CustomerNumbers: [held, treated]));
        Assert.That(drawn.StatusCode, Is.EqualTo(HttpStatusCode.OK), await drawn.Content.ReadAsStringAsync());
        Assert.That(await drawn.Content.ReadFromJsonAsync<AudienceAssigned>(), Is.EqualTo(new AudienceAssigned(1, 1, 1)));

        // CustomerCare and FootTraffic learn the audience (ids and the held-out flag) from CampaignAudienceAssigned.
        var expected = new[] { (heldId, true), (treatedId, false) };
        await Poll.UntilAsync(() => MembershipsAsync(TestSystem.CustomerCare.NewDbContext(), code), m => m.Count == 2, "CustomerCare to learn the audience");
        await Poll.UntilAsync(() => MembershipsAsync(TestSystem.FootTraffic.NewDbContext(), code), m => m.Count == 2, "FootTraffic to learn the audience");
        Assert.That(await MembershipsAsync(TestSystem.CustomerCare.NewDbContext(), code), Is.EquivalentTo(expected));
        Assert.That(await MembershipsAsync(TestSystem.FootTraffic.NewDbContext(), code), Is.EquivalentTo(expected));

        // 1. Worklist: the treated customer only.
        var lists = (await acquisition.GetFromJsonAsync<List<Worklist>>($"/api/campaigns/{code}/worklists"))!;
        Assert.That(lists.SelectMany(l => l.Customers).Select(c => c.CustomerId), Is.EqualTo(new[] { treatedId }));

        // 2. Offer made for the campaign: refused for the held-out customer naming the field and the reason; made for the treated one.
        var bundle = await BundleAsync(suffix);
        using var care = TestSystem.CustomerCare.ClientFor(lead);
        var refused = await care.PostAsJsonAsync("/api/offers", new ProposeOffer(heldId, bundle, 100_000m, null, code));
        Assert.That(refused.StatusCode, Is.EqualTo(HttpStatusCode.Conflict));
        var problem = await refused.Content.ReadFromJsonAsync<JsonElement>();
        Assert.Multiple(() =>
        {
            Assert.That(problem.GetProperty("field").GetString(), Is.EqualTo("campaignCode"));
            Assert.That(problem.GetProperty("code").GetString(), Is.EqualTo(CampaignMemberships.HeldOutCode));
            Assert.That(problem.GetProperty("detail").GetString(), Does.Contain($"held out of campaign {code}"));
        });
        var unknown = await care.PostAsJsonAsync("/api/offers", new ProposeOffer(heldId, bundle, 100_000m, null, $"NONE-{suffix}"));
        Assert.That(unknown.StatusCode, Is.EqualTo(HttpStatusCode.UnprocessableEntity), "a campaign whose holdout is not known here cannot be kept");
        var made = await care.PostAsJsonAsync("/api/offers", new ProposeOffer(treatedId, bundle, 100_000m, null, code));
        Assert.That(made.StatusCode, Is.EqualTo(HttpStatusCode.Created), await made.Content.ReadAsStringAsync());
        Assert.That((await made.Content.ReadFromJsonAsync<OfferView>())!.CampaignCode, Is.EqualTo(code));
        var outside = await care.PostAsJsonAsync("/api/offers", new ProposeOffer(CustomerIds.FromCustomerNumber(outsider), bundle, 100_000m, null, code));
        Assert.That(outside.StatusCode, Is.EqualTo(HttpStatusCode.Conflict), "an offer credited to a campaign goes to its audience only");
        Assert.That((await outside.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("code").GetString(), Is.EqualTo(CampaignMemberships.NotInAudienceCode));
        var offers = (await care.GetFromJsonAsync<List<OfferView>>($"/api/offers?customerId={heldId}"))!;
        Assert.That(offers, Is.Empty, "no offer of any kind was recorded for the held-out customer");

        // 3. Lobby-event invitations for the campaign: the held-out customer is left off the list and counted.
        using var traffic = TestSystem.FootTraffic.ClientFor(lead);
        var startsAt = DateTimeOffset.UtcNow.AddDays(3);
        var planned = await traffic.PostAsJsonAsync("/api/lobby-events", new PlanLobbyEvent(branch, "理财沙龙", startsAt, startsAt.AddHours(2), 30, 2_000m,
            null, null, [heldId, treatedId], null, code));
        Assert.That(planned.StatusCode, Is.EqualTo(HttpStatusCode.Created), await planned.Content.ReadAsStringAsync());
        var lobbyEvent = (await planned.Content.ReadFromJsonAsync<LobbyEventView>())!;
        Assert.That((lobbyEvent.Results.Invited, lobbyEvent.HeldOutExcluded, lobbyEvent.CampaignCode), Is.EqualTo((1, 1, code)));
        var guests = (await traffic.GetFromJsonAsync<List<LobbyGuest>>($"/api/lobby-events/{lobbyEvent.Id}/guests"))!;
        Assert.That(guests.Where(g => g.Invited).Select(g => g.CustomerId), Is.EqualTo(new Guid?[] { treatedId }));
        var heldInvitations = await TestDatabases.ScalarAsync<long>(TestSystem.FootTraffic.Database,
            $"SELECT count(*) FROM outbox_messages WHERE body->>'customerId' = '{heldId}'");
        Assert.That(heldInvitations, Is.Zero, "no invitation of the held-out customer was published");

        // 4. The manager's reminder: the invitation's call for the treated customer, naming the campaign.
        var call = await Poll.UntilAsync(
            async () => (await ServiceSystem.GetAsync<List<RevisitView>>(care, $"/api/revisits?customerId={treatedId}"))!
                .FirstOrDefault(r => r.Reason == RevisitReasons.LobbyEvent),
            r => r is not null, "CustomerCare to open the invitation's call for the treated customer");
        Assert.That(call!.Detail, Does.Contain(code));
        // Even an invitation naming the held-out customer (one FootTraffic would never send now) opens no call.
        var stray = await TestSystem.Services.PublishAsync(new LobbyEventInvitationIssued(Guid.NewGuid(), lobbyEvent.Id, branch, "理财沙龙",
            startsAt, startsAt.AddHours(2), heldId, null, DateTimeOffset.UtcNow, code));
        await Poll.UntilAsync(() => TestDatabases.ScalarAsync<long>(TestSystem.CustomerCare.Database,
                $"SELECT count(*) FROM inbox_messages WHERE message_id = '{stray}' AND consumer = '{nameof(LobbyEventInvitationConsumer)}'"),
            n => n == 1, "CustomerCare to take the stray invitation");
        var heldCalls = (await ServiceSystem.GetAsync<List<RevisitView>>(care, $"/api/revisits?customerId={heldId}"))!;
        Assert.That(heldCalls.Where(r => r.Reason == RevisitReasons.LobbyEvent), Is.Empty, "no reminder of the campaign for the held-out customer's manager");
    }

    [Test]
    public async Task Audience_chunks_re_sent_or_redelivered_are_kept_once_in_CustomerCare_and_FootTraffic()
    {
        var branch = TestServers.UniqueBranch();
        var code = $"HC-{branch[^6..]}";
        var ids = Enumerable.Range(0, 5).Select(_ => Guid.NewGuid()).ToArray();
        var first = new CampaignAudienceAssigned(code, branch, BranchClock.System.Today, 1, 2, [ids[0], ids[1]], [ids[2]]);
        var second = new CampaignAudienceAssigned(code, branch, BranchClock.System.Today, 2, 2, [ids[3]], [ids[4]]);
        var redelivered = Guid.NewGuid();
        var messageIds = new[] { await TestSystem.Services.PublishAsync(first), await TestSystem.Services.PublishAsync(first), redelivered };
        // The same message twice (a redelivery) and the first chunk re-sent under a new id (a replayed publish).
        await PublishWithIdAsync(second, redelivered);
        await PublishWithIdAsync(second, redelivered);
        var expected = new[] { (ids[0], false), (ids[1], false), (ids[2], true), (ids[3], false), (ids[4], true) };
        foreach (var service in new[] { TestSystem.CustomerCare.Database, TestSystem.FootTraffic.Database })
        {
            await Poll.UntilAsync(() => TestDatabases.ScalarAsync<long>(service,
                    $"SELECT count(*) FROM inbox_messages WHERE consumer = 'CampaignAudienceConsumer' AND message_id IN ('{string.Join("','", messageIds)}')"),
                n => n == 3, $"{service} to take the three messages");
        }
        Assert.That(await MembershipsAsync(TestSystem.CustomerCare.NewDbContext(), code), Is.EquivalentTo(expected));
        Assert.That(await MembershipsAsync(TestSystem.FootTraffic.NewDbContext(), code), Is.EquivalentTo(expected));
    }

    /// <summary>Publishes with a chosen message id, as a redelivery of the same message arrives.</summary>
    private static Task PublishWithIdAsync<T>(T message, Guid messageId) where T : class =>
        TestSystem.CustomerCare.Get<IBus>().Publish(message, (PublishContext<T> context) => context.MessageId = messageId);

    /// <summary>A fresh customer number on the chosen side of the campaign's 50 % holdout.</summary>
    private static string NumberOn(string campaign, bool control)
    {
        while (true)
        {
            var number = ServiceSystem.NewCustomerNumber();
            if (CampaignHoldout.IsControl(campaign, CustomerIds.FromCustomerNumber(number), 0.5) == control)
            {
                return number;
            }
        }
    }

    private static async Task<List<(Guid, bool)>> MembershipsAsync(Database.ServiceDbContext db, string code)
    {
        await using (db)
        {
            return (await db.Set<CampaignMembership>().AsNoTracking().Where(m => m.CampaignCode == code)
                .Select(m => new { m.CustomerId, m.HeldOut }).ToListAsync()).Select(m => (m.CustomerId, m.HeldOut)).ToList();
        }
    }

    /// <summary>A deposit-and-wealth bundle of this test's own products (risk R2, within the customers' C4).</summary>
    private static async Task<string> BundleAsync(string suffix)
    {
        using var headOffice = TestSystem.CustomerCare.ClientFor(Tokens.HeadOffice);
        foreach (var product in new[]
        {
            new SaveProduct($"HTD-{suffix}", "一年期定期存款", ProductKind.TimeDeposit, 12, 1, 50_000m),
            new SaveProduct($"HWM-{suffix}", "稳健理财", ProductKind.WealthManagement, null, 2, 10_000m),
        })
        {
            var saved = await headOffice.PutAsJsonAsync("/api/products", product);
            Assert.That(saved.StatusCode, Is.EqualTo(HttpStatusCode.OK), await saved.Content.ReadAsStringAsync());
        }
        var bundle = await headOffice.PutAsJsonAsync("/api/bundles", new SaveBundle($"HB-{suffix}", "定存+稳健理财", $"HTD-{suffix}", [$"HWM-{suffix}"]));
        Assert.That(bundle.StatusCode, Is.EqualTo(HttpStatusCode.OK), await bundle.Content.ReadAsStringAsync());
        return $"HB-{suffix}";
    }
}
