using System.Net;
using System.Net.Http.Json;
using System.Security.Claims;
using System.Text.RegularExpressions;
using BankClientele.Acquisition.Campaigns;
using BankClientele.Acquisition.Prospects;
using BankClientele.CustomerCare.Assignment;
using BankClientele.CustomerCare.Revisits;
using BankClientele.CustomerCare.Webhooks;
using BankClientele.FootTraffic.Lobby;
using BankClientele.FootTraffic.Visits;
using BankClientele.Hosting.Auth;
using BankClientele.Hosting.Customers;
using BankClientele.Hosting.Privacy;
using BankClientele.Hosting.Time;
using BankClientele.Portal.Exports;
using BankClientele.Portal.Services;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Primitives;

namespace BankClientele.Hosting.Tests.Privacy;

/// <summary>
/// A customer, a prospect and an identified walk-in whose card/account, phone and ID numbers are in
/// their records and in the free text staff type about them (revisit notes, a reassignment's reason,
/// an unmasking's reason, a contact's note, tags, a walk-in's interest, an event's theme), seeded
/// through the services' own APIs and feeds. Then every GET route of every service, read from its
/// endpoint list, is called as each staff role, every portal export is written for each role, the
/// manager's calendar feed is read, and every log line the four services wrote meanwhile is
/// scanned: no full number anywhere, except in the explicit audited view of the people entitled to it.
/// </summary>
[NonParallelizable]
public sealed partial class RouteLeakTests
{
    // Card and account numbers (16-19 digits), resident ID numbers (17 digits and a check digit or X),
    // mainland mobiles; not inside a longer run, a hex hash or a decimal fraction.
    [GeneratedRegex(@"(?<![\dA-Za-z.])(?:\d{16,19}|\d{17}[\dXx]|1[3-9]\d{9})(?![\dA-Za-z]|\.\d)")]
    private static partial Regex Leak();

    // A W3C trace id in a problem's traceId: its span id is 16 hex digits, now and then all decimal ones.
    [GeneratedRegex("00-[0-9a-f]{32}-[0-9a-f]{16}-0[0-9]")]
    private static partial Regex TraceParent();

    /// <summary>GET routes the walk leaves out, and why.</summary>
    private static readonly Dictionary<string, string> LeftOut = new()
    {
        ["GET /calendar/{token}.ics"] = "anonymous, addressed by a manager's secret link: read below through a real link",
        ["GET /hangfire/{**path}"] = "the jobs dashboard (administrators only): HTML about jobs, whose arguments are ids",
    };

    /// <summary>Routes that may answer no role (404), and why: the scan still reads what they answer.</summary>
    private static readonly Dictionary<string, string> MayFindNothing = new()
    {
        ["GET /api/uplift/campaigns/{campaignCode}/effect"] = "the effect needs an audience with weeks of daily balances (CampaignEffect tests)",
        ["GET /api/uplift/lobby-events"] = "the uplift needs weeks of daily balances around events (UpliftDemoTests)",
        ["GET /api/uplift/power"] = "the design needs two or more customers' balances of the branch in the uplift store (figures only)",
    };

    /// <summary>
    /// The explicit unmasked view: the customer's (or prospect's) own manager and their branch lead read the
    /// numbers in full, with a stated reason, and each view is recorded (PersonalDataTests). For those two roles
    /// the answer is the numbers by design and is not scanned; every other role must be refused (and is scanned).
    /// </summary>
    private static readonly HashSet<string> UnmaskedView =
    [
        "GET /api/customers/{id:guid}/personal-data",
        "GET /api/prospects/{id:guid}/personal-data",
    ];

    private static string Digits(int n) => string.Concat(Enumerable.Range(0, n).Select(_ => (char)('0' + Random.Shared.Next(10))));

    private sealed record Numbers(string Phone, string IdNumber, string Account)
    {
        public static Numbers New() => new($"139{Digits(8)}", IdNumberOf($"11010519491231{Digits(3)}"), $"622202{Digits(13)}");

        /// <summary>A resident ID number with its GB 11643 check character.</summary>
        private static string IdNumberOf(string first17)
        {
            int[] weights = [7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2];
            var sum = first17.Select((c, i) => (c - '0') * weights[i]).Sum();
            return first17 + "10X98765432"[sum % 11];
        }

        public IEnumerable<string> All => [Phone, IdNumber, Account];

        /// <summary>The numbers as staff type them in free text.</summary>
        public string Text => $"卡号 {Account}，手机 {Phone}，身份证 {IdNumber}";
    }

    private sealed record Seeded(string Branch, string Manager, Guid Customer, string CustomerNumber, Guid Prospect, string Campaign, Guid LobbyEvent, Guid WalkIn);

    [Test]
    public async Task No_answer_of_any_route_export_calendar_or_log_holds_a_full_number()
    {
        var recordings = TestSystem.All.Select(host => host.Logs.Record()).ToList();
        var started = DateTimeOffset.UtcNow;
        try
        {
            var customer = Numbers.New();
            var prospect = Numbers.New();
            var walkIn = Numbers.New();
            var seeded = await SeedAsync(customer, prospect, walkIn);
            var secrets = customer.All.Concat(prospect.All).Concat(walkIn.All).ToList();

            var staff = new[]
            {
                Tokens.RelationshipManager(seeded.Manager, seeded.Branch), Tokens.BranchLead(seeded.Branch),
                Tokens.RegionHead(seeded.Branch, TestServers.UniqueBranch()), Tokens.HeadOffice, Tokens.Administrator,
            };
            var answers = new List<(string What, string Text)>();
            var scanned = new List<string>();
            var problems = new List<string>();
            foreach (var host in TestSystem.All)
            {
                var service = host.Name;
                foreach (var route in GetRoutes(host.Services))
                {
                    if (LeftOut.ContainsKey(route))
                    {
                        continue;
                    }
                    var path = PathOf(route, seeded);
                    if (path is null)
                    {
                        problems.Add($"{service} {route}: no path for its parameters (give it one in PathOf, or leave it out with the reason)");
                        continue;
                    }
                    var answered = new List<string>();
                    foreach (var member in staff)
                    {
                        if (UnmaskedView.Contains(route) && PersonalDataAudit.MayUnmask(DataScope.Of(Principal(member))))
                        {
                            continue;
                        }
                        using var client = host.ClientFor(member);
                        using var response = await client.GetAsync(path);
                        var text = await response.Content.ReadAsStringAsync();
                        answers.Add(($"{service} {member.Role} GET {path} -> {(int)response.StatusCode}", text));
                        if (response.StatusCode == HttpStatusCode.OK)
                        {
                            answered.Add(member.Role);
                        }
                        else if (response.StatusCode is not (HttpStatusCode.Forbidden or HttpStatusCode.NotFound))
                        {
                            problems.Add($"{service} {member.Role} GET {path} -> {(int)response.StatusCode}: {text[..Math.Min(text.Length, 300)]}");
                        }
                    }
                    if (answered.Count == 0 && !UnmaskedView.Contains(route) && !MayFindNothing.ContainsKey(route))
                    {
                        problems.Add($"{service} {route}: no role got an answer to scan");
                    }
                    scanned.Add($"{service} {route} ({path}): {(answered.Count == 0 ? "refused to all" : string.Join(", ", answered))}");
                }
            }
            Assert.That(problems, Is.Empty, $"every GET route answers each role (or refuses it) when given the seeded objects:\n{string.Join('\n', problems)}");

            // Every portal export, as each role, as the portal writes it (both formats).
            foreach (var member in staff)
            {
                var api = PortalApi(member);
                var query = new QueryCollection(new Dictionary<string, StringValues>
                {
                    ["branch"] = seeded.Branch, ["branchCode"] = seeded.Branch, ["id"] = seeded.Customer.ToString(), ["campaign"] = seeded.Campaign,
                });
                foreach (var (name, source) in ExportEndpoints.Sources)
                {
                    var table = await source(api, query, CancellationToken.None);
                    if (table.Problem is not null)
                    {
                        answers.Add(($"export {name} as {member.Role}: {table.Problem}", table.Problem));
                        continue;
                    }
                    foreach (var format in new[] { "csv", "xlsx" })
                    {
                        answers.Add(($"export {name}.{format} as {member.Role}", await LeakScan.ExportTextAsync(table, format)));
                    }
                }
            }

            // The manager's calendar feed (anonymous, by their secret link).
            var feed = await LeakScan.CalendarFeedAsync(staff[0]);
            Assert.That(feed, Does.Contain("VEVENT"), "the calendar lists the revisits");
            answers.Add(("calendar feed", feed));

            // Every event the four services wrote meanwhile, as it went (or goes) on the bus.
            foreach (var host in TestSystem.All)
            {
                await using var db = host.NewServiceDbContext();
                var events = await db.OutboxMessages.AsNoTracking().Where(m => m.CreatedAt >= started).Select(m => new { m.MessageType, m.Body }).ToListAsync();
                answers.AddRange(events.Select(e => ($"event {host.Name} {e.MessageType}", e.Body)));
            }
            Assert.That(answers.Any(a => a.What.EndsWith("ProspectsRecorded", StringComparison.Ordinal)), "the events were read");

            // Masked forms were served: the scan looked at real records.
            var all = string.Join('\n', answers.Select(a => a.Text));
            Assert.That(all, Does.Contain(customer.Account[..6]).And.Contain(customer.Account[^4..]), "the customer's account was served masked");
            Assert.That(all, Does.Contain($"{prospect.Phone[..3]}****{prospect.Phone[^4..]}"), "the prospect's phone was served masked");

            await TestContext.Out.WriteLineAsync($"{scanned.Count} GET routes scanned for {string.Join(", ", staff.Select(s => s.Role))}:");
            foreach (var line in scanned)
            {
                await TestContext.Out.WriteLineAsync($"  {line}");
            }
            foreach (var (route, reason) in MayFindNothing)
            {
                await TestContext.Out.WriteLineAsync($"  may find nothing: {route} ({reason})");
            }
            foreach (var (route, reason) in LeftOut)
            {
                await TestContext.Out.WriteLineAsync($"  left out: {route} ({reason})");
            }
            await TestContext.Out.WriteLineAsync($"  unmasked view, not scanned for the customer's manager and branch lead: {string.Join(", ", UnmaskedView)}");
            await TestContext.Out.WriteLineAsync($"{answers.Count(a => a.What.StartsWith("export", StringComparison.Ordinal))} exports written ({ExportEndpoints.Sources.Count} tables × roles × formats).");

            var leaks = Leaks(answers, secrets);
            var logs = recordings.SelectMany(r => r.Lines).ToList();
            await TestContext.Out.WriteLineAsync($"{logs.Count} log lines recorded from the four services (at their shipped levels): " +
                string.Join(", ", logs.GroupBy(l => $"{l.Category} {l.Level}").Select(g => $"{g.Key} ×{g.Count()}")));
            var logLeaks = Leaks(logs.Select(l => ($"log {l.Category}", l.ToString())), secrets);
            using (Assert.EnterMultipleScope())
            {
                Assert.That(leaks, Is.Empty, $"a full number in an answer:\n{string.Join('\n', leaks)}");
                Assert.That(logs, Is.Not.Empty, "the services' log lines were recorded");
                Assert.That(logLeaks, Is.Empty, $"a full number in a log line:\n{string.Join('\n', logLeaks)}");
            }
        }
        finally
        {
            recordings.ForEach(r => r.Dispose());
        }
    }

    /// <summary>Each full number found, once per context, with where it was found.</summary>
    private static List<string> Leaks(IEnumerable<(string What, string Text)> texts, IReadOnlyList<string> secrets) =>
        texts.SelectMany(a => secrets.Where(s => a.Text.Contains(s, StringComparison.Ordinal))
                .Concat(Leak().Matches(TraceParent().Replace(a.Text, "00-trace")).Select(m => m.Value)).Distinct()
                .Select(number => (a.What, Found: $"{number} in …{Around(a.Text, number)}…")))
            .GroupBy(l => l.Found, StringComparer.Ordinal)
            .Select(g => $"{g.Key}  [{string.Join("; ", g.Select(l => l.What).Take(3))}{(g.Count() > 3 ? $"; {g.Count() - 3} more" : "")}]")
            .ToList();

    private static string Around(string text, string number)
    {
        var at = text.IndexOf(number, StringComparison.Ordinal);
        var from = Math.Max(0, at - 80);
        return text[from..Math.Min(text.Length, at + number.Length + 40)].ReplaceLineEndings(" ");
    }

    /// <summary>Every GET route of a service (a route with no method metadata answers GET as well).</summary>
    private static IEnumerable<string> GetRoutes(IServiceProvider services) =>
        services.GetRequiredService<EndpointDataSource>().Endpoints.OfType<RouteEndpoint>()
            .Where(e => e.Metadata.GetMetadata<HttpMethodMetadata>()?.HttpMethods.Contains(HttpMethods.Get) ?? true)
            .Select(e => $"GET {(e.RoutePattern.RawText!.TrimEnd('/') is { Length: > 0 } raw ? raw : "/")}")
            .Distinct().Order(StringComparer.Ordinal);

    /// <summary>The path to call for a route: its parameters filled with the seeded objects, and the query the route needs.</summary>
    private static string? PathOf(string route, Seeded s)
    {
        var from = BranchClock.DayOf(DateTimeOffset.UtcNow).AddDays(-30).ToString("yyyy-MM-dd", System.Globalization.CultureInfo.InvariantCulture);
        var to = BranchClock.DayOf(DateTimeOffset.UtcNow).AddDays(30).ToString("yyyy-MM-dd", System.Globalization.CultureInfo.InvariantCulture);
        var path = route["GET ".Length..]
            .Replace("{id:guid}", route.Contains("/prospects/", StringComparison.Ordinal) ? s.Prospect.ToString()
                : route.Contains("/lobby-events/", StringComparison.Ordinal) ? s.LobbyEvent.ToString() : s.Customer.ToString(), StringComparison.Ordinal)
            .Replace("{customerId:guid}", s.Customer.ToString(), StringComparison.Ordinal)
            .Replace("{code}", route.Contains("/campaigns/", StringComparison.Ordinal) ? s.Campaign : s.Branch, StringComparison.Ordinal)
            .Replace("{campaignCode}", s.Campaign, StringComparison.Ordinal)
            .Replace("{branchCode}", s.Branch, StringComparison.Ordinal);
        if (path.Contains('{', StringComparison.Ordinal))
        {
            return null;
        }
        var query = route switch
        {
            "GET /api/customers/{id:guid}/personal-data" or "GET /api/prospects/{id:guid}/personal-data" => $"reason=回访核对 {Uri.EscapeDataString(s.Manager)}",
            "GET /api/customers/{id:guid}/reassignment/what-if" => $"relationshipManagerId={s.Manager}",
            "GET /api/assignment/customers" => $"branchCode={s.Branch}&name=王",
            "GET /api/traffic/erlang-c" => "arrivalsPerHour=30&handleMinutes=6",
            "GET /api/uplift/power" => $"branch={s.Branch}&effect=100",
            _ => $"branchCode={s.Branch}&from={from}&to={to}",
        };
        return $"{path}?{query}";
    }

    private static ClaimsPrincipal Principal(StaffIdentity staff)
    {
        var claims = new List<Claim> { new(StaffClaims.StaffId, staff.StaffId), new(StaffClaims.Name, staff.Name), new(ClaimTypes.Role, staff.Role) };
        if (staff.BranchCode is not null)
        {
            claims.Add(new Claim(StaffClaims.Branch, staff.BranchCode));
        }
        claims.AddRange((staff.RegionBranches ?? []).Select(b => new Claim(StaffClaims.RegionBranch, b)));
        return new ClaimsPrincipal(new ClaimsIdentity(claims, "test"));
    }

    /// <summary>The portal's service API as <paramref name="staff"/>, calling the four hosted services.</summary>
    private static ServiceApi PortalApi(StaffIdentity staff) =>
        new(new HostedServiceClients(), new StaffTokenIssuer(Tokens.Options), NullLogger<ServiceApi>.Instance) { Caller = Principal(staff) };

    private sealed class HostedServiceClients : IHttpClientFactory
    {
        public HttpClient CreateClient(string name) => name switch
        {
            ServiceNames.CustomerCare => TestSystem.CustomerCare.CreateClient(),
            ServiceNames.Acquisition => TestSystem.Acquisition.CreateClient(),
            ServiceNames.FootTraffic => TestSystem.FootTraffic.CreateClient(),
            ServiceNames.Insights => TestSystem.Insights.CreateClient(),
            _ => throw new ArgumentOutOfRangeException(nameof(name), name, "not a service"),
        };
    }

    /// <summary>
    /// The people and what staff wrote about them, through the services' APIs and feeds: a customer of the
    /// core-banking feed (ID number, phone, a maturing deposit's account, a tag), assigned to a manager with
    /// a reason naming their numbers, a visit logged and a revisit row of before the masking rule with them in
    /// the notes, an unmasking with them in the reason; a prospect (phone, ID number, tags) with a contact note;
    /// a campaign; a lobby event; a walk-in identified at the door with the numbers in their interest; a queue
    /// ticket and a door check-in by phone.
    /// </summary>
    private static async Task<Seeded> SeedAsync(Numbers customer, Numbers prospect, Numbers walkIn)
    {
        var branch = TestServers.UniqueBranch();
        var manager = $"RM-{branch}";
        var lead = Tokens.BranchLead(branch);
        var rm = Tokens.RelationshipManager(manager, branch);
        var today = BranchClock.DayOf(DateTimeOffset.UtcNow);
        string Day(DateOnly d) => d.ToString("yyyy-MM-dd", System.Globalization.CultureInfo.InvariantCulture);
        await TestSystem.Services.AddRelationshipManagerAsync(manager, branch);

        // CustomerCare: the core-banking feed, as the bank sends it.
        var number = ServiceSystem.NewCustomerNumber();
        var customerId = CustomerIds.FromCustomerNumber(number);
        await TestSystem.Services.ImportFeedAsync("customers",
            "customer_number,full_name,gender,birth_date,id_type,id_number,phone,city,district,branch_code,occupation,risk_level,risk_assessed_on,tags\n" +
            $"{number},王小明,M,1949-12-31,ID,{customer.IdNumber},{customer.Phone},上海,浦东新区,{branch},教师,C3,{Day(today.AddDays(-30))},理财客户|回拨 {customer.Phone}\n");
        await TestSystem.Services.ImportFeedAsync("holdings", "account_number,customer_number,product_code,opened_on,matures_on,balance\n" +
            $"{customer.Account},{number},TD-1Y,{Day(today.AddYears(-1))},{Day(today.AddDays(10))},600000.00\n");
        await TestSystem.Services.ImportFeedAsync("balances", "customer_number,date,deposit,wealth\n" +
            string.Concat(Enumerable.Range(1, 5).Select(d => $"{number},{Day(today.AddDays(-d))},600000.00,0\n")));
        using (var leadClient = TestSystem.CustomerCare.ClientFor(lead))
        {
            var assigned = await leadClient.PostAsJsonAsync($"/api/customers/{customerId}/reassignment", new Reassign(manager, $"客户要求换经理，{customer.Text}"));
            Assert.That(assigned.StatusCode, Is.EqualTo(HttpStatusCode.OK), await assigned.Content.ReadAsStringAsync());
            var webhook = await leadClient.PutAsJsonAsync($"/api/branches/{branch}/webhook", new SaveBranchWebhook("https://qyapi.weixin.qq.com/cgi-bin/webhook/send?key=leak-test", WebhookFormats.WeCom));
            Assert.That(webhook.StatusCode, Is.EqualTo(HttpStatusCode.OK), await webhook.Content.ReadAsStringAsync());
        }
        using (var rmClient = TestSystem.CustomerCare.ClientFor(rm))
        {
            var logged = await rmClient.PostAsJsonAsync("/api/revisits", new LogVisit(customerId, "phone", $"已联系 {customer.Phone}", $"客户确认 {customer.Text}", today.AddDays(5), $"核对 {customer.Account}"));
            Assert.That(logged.StatusCode, Is.EqualTo(HttpStatusCode.Created).Or.EqualTo(HttpStatusCode.OK), await logged.Content.ReadAsStringAsync());
            var unmasked = await rmClient.GetAsync($"/api/customers/{customerId}/personal-data?reason={Uri.EscapeDataString($"客户来电 {customer.Phone} 核对账户 {customer.Account}")}");
            Assert.That(unmasked.StatusCode, Is.EqualTo(HttpStatusCode.OK), await unmasked.Content.ReadAsStringAsync());
        }
        await using (var db = TestSystem.CustomerCare.NewDbContext())
        {
            // A row written before the rule: the whole numbers in its detail and notes.
            db.Revisits.Add(new Revisit
            {
                Id = Guid.NewGuid(), CustomerId = customerId, BranchCode = branch, RelationshipManagerId = manager, Reason = RevisitReasons.FlightRisk,
                DueOn = today.AddDays(2), CreatedAt = DateTimeOffset.UtcNow, Detail = $"TD-1Y {customer.Account} matures, call {customer.Phone}", Notes = $"ID {customer.IdNumber}",
            });
            await db.SaveChangesAsync();
        }
        using (var admin = TestSystem.CustomerCare.ClientFor(Tokens.Administrator))
        {
            Assert.That((await admin.PostAsync($"/api/revisits/run?asOf={Day(today)}", null)).StatusCode, Is.EqualTo(HttpStatusCode.OK));
        }

        // Acquisition: a prospect with their numbers, a contact note naming them, and a campaign of the branch.
        var campaign = $"LK-{branch}";
        Guid prospectId;
        using (var acquisition = TestSystem.Acquisition.ClientFor(lead))
        {
            var created = await acquisition.PostAsJsonAsync("/api/campaigns", new CreateCampaign(campaign, "存款提升", CampaignKinds.Targeted, branch, 10_000m, today));
            Assert.That(created.StatusCode, Is.EqualTo(HttpStatusCode.Created), await created.Content.ReadAsStringAsync());
            var recorded = await acquisition.PostAsJsonAsync("/api/prospects", new RecordProspect("李四", prospect.Phone, branch, campaign, prospect.IdNumber,
                Tags: $"转介绍 {prospect.Phone}", ConsentWording: "本人同意银行就理财产品与我联系，并为此保存我的姓名与手机号。"));
            Assert.That(recorded.StatusCode, Is.EqualTo(HttpStatusCode.Created), await recorded.Content.ReadAsStringAsync());
            prospectId = (await recorded.Content.ReadFromJsonAsync<ProspectCreated>())!.Id;
            var contact = await acquisition.PostAsJsonAsync($"/api/prospects/{prospectId}/contacts", new LogContact("phone", "interested", campaign, $"回拨 {prospect.Phone}，身份证 {prospect.IdNumber}"));
            Assert.That(contact.StatusCode, Is.EqualTo(HttpStatusCode.OK).Or.EqualTo(HttpStatusCode.Created), await contact.Content.ReadAsStringAsync());
            var unmasked = await acquisition.GetAsync($"/api/prospects/{prospectId}/personal-data?reason={Uri.EscapeDataString($"回拨 {prospect.Phone}")}");
            Assert.That(unmasked.StatusCode, Is.EqualTo(HttpStatusCode.OK), await unmasked.Content.ReadAsStringAsync());
        }

        // FootTraffic: a lobby event, a walk-in identified at the door, a ticket and a check-in by phone.
        Guid lobbyEventId, walkInId;
        using (var traffic = TestSystem.FootTraffic.ClientFor(lead))
        {
            var starts = DateTimeOffset.UtcNow.AddHours(-1);
            var planned = await traffic.PostAsJsonAsync("/api/lobby-events", new PlanLobbyEvent(branch, $"理财沙龙 咨询 {walkIn.Phone}", starts, starts.AddHours(3), 30, 2_000m, null, null, null, [prospectId]));
            Assert.That(planned.StatusCode, Is.EqualTo(HttpStatusCode.Created), await planned.Content.ReadAsStringAsync());
            lobbyEventId = (await planned.Content.ReadFromJsonAsync<LobbyEventView>())!.Id;
            var captured = await traffic.PostAsJsonAsync("/api/walk-ins", new CaptureWalkIn(branch, "赵六", walkIn.Phone, $"开户 {walkIn.IdNumber}", lobbyEventId, true,
                "本人同意银行就理财产品与我联系，并为此保存我的姓名与手机号。", null));
            Assert.That(captured.StatusCode, Is.EqualTo(HttpStatusCode.Created), await captured.Content.ReadAsStringAsync());
            walkInId = (await captured.Content.ReadFromJsonAsync<WalkInView>())!.Id;
            var ticket = await traffic.PostAsJsonAsync("/api/queue/tickets", new IssueTicket(branch, "A001", "cash", null, number, customer.Phone));
            Assert.That(ticket.StatusCode, Is.EqualTo(HttpStatusCode.Created), await ticket.Content.ReadAsStringAsync());
            var door = await traffic.PostAsJsonAsync("/api/visits/check-ins", new GreeterCheckIn(branch, null, customer.Phone, "理财咨询", null));
            Assert.That(door.StatusCode, Is.EqualTo(HttpStatusCode.Created).Or.EqualTo(HttpStatusCode.OK), await door.Content.ReadAsStringAsync());
        }

        // What the events carry on: the customer in FootTraffic's directory and Insights' store, the walk-in's lead in Acquisition.
        await Poll.UntilAsync(async () =>
        {
            await using var db = TestSystem.FootTraffic.NewDbContext();
            return await db.KnownCustomers.AnyAsync(c => c.CustomerId == customerId);
        }, found => found, "the customer in FootTraffic's directory");
        await Poll.UntilAsync(async () =>
        {
            await using var db = TestSystem.Acquisition.NewDbContext();
            return await db.Prospects.AnyAsync(p => p.Id == walkInId);
        }, found => found, "the walk-in's lead in Acquisition");
        // Insights: the segmentation run over what the events brought (the customer's balances).
        using (var insights = TestSystem.Insights.ClientFor(Tokens.HeadOffice))
        {
            await Poll.UntilAsync(async () =>
            {
                (await insights.PostAsync("/api/segmentation/run", null)).EnsureSuccessStatusCode();
                return (await insights.GetAsync($"/api/segmentation/customers/{customerId}")).StatusCode;
            }, status => status == HttpStatusCode.OK, "the customer's segment in Insights");
        }
        return new Seeded(branch, manager, customerId, number, prospectId, campaign, lobbyEventId, walkInId);
    }
}
