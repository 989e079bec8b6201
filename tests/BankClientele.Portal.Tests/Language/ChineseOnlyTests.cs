using System.Globalization;
using System.Net;
using System.Net.Http.Json;
using System.Text;
using System.Text.RegularExpressions;
using BankClientele.Acquisition.Campaigns;
using BankClientele.Acquisition.Partners;
using BankClientele.CustomerCare.Book;
using BankClientele.CustomerCare.Bundles;
using BankClientele.CustomerCare.Notifications;
using BankClientele.CustomerCare.Revisits;
using BankClientele.FootTraffic.Lobby;
using BankClientele.Hosting.Auth;
using BankClientele.Portal.Accounts;
using Microsoft.EntityFrameworkCore;
using Microsoft.Playwright;

namespace BankClientele.Portal.Tests.Language;

/// <summary>
/// One language: the services return codes and values, the portal words them. Each role signs in and
/// opens every page of its own navigation menu (read from the menu, not from a list here) over a branch
/// holding one of most things the services word as codes (every tier, lifecycle stage and value segment,
/// each revisit reason with the details the services compose, a campaign, a lead, a partner, a bundle,
/// a roster, a queue, a lobby event, notifications, audited views); no page may show a Latin word the
/// allow-list below does not name. The English pages, in turn, show no Chinese service word.
/// </summary>
public sealed partial class ChineseOnlyTests : PortalPageTest
{
    private static readonly string Branch = $"LG{Random.Shared.Next(100_000, 999_999)}";
    private static readonly string Region = "R" + Branch;
    private static readonly string Suffix = Branch[2..];
    private static readonly SaveStaffAccount Manager = new("ui.lang.rm", PortalSystem.Password, "语言经理", StaffRoles.RelationshipManager, $"{Branch}-RM1", Branch);
    private static readonly SaveStaffAccount Lead = new("ui.lang.lead", PortalSystem.Password, "语言行长", StaffRoles.BranchLead, $"{Branch}-BL1", Branch);
    private static readonly SaveStaffAccount RegionHead = new("ui.lang.region", PortalSystem.Password, "语言分行行长", StaffRoles.RegionHead, $"{Branch}-RH1", null, Region);
    private const string OtherManager = "二号经理";

    /// <summary>
    /// Latin words a Chinese page may show as they are, each because a Chinese banker reads it so:
    /// finance and marketing acronyms (KPI, CLV, RFM, CAC, ROI, VIP), file formats the page offers
    /// (CSV, xlsx), ID (证件 ID, staff ID), and the names of the systems an administrator runs
    /// (API, Hangfire, RabbitMQ, PostgreSQL); "English" is the language switch, in its own language.
    /// A word with a digit in it is a code, not a word (SH001, RM-SH001-01, TD-1Y, C3, P90), and so is
    /// one in capitals joined by a dash or slash (the campaign code CMP-TEST, the standard JR/T) and a
    /// branch code the services hold; numbers and dates have no letters: none of these is looked at.
    /// </summary>
    private static readonly HashSet<string> Allowed =
        ["KPI", "CLV", "RFM", "CAC", "ROI", "VIP", "CSV", "xlsx", "ID", "API", "Hangfire", "RabbitMQ", "PostgreSQL", "English"];

    private static Guid lobbyEventId;
    private static Guid customer360;

    public static IEnumerable<TestCaseData> Roles()
    {
        yield return new TestCaseData("relationship-manager").SetName("A_relationship_managers_pages_are_all_in_Chinese");
        yield return new TestCaseData("branch-lead").SetName("A_branch_leads_pages_are_all_in_Chinese");
        yield return new TestCaseData("region-head").SetName("A_region_heads_pages_are_all_in_Chinese");
        yield return new TestCaseData("head-office").SetName("Head_offices_pages_are_all_in_Chinese");
        yield return new TestCaseData("administrator").SetName("An_administrators_pages_are_all_in_Chinese");
    }

    private static SaveStaffAccount Account(string role) => role switch
    {
        "relationship-manager" => Manager,
        "branch-lead" => Lead,
        "region-head" => RegionHead,
        "head-office" => PortalSystem.HeadOffice,
        _ => PortalSystem.Administrator,
    };

    [OneTimeSetUp]
    public async Task ArrangeAsync()
    {
        var services = PortalSystem.Services;
        using (var portal = new HttpClient { BaseAddress = PortalSystem.Portal.Address })
        {
            portal.DefaultRequestHeaders.Authorization = new("Bearer", Tokens.For(Tokens.Administrator));
            (await portal.PutAsJsonAsync("/api/regions", new SaveRegion(Region, "语言测试分行", [Branch]))).EnsureSuccessStatusCode();
            foreach (var account in new[] { Manager, Lead, RegionHead })
            {
                (await portal.PutAsJsonAsync("/api/staff-accounts", account)).EnsureSuccessStatusCode();
            }
        }
        await services.AddRelationshipManagerAsync(Manager.StaffId, Branch, capacity: 4, name: Manager.DisplayName);
        await services.AddRelationshipManagerAsync($"{Branch}-RM2", Branch, capacity: 30, name: OtherManager);

        // Two customers through the whole flow (prospect, conversion, feed): every service learns them.
        var converted = new List<Guid> { await services.NewCustomerAsync(Branch, "赫连明"), await services.NewCustomerAsync(Branch, "拓跋云") };

        // The manager's book: every tier, lifecycle stage and value segment, one customer in the pool,
        // and a revisit of each reason with the details the services compose in their own words.
        var today = BankClientele.Hosting.Time.BranchClock.System.Today;
        string[] tiers = [CustomerTiers.Mass, CustomerTiers.Affluent, CustomerTiers.Wealth, CustomerTiers.HighNetWorth, CustomerTiers.PrivateBanking];
        string[] stages = ["Acquire", "Activate", "Retain", "Convert", "Convert"];
        string[] segments = ["Minimal", "Low", "Medium", "High", "High"];
        string[] names = ["皇甫谧", "公孙龙", "闻人杰", "澹台明", "宗政清", "濮阳兴"]; // surnames no other test uses: their masks (皇**) are this branch's own
        var book = new List<Guid>();
        await using (var db = services.CustomerCare.NewDbContext())
        {
            for (var i = 0; i < names.Length; i++)
            {
                var id = Guid.NewGuid();
                book.Add(id);
                db.Customers.Add(new Customer
                {
                    Id = id, CustomerNumber = $"8{Suffix}{i:D4}", FullName = names[i], Phone = $"1380000{i:D4}", BranchCode = Branch,
                    AccountNumber = $"62220{Random.Shared.NextInt64(10_000_000_000, 99_999_999_999)}",
                    RelationshipManagerId = i < tiers.Length ? Manager.StaffId : null, // the last waits in the pool
                    Tier = tiers[i % tiers.Length], AverageAssets = 100_000m * (i + 1), DepositBalance = 60_000m * (i + 1), BalanceDate = today,
                    JoinedAt = DateTimeOffset.UtcNow.AddYears(-1), LifecycleStage = stages[i % stages.Length], ValueSegment = segments[i % segments.Length],
                    Rfm = "345", ProbabilityAlive = 0.2 + 0.1 * i, ExpectedLifetimeValue = 10_000m * (i + 1), RiskLevel = 3, RiskAssessedOn = today.AddMonths(-1),
                });
            }
            (string Reason, string? Detail, int Days)[] revisits =
            [
                (RevisitReasons.Scheduled, "Wealth: every 60 days (at risk: Convert)", 0),
                (RevisitReasons.Scheduled, "follow-up (at risk: P(alive) 0.21, every 14 days)", 1),
                (RevisitReasons.Welcome, "new manager", 2),
                (RevisitReasons.Welcome, $"taking over from {Branch}-RM2", -3),
                (RevisitReasons.Maturity, $"TD-1Y 622202*********8653 matures {today.AddDays(7):yyyy-MM-dd}", 3),
                (RevisitReasons.FlightRisk, "deposits 800000 -> 450000 in 30 days", -1),
                (RevisitReasons.LobbyEvent, $"养老规划沙龙 {today:yyyy-MM-dd} 14:00", 4),
            ];
            customer360 = book[3];
            foreach (var (r, i) in revisits.Select((r, i) => (r, i)))
            {
                db.Revisits.Add(new Revisit
                {
                    Id = Guid.NewGuid(), CustomerId = book[i % tiers.Length], BranchCode = Branch, RelationshipManagerId = Manager.StaffId,
                    Reason = r.Reason, Detail = r.Detail, DueOn = today.AddDays(r.Days), EscalationLevel = r.Days < 0 ? 1 : 0, CreatedAt = DateTimeOffset.UtcNow.AddDays(-20),
                });
            }
            // The bell's inbox: a VIP at the door and a reminder, in the codes CustomerCare keeps.
            db.Set<Notification>().Add(new Notification { Id = Guid.NewGuid(), StaffId = Manager.StaffId, Kind = NotificationKinds.VipArrived, SubjectId = Guid.NewGuid(),
                CustomerId = book[4], BranchCode = Branch, Detail = NotificationWrites.Detail(CustomerTiers.PrivateBanking, "理财咨询"), CreatedAt = DateTimeOffset.UtcNow });
            db.Set<Notification>().Add(new Notification { Id = Guid.NewGuid(), StaffId = Manager.StaffId, Kind = NotificationKinds.ManagerReminder, SubjectId = Guid.NewGuid(),
                CustomerId = book[3], BranchCode = Branch, Detail = $"{RevisitReasons.Maturity} · {today:yyyy-MM-dd}", CreatedAt = DateTimeOffset.UtcNow.AddMinutes(-5) });
            await db.SaveChangesAsync();
        }

        // Bundles: a product of each kind in one bundle.
        using (var headOffice = services.CustomerCare.ClientFor(Tokens.HeadOffice))
        {
            (await headOffice.PutAsJsonAsync("/api/products", new SaveProduct($"TD-{Suffix}", "一年期定期存款", ProductKind.TimeDeposit, 12, 1, 50_000m))).EnsureSuccessStatusCode();
            (await headOffice.PutAsJsonAsync("/api/products", new SaveProduct($"WM-{Suffix}", "稳健理财", ProductKind.WealthManagement, null, 2, 10_000m))).EnsureSuccessStatusCode();
            (await headOffice.PutAsJsonAsync("/api/products", new SaveProduct($"FD-{Suffix}", "债券基金", ProductKind.Fund, null, 3, 1_000m))).EnsureSuccessStatusCode();
            (await headOffice.PutAsJsonAsync("/api/bundles", new SaveBundle($"B-{Suffix}", "定存加理财", $"TD-{Suffix}", [$"WM-{Suffix}", $"FD-{Suffix}"]))).EnsureSuccessStatusCode();
        }

        // The lead's audited actions: an unmasked view, a reassignment with its reason, a roster.
        using (var care = services.CustomerCare.ClientFor(Tokens.BranchLead(Branch)))
        {
            (await care.GetAsync($"/api/customers/{book[0]}/personal-data?reason={Uri.EscapeDataString("核对客户身份")}")).EnsureSuccessStatusCode();
            var moved = await care.PostAsJsonAsync($"/api/customers/{book[1]}/reassignment", new { relationshipManagerId = $"{Branch}-RM2", reason = "客户要求更换经理" });
            Assert.That(moved.StatusCode, Is.EqualTo(HttpStatusCode.OK), await moved.Content.ReadAsStringAsync());
        }

        // Foot traffic: eight weeks of a queue log, a roster, today's queue and a lobby event with invitations.
        var nextMonday = today.AddDays(7 - ((int)today.DayOfWeek + 6) % 7);
        var csv = new StringBuilder("branch_code,ticket_number,service_type,issued_at,called_at,counter,service_started_at,service_ended_at,abandoned_at,customer_number,phone\n");
        string[] serviceTypes = ["存取款", "理财咨询", "开户", "贷款"];
        for (var week = 1; week <= 8; week++)
        {
            var day = nextMonday.AddDays(-7 * week);
            for (var i = 0; i < 24; i++)
            {
                var issued = new DateTimeOffset(day.ToDateTime(new TimeOnly(10, 0)), TimeSpan.FromHours(8)).AddSeconds(i * 150);
                string T(DateTimeOffset t) => t.ToString("yyyy-MM-ddTHH:mm:sszzz", CultureInfo.InvariantCulture);
                var abandoned = i % 12 == 11;
                csv.Append(CultureInfo.InvariantCulture,
                    $"{Branch},A{i + 1:000},{serviceTypes[i % 4]},{T(issued)},{(abandoned ? "" : T(issued.AddMinutes(3)))},{(abandoned ? "" : "1")},{(abandoned ? "" : T(issued.AddMinutes(3)))},{(abandoned ? "" : T(issued.AddMinutes(9)))},{(abandoned ? T(issued.AddMinutes(20)) : "")},,\n");
            }
        }
        using var traffic = services.FootTraffic.ClientFor(Tokens.BranchLead(Branch));
        var imported = await traffic.PostAsync("/api/visits/queue-log", new StringContent(csv.ToString(), Encoding.UTF8, "text/csv"));
        Assert.That(imported.StatusCode, Is.EqualTo(HttpStatusCode.OK), await imported.Content.ReadAsStringAsync());
        var roster = Enumerable.Range(1, 5).SelectMany(d => Enumerable.Range(9, 8).Select(h => new { weekday = d, hour = h, counters = 1, greeters = 0 })).ToList();
        (await traffic.PutAsJsonAsync($"/api/traffic/rosters/{Branch}", roster)).EnsureSuccessStatusCode();
        (await traffic.PostAsJsonAsync("/api/queue/tickets", new { branchCode = Branch, ticketNumber = "G001", serviceType = "理财咨询" })).EnsureSuccessStatusCode();
        (await traffic.PostAsJsonAsync("/api/queue/tickets", new { branchCode = Branch, ticketNumber = "G002", serviceType = "开户" })).EnsureSuccessStatusCode();
        await Poll.UntilAsync(async () =>
        {
            await using var db = services.FootTraffic.NewDbContext();
            return await db.KnownCustomers.CountAsync(c => c.BranchCode == Branch);
        }, n => n == converted.Count, "foot traffic to learn the converted customers");
        var starts = DateTimeOffset.UtcNow.AddHours(3);
        var planned = await traffic.PostAsJsonAsync("/api/lobby-events",
            new PlanLobbyEvent(Branch, "养老规划沙龙", starts, starts.AddHours(2), 20, 3_000m, null, null, converted, null));
        Assert.That(planned.StatusCode, Is.EqualTo(HttpStatusCode.Created), await planned.Content.ReadAsStringAsync());
        lobbyEventId = (await planned.Content.ReadFromJsonAsync<LobbyEventView>())!.Id;

        // Acquisition: a campaign of each kind (one approved, with a cost), a lead, a partner.
        using var acquisition = services.Acquisition.ClientFor(Tokens.BranchLead(Branch));
        (await acquisition.PutAsJsonAsync("/api/partners", new SavePartner($"P-{Suffix}", "社区物业", Branch, $"REF{Suffix}", 200m))).EnsureSuccessStatusCode();
        foreach (var (kind, channel, code) in new[] { ("targeted", "phone", $"LG1-{Suffix}"), ("community-event", (string?)null, $"LG2-{Suffix}") })
        {
            var created = await acquisition.PostAsJsonAsync("/api/campaigns", new CreateCampaign(code, "存量客户回访", kind, Branch, 50_000m,
                today, Channel: channel, HoldoutFraction: kind == "targeted" ? 0.1 : 0,
                Place: kind == "targeted" ? null : "社区活动中心", Capacity: kind == "targeted" ? null : 50, ExpectedAttendance: kind == "targeted" ? null : 30));
            Assert.That(created.StatusCode, Is.EqualTo(HttpStatusCode.Created), await created.Content.ReadAsStringAsync());
        }
        (await acquisition.PostAsync($"/api/campaigns/LG1-{Suffix}/approval", null)).EnsureSuccessStatusCode();
        (await acquisition.PostAsJsonAsync($"/api/campaigns/LG1-{Suffix}/costs", new RecordCost(1_500m, "物料", today.AddDays(-1)))).EnsureSuccessStatusCode();
        await services.RecordProspectAsync(Tokens.RelationshipManager(Manager.StaffId, Branch), Branch, "钟离白");
    }

    /// <summary>
    /// One walk per role checks both things a page must be: in Chinese (at desktop width), and, for the roles
    /// that work on a phone (a manager on the move, a lead at the door with the greeter) and the administrator's
    /// staff, audit and import pages, no wider than 390 px without sideways scrolling (wide tables scroll inside
    /// their own box). One walk, not two, because the walk is the slow part of the suite.
    /// </summary>
    [TestCaseSource(nameof(Roles))]
    public async Task Every_page_of_the_menu_is_in_Chinese(string role)
    {
        var onPhone = role is "relationship-manager" or "branch-lead" or "administrator";
        await SignInAsync(Account(role));
        await Expect(Page.GetByTestId("nav")).ToBeVisibleAsync();

        // The pages of this role's menu, as the menu itself links them, and the links of its home page;
        // and the detail pages behind them where the branch's codes show: a customer's 360, a campaign, a lobby event.
        var pages = (await Page.GetByTestId("nav").Locator("a[href]").EvaluateAllAsync<string[]>("links => links.map(a => a.getAttribute('href'))"))
            .Select(href => href.StartsWith('/') ? href : "/" + href).ToList();
        Assert.That(pages, Is.Not.Empty);
        pages.AddRange((await Page.Locator("a[href^='/']").EvaluateAllAsync<string[]>("links => links.map(a => a.getAttribute('href'))"))
            .Where(p => !p.StartsWith("/export", StringComparison.Ordinal) && !p.StartsWith("/account/logout", StringComparison.Ordinal)
                && !p.StartsWith("/culture", StringComparison.Ordinal) && !p.StartsWith("/calendar", StringComparison.Ordinal)));
        pages.AddRange(role switch
        {
            "relationship-manager" => [$"/care/customers/{customer360}", $"/acquisition/campaigns/LG1-{Suffix}"],
            "branch-lead" => [$"/traffic/events/{lobbyEventId}", $"/acquisition/campaigns/LG2-{Suffix}", "/imports", "/traffic/door"],
            "administrator" => ["/admin/staff", "/admin/audit", "/imports"],
            _ => [],
        });
        pages = [.. pages.Distinct()];
        TestContext.Out.WriteLine($"{role} visits{(onPhone ? " (and at 390 px)" : "")}: {string.Join(", ", pages)}");

        var branches = await BranchCodesAsync();
        var found = new List<string>();
        var wide = new List<string>();
        foreach (var path in pages)
        {
            var words = (await LatinWordsOnAsync(path)).Where(w => !branches.Contains(w)).ToList();
            if (words.Count > 0)
            {
                found.Add($"{path}: {string.Join(" | ", words)}");
            }
            if (onPhone && await WidthAtPhoneAsync() is var width && width > 391)
            {
                wide.Add($"{path}: {width} px");
            }
        }

        Assert.That(found, Is.Empty, "English words on Chinese pages:\n" + string.Join("\n", found));
        Assert.That(wide, Is.Empty, "pages wider than the phone:\n" + string.Join("\n", wide));
    }

    /// <summary>
    /// The open page's width at 390×844, then back to the desktop: layout follows the viewport at once, and the
    /// bounded wait lets a chart that measures its box catch up before the page is called too wide.
    /// </summary>
    private async Task<int> WidthAtPhoneAsync()
    {
        await Page.SetViewportSizeAsync(390, 844);
        var deadline = DateTime.UtcNow.AddSeconds(2);
        int width;
        while ((width = await Page.EvaluateAsync<int>("document.documentElement.scrollWidth")) > 391 && DateTime.UtcNow < deadline)
        {
            await Task.Delay(100);
        }
        await Page.SetViewportSizeAsync(1366, 900);
        return width;
    }

    [Test]
    public async Task The_English_pages_show_no_Chinese_service_words()
    {
        await SignInAsync(Lead);
        await Expect(Page.GetByTestId("nav")).ToBeVisibleAsync();
        await Page.GotoAsync("/culture?c=en-US&redirect=/traffic");
        await Expect(Page.Locator("html")).ToHaveAttributeAsync("lang", "en-US");

        var found = new List<string>();
        foreach (var path in new[] { "/traffic", "/traffic/door", "/care/assignment", "/customers" })
        {
            await OpenAsync(path);
            // The page's own part (the header names the signed-in person, in their own name); people's
            // names (the managers', the customers' masked: 司**) are data, not words of the services.
            var text = await Page.Locator(".content").InnerTextAsync();
            string[] names = [Manager.DisplayName, OtherManager];
            var chinese = ChineseWord().Matches(text).Select(m => m.Value).Where(w => !w.EndsWith('*') && !names.Contains(w)).Distinct().ToList();
            if (chinese.Count > 0)
            {
                found.Add($"{path}: {string.Join(" | ", chinese)}");
            }
        }

        Assert.That(found, Is.Empty, "Chinese words on English pages:\n" + string.Join("\n", found));
    }

    /// <summary>
    /// The branch codes the services hold: identifiers whatever their letters (the other tests' branches, which
    /// head office sees, include some without a digit, UIRMD).
    /// </summary>
    private static async Task<HashSet<string>> BranchCodesAsync()
    {
        var services = PortalSystem.Services;
        await using var care = services.CustomerCare.NewDbContext();
        await using var acquisition = services.Acquisition.NewDbContext();
        await using var traffic = services.FootTraffic.NewDbContext();
        return
        [
            .. await care.Customers.Select(c => c.BranchCode).Union(care.RelationshipManagers.Select(m => m.BranchCode)).ToListAsync(),
            .. await acquisition.Prospects.Select(p => p.BranchCode).Union(acquisition.Campaigns.Select(c => c.BranchCode)).ToListAsync(),
            .. await traffic.Visits.Select(v => v.BranchCode).Union(traffic.LobbyEvents.Select(e => e.BranchCode)).ToListAsync(),
        ];
    }

    /// <summary>
    /// Opens a page and waits until the page itself says it is whole, not for a quiet network (half a second of
    /// nothing per page, about a minute over the walks): the load event (the whole response, its streamed parts
    /// included), no loading bar left, the header's bell live on the circuit (the interactive parts started), and
    /// every chart drawn (Radzen draws its svg, legend and axes only once the browser has measured its box).
    /// </summary>
    private async Task OpenAsync(string path)
    {
        var response = await Page.GotoAsync(path);
        Assert.That(response?.Status, Is.LessThan(400), path);
        await Expect(Page.Locator(".rz-progressbar-indeterminate")).ToHaveCountAsync(0);
        await Expect(Page.GetByTestId("bell")).ToHaveAttributeAsync("data-live", "true");
        await Expect(Page.Locator(".rz-chart:not(:has(svg))")).ToHaveCountAsync(0);
    }

    private async Task<List<string>> LatinWordsOnAsync(string path)
    {
        await OpenAsync(path);
        return LatinWords(await Page.EvaluateAsync<string>(VisibleText));
    }

    /// <summary>
    /// The page's visible text (<c>document.body.innerText</c>) without two things that are not words: icons (a
    /// ligature of the icon font, "account_balance", drawn as a picture and never read) and what the page marks
    /// <c>translate="no"</c>, HTML's own flag for text to leave as it is (sign-in names, queue names, addresses,
    /// a command to type). Both are hidden while the text is taken.
    /// </summary>
    private const string VisibleText = """
        () => {
            const hidden = [...document.body.querySelectorAll('*')].filter(e => e.getAttribute('translate') === 'no'
                || (e.children.length === 0 && /Material (Icons|Symbols)/i.test(getComputedStyle(e).fontFamily)));
            const shown = hidden.map(e => e.style.display);
            hidden.forEach(e => e.style.display = 'none');
            const text = document.body.innerText;
            hidden.forEach((e, i) => e.style.display = shown[i]);
            return text;
        }
        """;

    /// <summary>The Latin words of a text that are neither codes (a digit in them) nor allowed.</summary>
    public static List<string> LatinWords(string text) =>
        Token().Matches(text).Select(m => m.Value)
            .Where(w => w.Any(char.IsAsciiLetter) && !w.Any(char.IsAsciiDigit) && !Code().IsMatch(w) && !Allowed.Contains(w))
            .Distinct().ToList();

    /// <summary>A word: letters and digits, joined by - _ . / (so "flight-risk" and "TD-1Y" are one word each).</summary>
    [GeneratedRegex(@"[A-Za-z0-9]+(?:[-_./][A-Za-z0-9]+)*")]
    private static partial Regex Token();

    [GeneratedRegex("^[A-Z]+(?:[-/][A-Z]+)+$")]
    private static partial Regex Code();

    [GeneratedRegex(@"[\p{IsCJKUnifiedIdeographs}]+\**")]
    private static partial Regex ChineseWord();
}
