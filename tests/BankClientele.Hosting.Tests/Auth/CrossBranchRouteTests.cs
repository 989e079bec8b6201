using System.Net;
using System.Net.Http.Json;
using BankClientele.Acquisition.Campaigns;
using BankClientele.Acquisition.Prospects;
using BankClientele.CustomerCare.Assignment;
using BankClientele.CustomerCare.Book;
using BankClientele.CustomerCare.Bundles;
using BankClientele.CustomerCare.Revisits;
using BankClientele.CustomerCare.Webhooks;
using BankClientele.FootTraffic.Lobby;
using BankClientele.FootTraffic.Staffing;
using BankClientele.FootTraffic.Visits;
using BankClientele.Hosting.Auth;
using BankClientele.Hosting.Customers;
using BankClientele.Hosting.Time;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;

namespace BankClientele.Hosting.Tests.Auth;

/// <summary>
/// Every route of every service that names an object (a route parameter), read from the service's own
/// endpoint list, is called for an object of branch A with the tokens of branch B's lead and of a
/// branch-B relationship manager: each must answer 403 or 404. A new route with a parameter fails this
/// test until it is given a case below (or left out with its reason). Branch A's own lead then makes
/// the same calls and must not be refused, so each case really names an existing object of branch A.
/// </summary>
public sealed class CrossBranchRouteTests
{
    /// <summary>
    /// Routes with a parameter the walk leaves out, why, and (when the reason is a role) a path a branch
    /// token must get 403 at.
    /// </summary>
    private static readonly Dictionary<string, (string Reason, string? ForbiddenProbe)> LeftOut = new()
    {
        ["GET /calendar/{token}.ics"] = ("anonymous by design: the token is one manager's secret link (404 without a valid one, EndpointAuthenticationTests); it names no branch object", null),
        ["GET /hangfire/{**path}"] = ("the jobs dashboard, administrators only: no branch object", "/hangfire/recurring"),
        ["POST /api/notifications/{id:guid}/read"] = ("a person's own inbox: addressed by the token's staff id, another person's notification is 404 whatever the branch (NotificationApiTests)", null),
        ["POST /api/staff/{staffId}/deactivation"] = ("administrators and head office only (the portal's staff page): it names a person, not a branch object; the route requires those roles, so a branch token gets 403", null),
    };

    /// <summary>Routes whose owner-branch call is not expected to succeed, and why (the refusal for branch B is still asserted).</summary>
    private static readonly Dictionary<string, string> NoOwnerCheck = new()
    {
        ["GET /api/uplift/campaigns/{campaignCode}/effect"] = "the effect needs an audience with daily balances; without them branch A gets 404 'Not enough audience' as well (CampaignEffect tests cover the figures)",
    };

    private sealed record Call(string Method, string Path, object? Body = null);

    private static readonly string Suffix = Random.Shared.Next(100_000, 999_999).ToString(System.Globalization.CultureInfo.InvariantCulture);
    private static readonly string BranchA = $"XA{Suffix}";
    private static readonly string BranchB = $"XB{Suffix}";
    private static readonly StaffIdentity LeadA = Tokens.BranchLead(BranchA);
    private static readonly StaffIdentity LeadB = Tokens.BranchLead(BranchB);
    private static readonly StaffIdentity ManagerA = Tokens.RelationshipManager($"RMA{Suffix}", BranchA);
    private static readonly StaffIdentity ManagerB = Tokens.RelationshipManager($"RMB{Suffix}", BranchB);

    private static Dictionary<string, Call>? cases;

    public static IEnumerable<TestCaseData> Services()
    {
        yield return new TestCaseData("CustomerCare");
        yield return new TestCaseData("Acquisition");
        yield return new TestCaseData("FootTraffic");
        yield return new TestCaseData("Insights");
    }

    [TestCaseSource(nameof(Services))]
    public async Task Every_route_naming_an_object_refuses_another_branchs_lead_and_manager(string service)
    {
        cases ??= await SeedAsync();
        var host = TestSystem.Named(service);
        var routes = host.Services.GetRequiredService<EndpointDataSource>().Endpoints.OfType<RouteEndpoint>()
            .Where(e => e.RoutePattern.Parameters.Count > 0)
            .SelectMany(e => (e.Metadata.GetMetadata<HttpMethodMetadata>()?.HttpMethods ?? [HttpMethods.Get])
                .Select(m => $"{m} {e.RoutePattern.RawText!.TrimEnd('/')}"))
            .Where(key => !key.Contains("/openapi/", StringComparison.Ordinal) && !key.StartsWith("GET /scalar", StringComparison.Ordinal))
            .Distinct().ToList();
        Assert.That(routes, Is.Not.Empty, "the endpoint list was read");

        var unlisted = routes.Where(r => !cases.ContainsKey(r) && !LeftOut.ContainsKey(r)).ToList();
        Assert.That(unlisted, Is.Empty, "routes naming an object without a cross-branch case: add one to SeedAsync (or to LeftOut with the reason)");

        var leaks = new List<string>();
        var covered = routes.Where(cases.ContainsKey).ToList();
        foreach (var staff in new[] { LeadB, ManagerB })
        {
            using var client = host.ClientFor(staff);
            foreach (var route in covered)
            {
                var status = await SendAsync(client, cases[route]);
                if (status is not (HttpStatusCode.Forbidden or HttpStatusCode.NotFound))
                {
                    leaks.Add($"{route} as {staff.Role} of {staff.BranchCode} -> {(int)status}");
                }
            }
        }
        Assert.That(leaks, Is.Empty, "another branch's staff reached an object of branch A");

        // The same calls by branch A's own lead are not refused: the objects exist and are theirs.
        using (var owner = host.ClientFor(LeadA))
        {
            var refused = new List<string>();
            foreach (var route in covered.Where(r => !NoOwnerCheck.ContainsKey(r)))
            {
                var status = await SendAsync(owner, cases[route]);
                if (status is HttpStatusCode.Forbidden or HttpStatusCode.NotFound or HttpStatusCode.Unauthorized)
                {
                    refused.Add($"{route} -> {(int)status}");
                }
            }
            Assert.That(refused, Is.Empty, "branch A's lead was refused its own objects: the case does not name a real object");
        }

        await TestContext.Out.WriteLineAsync($"{service}: {covered.Count} routes refused to branch {BranchB}'s lead and manager for branch {BranchA}'s objects:");
        foreach (var route in covered.Order(StringComparer.Ordinal))
        {
            await TestContext.Out.WriteLineAsync($"  {route}{(NoOwnerCheck.TryGetValue(route, out var why) ? $"  (no owner check: {why})" : "")}");
        }
        foreach (var route in routes.Where(LeftOut.ContainsKey))
        {
            var (reason, probe) = LeftOut[route];
            if (probe is not null)
            {
                foreach (var staff in new[] { LeadB, ManagerB })
                {
                    using var client = host.ClientFor(staff);
                    Assert.That((await client.GetAsync(probe)).StatusCode, Is.EqualTo(HttpStatusCode.Forbidden), $"{route} ({probe}) for a {staff.Role}");
                }
            }
            await TestContext.Out.WriteLineAsync($"  left out: {route} ({reason}{(probe is null ? "" : $"; {probe} answers a branch token 403")})");
        }
    }

    /// <summary>
    /// Objects named in a request's body, not its route: another branch's partner, customers and
    /// campaigns are refused (and nothing is changed).
    /// </summary>
    [Test]
    public async Task Objects_of_another_branch_named_in_a_body_are_refused()
    {
        cases ??= await SeedAsync();
        var today = BranchClock.DayOf(DateTimeOffset.UtcNow);
        using var acquisitionA = TestSystem.Acquisition.ClientFor(LeadA);
        using var acquisitionB = TestSystem.Acquisition.ClientFor(LeadB);

        // A partner of A, re-saved by B's lead under B's branch: 404, the partner unchanged.
        var partner = $"PX{Suffix}";
        var saved = await acquisitionA.PutAsJsonAsync("/api/partners", new Acquisition.Partners.SavePartner(partner, "甲方商户", BranchA, $"R{Suffix}", 100m));
        Assert.That(saved.StatusCode, Is.EqualTo(HttpStatusCode.OK), await saved.Content.ReadAsStringAsync());
        var hijack = await acquisitionB.PutAsJsonAsync("/api/partners", new Acquisition.Partners.SavePartner(partner, "乙方改名", BranchB, $"R{Suffix}", 0m));
        Assert.That(hijack.StatusCode, Is.EqualTo(HttpStatusCode.NotFound), await hijack.Content.ReadAsStringAsync());
        await using (var db = TestSystem.Acquisition.NewDbContext())
        {
            var stored = await db.Partners.AsNoTracking().SingleAsync(p => p.Code == partner);
            Assert.That((stored.Name, stored.FeePerConversion), Is.EqualTo(("甲方商户", 100m)), "the partner of A is unchanged");
        }

        // A partner campaign of B naming A's partner: 400 naming PartnerCode.
        var partnerCampaign = await acquisitionB.PostAsJsonAsync("/api/campaigns",
            new CreateCampaign($"XP-{Suffix}", "借用合作方", CampaignKinds.Partner, BranchB, 1_000m, today, PartnerCode: partner));
        Assert.That(partnerCampaign.StatusCode, Is.EqualTo(HttpStatusCode.BadRequest));
        Assert.That(await partnerCampaign.Content.ReadAsStringAsync(), Does.Contain(nameof(CreateCampaign.PartnerCode)));

        // B's campaign audience naming a customer of A: 403 naming CustomerNumbers, no audience drawn.
        var numberA = ServiceSystem.NewCustomerNumber();
        var numberB = ServiceSystem.NewCustomerNumber();
        await using (var db = TestSystem.Acquisition.NewDbContext())
        {
            db.ExistingCustomers.Add(new Acquisition.Customers.ExistingCustomer { CustomerId = CustomerIds.FromCustomerNumber(numberA), CustomerNumber = numberA, BranchCode = BranchA, Tier = "mass" });
            db.ExistingCustomers.Add(new Acquisition.Customers.ExistingCustomer { CustomerId = CustomerIds.FromCustomerNumber(numberB), CustomerNumber = numberB, BranchCode = BranchB, Tier = "mass" });
            await db.SaveChangesAsync();
        }
        var campaignB = $"XD-{Suffix}";
        var created = await acquisitionB.PostAsJsonAsync("/api/campaigns", new CreateCampaign(campaignB, "存款提升", CampaignKinds.Targeted, BranchB, 1_000m, today));
        Assert.That(created.StatusCode, Is.EqualTo(HttpStatusCode.Created), await created.Content.ReadAsStringAsync());
        var audience = await acquisitionB.PostAsJsonAsync($"/api/campaigns/{campaignB}/audience", new AssignAudience([numberB, numberA]));
        Assert.That(audience.StatusCode, Is.EqualTo(HttpStatusCode.Forbidden), await audience.Content.ReadAsStringAsync());
        Assert.That(await audience.Content.ReadAsStringAsync(), Does.Contain(nameof(AssignAudience.CustomerNumbers)));
        await using (var db = TestSystem.Acquisition.NewDbContext())
        {
            Assert.That(await db.CampaignAudience.CountAsync(m => m.CampaignCode == campaignB), Is.Zero, "nothing was drawn");
        }
        var own = await acquisitionB.PostAsJsonAsync($"/api/campaigns/{campaignB}/audience", new AssignAudience([numberB]));
        Assert.That(own.StatusCode, Is.EqualTo(HttpStatusCode.OK), "B's own customer is accepted");

        // A contact of B's prospect credited to A's campaign: 403 naming campaignCode.
        var prospectB = await TestSystem.Services.RecordProspectAsync(LeadB, BranchB);
        var contact = await acquisitionB.PostAsJsonAsync($"/api/prospects/{prospectB}/contacts", new LogContact("phone", "reached", $"XC-{Suffix}"));
        Assert.That(contact.StatusCode, Is.EqualTo(HttpStatusCode.Forbidden), await contact.Content.ReadAsStringAsync());
        Assert.That(await contact.Content.ReadAsStringAsync(), Does.Contain("campaignCode"));

        // A lobby event of B inviting a customer FootTraffic knows at A: 403 naming CustomerIds, no event planned.
        var knownA = Guid.NewGuid();
        await using (var db = TestSystem.FootTraffic.NewDbContext())
        {
            db.KnownCustomers.Add(new FootTraffic.Customers.KnownCustomer { CustomerId = knownA, CustomerNumber = numberA, BranchCode = BranchA, Tier = "wealth", UpdatedAt = DateTimeOffset.UtcNow });
            await db.SaveChangesAsync();
        }
        using var trafficB = TestSystem.FootTraffic.ClientFor(LeadB);
        var starts = DateTimeOffset.UtcNow.AddDays(8);
        var invite = await trafficB.PostAsJsonAsync("/api/lobby-events", new PlanLobbyEvent(BranchB, "挖角沙龙", starts, starts.AddHours(1), 10, 0m, null, null, [knownA], null));
        Assert.That(invite.StatusCode, Is.EqualTo(HttpStatusCode.Forbidden), await invite.Content.ReadAsStringAsync());
        Assert.That(await invite.Content.ReadAsStringAsync(), Does.Contain(nameof(PlanLobbyEvent.CustomerIds)));
        await using (var db = TestSystem.FootTraffic.NewDbContext())
        {
            Assert.That(await db.LobbyEvents.CountAsync(e => e.BranchCode == BranchB), Is.Zero, "no event was planned");
        }
    }

    private static async Task<HttpStatusCode> SendAsync(HttpClient client, Call call)
    {
        using var request = new HttpRequestMessage(new HttpMethod(call.Method), call.Path);
        if (call.Body is not null)
        {
            request.Content = JsonContent.Create(call.Body, call.Body.GetType());
        }
        using var response = await client.SendAsync(request);
        return response.StatusCode;
    }

    /// <summary>Objects of branch A in every service, and for each route the call that names one.</summary>
    private static async Task<Dictionary<string, Call>> SeedAsync()
    {
        var today = BranchClock.DayOf(DateTimeOffset.UtcNow);
        await TestSystem.Services.AddRelationshipManagerAsync(ManagerA.StaffId, BranchA);
        await TestSystem.Services.AddRelationshipManagerAsync(ManagerB.StaffId, BranchB);

        // CustomerCare: a customer of A with their manager, an open revisit, a proposed offer, the branch's webhook.
        var customerNumber = ServiceSystem.NewCustomerNumber();
        var customerId = CustomerIds.FromCustomerNumber(customerNumber);
        var revisitId = Guid.NewGuid();
        var offerId = Guid.NewGuid();
        await using (var db = TestSystem.CustomerCare.NewDbContext())
        {
            db.Customers.Add(new Customer
            {
                Id = customerId, CustomerNumber = customerNumber, FullName = "欧阳分行", Phone = "13912345678", BranchCode = BranchA,
                AccountNumber = "6222020012345678", RelationshipManagerId = ManagerA.StaffId, Tier = CustomerTiers.Wealth,
                AverageAssets = 600_000m, JoinedAt = DateTimeOffset.UtcNow.AddYears(-1),
            });
            db.Revisits.Add(new Revisit
            {
                Id = revisitId, CustomerId = customerId, BranchCode = BranchA, RelationshipManagerId = ManagerA.StaffId,
                Reason = RevisitReasons.Scheduled, DueOn = today.AddDays(3), CreatedAt = DateTimeOffset.UtcNow,
            });
            db.Offers.Add(new Offer
            {
                Id = offerId, CustomerId = customerId, BranchCode = BranchA, RelationshipManagerId = ManagerA.StaffId, BundleCode = $"XB-{Suffix}",
                Amount = 100_000m, ProposedBy = ManagerA.StaffId, ProposedAt = DateTimeOffset.UtcNow, ExpiresOn = today.AddDays(14),
            });
            db.BranchWebhooks.Add(new BranchWebhook
            {
                BranchCode = BranchA, Url = "https://qyapi.weixin.qq.com/cgi-bin/webhook/send?key=branch-a", Format = WebhookFormats.WeCom,
                UpdatedBy = LeadA.StaffId, UpdatedAt = DateTimeOffset.UtcNow,
            });
            await db.SaveChangesAsync();
        }

        // Acquisition: a prospect and a targeted campaign of A.
        var prospectId = await TestSystem.Services.RecordProspectAsync(LeadA, BranchA);
        var campaignCode = $"XC-{Suffix}";
        using (var client = TestSystem.Acquisition.ClientFor(LeadA))
        {
            var created = await client.PostAsJsonAsync("/api/campaigns", new CreateCampaign(campaignCode, "分行营销", CampaignKinds.Targeted, BranchA, 10_000m, today));
            Assert.That(created.StatusCode, Is.EqualTo(HttpStatusCode.Created), await created.Content.ReadAsStringAsync());
        }

        // FootTraffic: a lobby event and a queue ticket of A.
        Guid lobbyEventId, ticketId;
        using (var client = TestSystem.FootTraffic.ClientFor(LeadA))
        {
            var starts = DateTimeOffset.UtcNow.AddDays(7);
            var planned = await client.PostAsJsonAsync("/api/lobby-events", new PlanLobbyEvent(BranchA, "理财沙龙", starts, starts.AddHours(2), 30, 2_000m, null, null, null, null));
            Assert.That(planned.StatusCode, Is.EqualTo(HttpStatusCode.Created), await planned.Content.ReadAsStringAsync());
            lobbyEventId = (await planned.Content.ReadFromJsonAsync<LobbyEventView>())!.Id;
            var issued = await client.PostAsJsonAsync("/api/queue/tickets", new IssueTicket(BranchA, $"A{Suffix[..3]}", "cash", null, null, null));
            Assert.That(issued.StatusCode, Is.EqualTo(HttpStatusCode.Created), await issued.Content.ReadAsStringAsync());
            ticketId = (await issued.Content.ReadFromJsonAsync<TicketView>())!.Id;
        }

        // Insights: the customer's segment and the campaign's audience, as the segmentation and CampaignAudienceAssigned leave them.
        await using (var db = TestSystem.Insights.NewDbContext())
        {
            db.Set<Insights.Segmentation.CustomerSegment>().Add(new Insights.Segmentation.CustomerSegment
            {
                CustomerId = customerId, BranchCode = BranchA, Rfm = "555", ValueSegment = "high", LifecycleStage = "active", AsOf = today, ChangedAt = DateTimeOffset.UtcNow,
            });
            db.CampaignAudience.Add(new Insights.Store.CampaignAudienceMember { CampaignCode = campaignCode, CustomerId = customerId, BranchCode = BranchA, Treated = true, StartsOn = today });
            await db.SaveChangesAsync();
        }

        var customer = $"/api/customers/{customerId}";
        var prospect = $"/api/prospects/{prospectId}";
        var campaign = $"/api/campaigns/{campaignCode}";
        var lobby = $"/api/lobby-events/{lobbyEventId}";
        return new Dictionary<string, Call>
        {
            // CustomerCare
            ["GET /api/customers/{id:guid}"] = new("GET", customer),
            ["GET /api/customers/{id:guid}/holdings"] = new("GET", $"{customer}/holdings"),
            ["GET /api/customers/{id:guid}/balances"] = new("GET", $"{customer}/balances"),
            ["GET /api/customers/{id:guid}/personal-data"] = new("GET", $"{customer}/personal-data?reason=cross-branch%20check"),
            ["GET /api/customers/{id:guid}/recommendations"] = new("GET", $"{customer}/recommendations"),
            ["GET /api/customers/{id:guid}/assignment-history"] = new("GET", $"{customer}/assignment-history"),
            ["GET /api/customers/{id:guid}/reassignment/what-if"] = new("GET", $"{customer}/reassignment/what-if?relationshipManagerId={ManagerA.StaffId}"),
            ["POST /api/customers/{id:guid}/reassignment"] = new("POST", $"{customer}/reassignment", new Reassign(ManagerA.StaffId, "cross-branch check")),
            ["POST /api/revisits/{id:guid}/completion"] = new("POST", $"/api/revisits/{revisitId}/completion", new CompleteRevisit("phone", "reached", null, null)),
            ["POST /api/offers/{id:guid}/later"] = new("POST", $"/api/offers/{offerId}/later"),
            ["POST /api/offers/{id:guid}/decline"] = new("POST", $"/api/offers/{offerId}/decline"),
            ["POST /api/offers/{id:guid}/accept"] = new("POST", $"/api/offers/{offerId}/accept"),
            ["GET /api/branches/{code}/webhook"] = new("GET", $"/api/branches/{BranchA}/webhook"),
            ["PUT /api/branches/{code}/webhook"] = new("PUT", $"/api/branches/{BranchA}/webhook", new SaveBranchWebhook("https://qyapi.weixin.qq.com/cgi-bin/webhook/send?key=other", WebhookFormats.WeCom)),
            ["DELETE /api/branches/{code}/webhook"] = new("DELETE", $"/api/branches/{BranchA}/webhook"),
            ["POST /api/relationship-managers/{id}/departure"] = new("POST", $"/api/relationship-managers/{ManagerA.StaffId}/departure"),

            // Acquisition
            ["GET /api/prospects/{id:guid}"] = new("GET", prospect),
            ["GET /api/prospects/{id:guid}/personal-data"] = new("GET", $"{prospect}/personal-data?reason=cross-branch%20check"),
            ["POST /api/prospects/{id:guid}/consents"] = new("POST", $"{prospect}/consents", new GiveConsent("marketing", "staff", "同意接收本行理财产品信息")),
            ["POST /api/prospects/{id:guid}/consents/{kind}/withdrawal"] = new("POST", $"{prospect}/consents/marketing/withdrawal", new WithdrawConsent("staff")),
            ["POST /api/prospects/{id:guid}/contacts"] = new("POST", $"{prospect}/contacts", new LogContact("phone", "reached")),
            ["POST /api/prospects/{id:guid}/conversion"] = new("POST", $"{prospect}/conversion", new ConvertProspect(ServiceSystem.NewCustomerNumber(), "6222020200112233", 1_000m)),
            ["GET /api/campaigns/{code}"] = new("GET", campaign),
            ["GET /api/campaigns/{code}/worklists"] = new("GET", $"{campaign}/worklists"),
            ["POST /api/campaigns/{code}/submission"] = new("POST", $"{campaign}/submission"),
            ["POST /api/campaigns/{code}/approval"] = new("POST", $"{campaign}/approval"),
            ["POST /api/campaigns/{code}/launch"] = new("POST", $"{campaign}/launch"),
            ["POST /api/campaigns/{code}/costs"] = new("POST", $"{campaign}/costs", new RecordCost(100m, "printing", today)),
            ["POST /api/campaigns/{code}/audience"] = new("POST", $"{campaign}/audience", new AssignAudience(WholeBranch: true)),
            ["POST /api/campaigns/{code}/closure"] = new("POST", $"{campaign}/closure", new CloseCampaign()),

            // FootTraffic
            ["GET /api/lobby-events/{id:guid}"] = new("GET", lobby),
            ["GET /api/lobby-events/{id:guid}/guests"] = new("GET", $"{lobby}/guests"),
            ["POST /api/lobby-events/{id:guid}/attendance"] = new("POST", $"{lobby}/attendance", new CheckInAttendee(customerId, null, null, null, null)),
            ["POST /api/queue/tickets/{id:guid}/events"] = new("POST", $"/api/queue/tickets/{ticketId}/events", new QueueEvent("called", null, "1")),
            ["GET /api/traffic/rosters/{branchCode}"] = new("GET", $"/api/traffic/rosters/{BranchA}"),
            ["PUT /api/traffic/rosters/{branchCode}"] = new("PUT", $"/api/traffic/rosters/{BranchA}", new List<RosterSlotView> { new(1, 9, 2) }),

            // Insights
            ["GET /api/segmentation/customers/{customerId:guid}"] = new("GET", $"/api/segmentation/customers/{customerId}"),
            ["GET /api/uplift/campaigns/{campaignCode}/effect"] = new("GET", $"/api/uplift/campaigns/{campaignCode}/effect"),
        };
    }
}
