using System.Globalization;
using System.Net;
using System.Net.Http.Json;
using System.Text;
using BankClientele.Acquisition.Campaigns;
using BankClientele.FootTraffic.Lobby;
using BankClientele.Hosting.Auth;
using BankClientele.Hosting.Customers;
using BankClientele.Portal.Accounts;
using Microsoft.EntityFrameworkCore;
using Microsoft.Playwright;

namespace BankClientele.Portal.Tests.Lead;

/// <summary>
/// A branch lead's day in Chromium, on a branch of its own arranged through the services: the roster
/// against the advice, the door, an event's guests, a reassignment by name, a campaign's audience,
/// cost and worklists, and the branch's own figures.
/// </summary>
public sealed class BranchLeadDayTests : PortalPageTest
{
    private static readonly string Branch = TestServers.UniqueBranch("BL");
    private static readonly SaveStaffAccount Lead = new("ui.day.lead", PortalSystem.Password, "一日行长", StaffRoles.BranchLead, "UI-DAY-BL", Branch);
    private const string Walker = "欧阳修";
    private const string WalkerPhone = "13911112222";
    private static readonly string[] Others = ["柳永", "晏殊", "苏轼", "黄庭坚", "秦观"];
    private static readonly (string Id, string Name) ManagerOne = ("UI-DAY-RM1", "林经理");
    private static readonly (string Id, string Name) ManagerTwo = ("UI-DAY-RM2", "何经理");

    private static DateOnly nextMonday;
    private static Guid walkerId;
    private static readonly Dictionary<Guid, string> numbers = [];
    private static Guid lobbyEventId;
    private static Guid invitedId;
    private static string campaignCode = "";
    private static string kpiCampaign = "";
    private static string otherKpiCampaign = "";

    [OneTimeSetUp]
    public async Task ArrangeAsync()
    {
        var services = PortalSystem.Services;
        await services.AddRelationshipManagerAsync(ManagerOne.Id, Branch, capacity: 30, name: ManagerOne.Name);
        await services.AddRelationshipManagerAsync(ManagerTwo.Id, Branch, capacity: 30, name: ManagerTwo.Name);
        walkerId = await services.NewCustomerAsync(Branch, Walker, WalkerPhone);
        var ids = new List<Guid> { walkerId };
        foreach (var (name, i) in Others.Select((n, i) => (n, i)))
        {
            ids.Add(await services.NewCustomerAsync(Branch, name, $"1390000{i:0000}"));
        }

        // Every service learns the customers from the events: FootTraffic (the phone at the door), Acquisition (audience and managers).
        var known = await Poll.UntilAsync(async () =>
        {
            await using var db = services.FootTraffic.NewDbContext();
            return await db.KnownCustomers.Where(c => c.BranchCode == Branch).ToDictionaryAsync(c => c.CustomerId, c => c.CustomerNumber);
        }, found => found.Count == ids.Count, "foot traffic to learn the branch's customers");
        foreach (var (id, number) in known)
        {
            numbers[id] = number;
        }
        invitedId = ids[1];
        await Poll.UntilAsync(async () =>
        {
            await using var db = services.Acquisition.NewDbContext();
            return (await db.ExistingCustomers.CountAsync(c => c.BranchCode == Branch), await db.CustomerManagers.CountAsync(c => c.BranchCode == Branch));
        }, n => n == (ids.Count, ids.Count), "acquisition to learn the customers and their managers");

        // Seven of the last eight Mondays: 40 arrivals at 10:00, 6 minutes each.
        var today = DateOnly.FromDateTime(DateTime.UtcNow.AddHours(8));
        nextMonday = today.AddDays(7 - ((int)today.DayOfWeek + 6) % 7);
        var csv = new StringBuilder("branch_code,ticket_number,service_type,issued_at,called_at,counter,service_started_at,service_ended_at,abandoned_at,customer_number,phone\n");
        for (var week = 2; week <= 8; week++)
        {
            var day = nextMonday.AddDays(-7 * week);
            for (var i = 0; i < 40; i++)
            {
                var issued = new DateTimeOffset(day.ToDateTime(new TimeOnly(10, 0)), TimeSpan.FromHours(8)).AddSeconds(i * 90);
                string T(DateTimeOffset t) => t.ToString("yyyy-MM-ddTHH:mm:sszzz", CultureInfo.InvariantCulture);
                csv.Append(CultureInfo.InvariantCulture, $"{Branch},H{i + 1:000},存取款,{T(issued)},{T(issued.AddMinutes(2))},1,{T(issued.AddMinutes(2))},{T(issued.AddMinutes(8))},,,\n");
            }
        }
        using var traffic = services.FootTraffic.ClientFor(Tokens.BranchLead(Branch));
        var imported = await traffic.PostAsync("/api/visits/queue-log", new StringContent(csv.ToString(), Encoding.UTF8, "text/csv"));
        Assert.That(imported.StatusCode, Is.EqualTo(HttpStatusCode.OK), await imported.Content.ReadAsStringAsync());

        // A lobby event this afternoon inviting two customers.
        var starts = DateTimeOffset.UtcNow.AddHours(2);
        var planned = await traffic.PostAsJsonAsync("/api/lobby-events",
            new PlanLobbyEvent(Branch, "养老规划沙龙", starts, starts.AddHours(2), 20, 3_000m, null, null, [ids[1], ids[2]], null));
        Assert.That(planned.StatusCode, Is.EqualTo(HttpStatusCode.Created), await planned.Content.ReadAsStringAsync());
        lobbyEventId = (await planned.Content.ReadFromJsonAsync<LobbyEventView>())!.Id;

        // A targeted campaign, approved; its code chosen so that a half holdout splits the six customers both ways.
        campaignCode = Enumerable.Range(1, 50).Select(i => $"DAY{i}-{Branch}")
            .First(code => ids.Count(id => CampaignHoldout.IsControl(code, id, 0.5)) is > 0 and < 6);
        kpiCampaign = $"KPI-{Branch}";
        otherKpiCampaign = $"KPI-{PortalSystem.OtherBranch}-{Branch}";
        using var acquisition = services.Acquisition.ClientFor(Tokens.BranchLead(Branch));
        await CreateApprovedAsync(acquisition, campaignCode, Branch);
        await CreateApprovedAsync(acquisition, kpiCampaign, Branch);
        using var otherLead = services.Acquisition.ClientFor(Tokens.BranchLead(PortalSystem.OtherBranch));
        await CreateApprovedAsync(otherLead, otherKpiCampaign, PortalSystem.OtherBranch);
        // Yesterday: the KPI period ends on the service's (UTC) today, which early in a Beijing morning is still yesterday there.
        var today8 = DateOnly.FromDateTime(DateTime.UtcNow.AddHours(8)).AddDays(-1);
        (await acquisition.PostAsJsonAsync($"/api/campaigns/{kpiCampaign}/costs", new RecordCost(1_234m, "物料", today8))).EnsureSuccessStatusCode();
        (await otherLead.PostAsJsonAsync($"/api/campaigns/{otherKpiCampaign}/costs", new RecordCost(9_876m, "场地", today8))).EnsureSuccessStatusCode();
        await Poll.UntilAsync(async () =>
        {
            await using var db = services.Insights.NewDbContext();
            return await db.Set<BankClientele.Insights.Kpis.CampaignCost>().CountAsync(c => c.CampaignCode == kpiCampaign || c.CampaignCode == otherKpiCampaign);
        }, n => n == 2, "insights to learn both branches' costs");

        using var portal = new HttpClient { BaseAddress = PortalSystem.Portal.Address };
        portal.DefaultRequestHeaders.Authorization = new("Bearer", Tokens.For(Tokens.Administrator));
        (await portal.PutAsJsonAsync("/api/staff-accounts", Lead)).EnsureSuccessStatusCode();
    }

    private static async Task CreateApprovedAsync(HttpClient client, string code, string branch)
    {
        var created = await client.PostAsJsonAsync("/api/campaigns", new CreateCampaign(code, "存量客户回访", "targeted", branch, 50_000m,
            DateOnly.FromDateTime(DateTime.UtcNow), Channel: "phone", HoldoutFraction: 0.1));
        Assert.That(created.StatusCode, Is.EqualTo(HttpStatusCode.Created), await created.Content.ReadAsStringAsync());
        (await client.PostAsync($"/api/campaigns/{code}/approval", null)).EnsureSuccessStatusCode();
    }

    [Test]
    public async Task Editing_an_hours_roster_changes_its_gap_after_saving()
    {
        await SignInAsync(Lead);
        await Page.GotoAsync($"/traffic/roster?day={nextMonday:yyyy-MM-dd}");
        var gap = Page.GetByTestId("gap-counters-10");
        await Expect(gap).ToHaveAttributeAsync("data-status", "under");
        await Expect(Page.GetByTestId("forecast-10")).ToHaveTextAsync("35.0"); // 7 × 40 over the 8 weeks read
        var advised = int.Parse(await Page.GetByTestId("advised-counters-10").InnerTextAsync(), CultureInfo.InvariantCulture);
        Assert.That(advised, Is.GreaterThan(1));
        await Expect(Page.GetByTestId("advised-greeters-10")).ToHaveTextAsync("2");

        // The day's roster beside the advice exports per hour, with each gap and its word.
        var exported = await DownloadCsvAsync("traffic-roster");
        var rostered = await Page.GetByTestId("counters-10").InputValueAsync();
        var counterGap = int.Parse(rostered, CultureInfo.InvariantCulture) - advised;
        Assert.That(exported, Has.Some.EqualTo($"{nextMonday:yyyy-MM-dd},10:00–11:00,35,{advised},{rostered},{counterGap},缺,2,0,-2,缺"));

        await Page.GetByTestId("counters-10").FillAsync((advised + 3).ToString(CultureInfo.InvariantCulture));
        await Page.GetByTestId("greeters-10").FillAsync("2");
        await Page.GetByTestId("save-roster").ClickAsync();

        await Expect(Page.GetByTestId("roster-result")).ToContainTextAsync("排班已保存");
        await Expect(gap).ToHaveAttributeAsync("data-status", "over");
        await Expect(gap).ToContainTextAsync("+3");
        await Expect(Page.GetByTestId("gap-greeters-10")).ToHaveAttributeAsync("data-status", "ok");
        await Expect(Page.GetByTestId("counters-10")).ToHaveValueAsync((advised + 3).ToString(CultureInfo.InvariantCulture));
        using var traffic = PortalSystem.Services.FootTraffic.ClientFor(Tokens.BranchLead(Branch));
        var roster = await traffic.GetFromJsonAsync<List<BankClientele.FootTraffic.Staffing.RosterSlotView>>($"/api/traffic/rosters/{Branch}");
        Assert.That(roster!.Single(s => s is { Weekday: 1, Hour: 10 }), Is.EqualTo(new BankClientele.FootTraffic.Staffing.RosterSlotView(1, 10, advised + 3, 2)));
    }

    [Test]
    public async Task A_walk_in_checked_in_at_the_door_is_in_the_queue_recognised_by_phone_never_shown()
    {
        await SignInAsync(Lead);
        await Page.GotoAsync("/traffic/door");
        await Page.GetByTestId("checkin-ticket").FillAsync("W101");
        await Page.GetByTestId("checkin-service").SelectOptionAsync("理财咨询");
        await Page.GetByTestId("checkin-consent").CheckAsync();
        await Page.GetByTestId("checkin-phone").FillAsync(WalkerPhone);
        await Page.GetByTestId("checkin").ClickAsync();

        await Expect(Page.GetByTestId("checkin-result")).ToContainTextAsync("W101");
        await Expect(Page.GetByTestId("checkin-result")).ToContainTextAsync("已识别客户");
        var row = Page.GetByTestId("queue-ticket-W101");
        await Expect(row).ToContainTextAsync("理财咨询");
        await Expect(Page.GetByTestId("queue-waiting-list")).ToContainTextAsync("W101");
        await Expect(Page.GetByTestId("checkin-phone")).ToHaveValueAsync("");
        Assert.That(await Page.ContentAsync(), Does.Not.Contain(WalkerPhone), "the phone is never shown back");

        // Today's queue exports as the greeter sees it: waiting, the service worded, the tier or "known", never the phone.
        var queue = await DownloadCsvAsync("traffic-queue");
        var arrived = await row.Locator("td").Nth(2).InnerTextAsync();
        Assert.That(queue, Has.Some.Match($"^等候中,W101,理财咨询,\\d{{4}}-\\d{{2}}-\\d{{2}} {arrived},(已识别客户|[^,]+客户),\\d+,$"));
        Assert.That(string.Join("\n", queue), Does.Not.Contain(WalkerPhone));

        // The visit is the walker's: found by the phone's hash.
        await using var db = PortalSystem.Services.FootTraffic.NewDbContext();
        Assert.That(await db.Visits.Where(v => v.BranchCode == Branch && v.TicketNumber == "W101").Select(v => v.CustomerId).SingleAsync(), Is.EqualTo(walkerId));
    }

    [Test]
    public async Task An_invited_guest_and_a_drop_in_are_checked_in_from_the_events_page()
    {
        await SignInAsync(Lead);
        await Page.GotoAsync("/traffic/events");
        await Page.GetByTestId($"event-link-{lobbyEventId}").ClickAsync();
        await Expect(Page.GetByTestId("event-theme")).ToHaveTextAsync("养老规划沙龙");
        await Expect(Page.GetByTestId("event-attended")).ToHaveTextAsync("0");

        var guest = numbers[invitedId];
        await Expect(Page.GetByTestId($"guest-status-{guest}")).ToContainTextAsync("已邀请");
        await Page.GetByTestId($"checkin-{guest}").ClickAsync();
        await Expect(Page.GetByTestId($"guest-status-{guest}")).ToContainTextAsync("已签到");
        await Expect(Page.GetByTestId("event-attended")).ToHaveTextAsync("1");

        // The walker was not invited: checked in by their customer number.
        await Page.GetByTestId("guest-number").FillAsync(numbers[walkerId]);
        await Page.GetByTestId("guest-number-checkin").ClickAsync();
        await Expect(Page.GetByTestId("guest-result")).ToContainTextAsync(numbers[walkerId]);
        await Expect(Page.GetByTestId($"guest-status-{numbers[walkerId]}")).ToContainTextAsync("已签到");
        await Expect(Page.GetByTestId("event-attended")).ToHaveTextAsync("2");

        // The guest list exports: the invited guest checked in (Beijing time), as the page lists them; the
        // customer number masked as every exported cell's long numbers are (ExportCells).
        var status = await Page.GetByTestId($"guest-status-{guest}").InnerTextAsync();
        var guests = await DownloadCsvAsync("lobby-event-guests");
        var masked = System.Text.RegularExpressions.Regex.Escape(BankClientele.Hosting.Privacy.FreeText.MaskNumbers(guest)!);
        Assert.That(guests, Has.Some.Match($"^{masked},[^,]*,客户,{status},\\d{{4}}-\\d{{2}}-\\d{{2}} {status.Split(' ')[^1]}$"));
    }

    [Test]
    public async Task A_customer_is_moved_to_a_manager_picked_by_name_after_the_what_if()
    {
        var from = await CurrentManagerAsync();
        Assert.That(from, Is.Not.Null, "the converted customer got a manager");
        var to = from == ManagerOne.Id ? ManagerTwo : ManagerOne;

        await SignInAsync(Lead);
        await Page.GotoAsync("/care/assignment");
        await Page.GetByTestId("pick-customer-name").FillAsync("欧阳");
        await Page.GetByTestId("pick-manager-name").FillAsync(to.Name);
        await Page.GetByTestId("pick-search").ClickAsync();
        await Expect(Page.GetByTestId($"pick-customer-{numbers[walkerId]}")).ToBeCheckedAsync();
        await Expect(Page.GetByTestId($"pick-manager-{to.Id}")).ToBeCheckedAsync();
        await Page.GetByTestId("what-if").ClickAsync();

        var table = Page.GetByTestId("what-if-table");
        var toBefore = int.Parse(await Page.GetByTestId($"before-{to.Id}").InnerTextAsync(), CultureInfo.InvariantCulture);
        await Expect(Page.GetByTestId($"after-{to.Id}")).ToHaveTextAsync((toBefore + 1).ToString(CultureInfo.InvariantCulture));
        var fromBefore = int.Parse(await Page.GetByTestId($"before-{from}").InnerTextAsync(), CultureInfo.InvariantCulture);
        await Expect(Page.GetByTestId($"after-{from}")).ToHaveTextAsync((fromBefore - 1).ToString(CultureInfo.InvariantCulture));
        Assert.That(await CurrentManagerAsync(), Is.EqualTo(from), "the what-if moved no one");
        await Expect(table).ToContainTextAsync(to.Name);

        await Page.GetByTestId("reassign-reason").FillAsync("客户住得离何经理近");
        await Page.GetByTestId("reassign").ClickAsync();
        await Expect(Page.GetByTestId("reassign-result")).ToContainTextAsync(to.Name);
        Assert.That(await CurrentManagerAsync(), Is.EqualTo(to.Id));
    }

    private static async Task<string?> CurrentManagerAsync()
    {
        await using var db = PortalSystem.Services.CustomerCare.NewDbContext();
        return await db.Customers.Where(c => c.Id == walkerId).Select(c => c.RelationshipManagerId).SingleAsync();
    }

    [Test]
    public async Task A_campaigns_audience_is_drawn_with_a_holdout_a_cost_booked_and_the_worklists_hold_no_held_out_customer()
    {
        await SignInAsync(Lead);
        await Page.GotoAsync($"/acquisition/campaigns/{campaignCode}");
        await Page.GetByTestId("holdout").SelectOptionAsync("0.5");
        await Page.GetByTestId("draw-audience").ClickAsync();
        var control = numbers.Where(n => CampaignHoldout.IsControl(campaignCode, n.Key, 0.5)).Select(n => n.Value).ToList();
        var treated = numbers.Values.Except(control).ToList();
        await Expect(Page.GetByTestId("lead-result")).ToContainTextAsync($"营销组 {treated.Count} 人，对照组 {control.Count} 人");

        await Page.GetByTestId("cost-amount").FillAsync("1500");
        await Page.GetByTestId("cost-category").SelectOptionAsync("场地");
        await Page.GetByTestId("cost-date").FillAsync(DateOnly.FromDateTime(DateTime.UtcNow.AddHours(8)).ToString("yyyy-MM-dd", CultureInfo.InvariantCulture));
        await Page.GetByTestId("book-cost").ClickAsync();
        await Expect(Page.GetByTestId("lead-result")).ToContainTextAsync("1,500.00");
        await Expect(Page.GetByTestId("costs")).ToContainTextAsync("场地");

        var worklists = Page.GetByTestId("worklists");
        foreach (var number in treated)
        {
            await Expect(worklists.GetByTestId($"worklist-customer-{number}")).ToBeVisibleAsync();
        }
        foreach (var number in control)
        {
            await Expect(worklists.GetByTestId($"worklist-customer-{number}")).ToHaveCountAsync(0);
        }
        // One worklist per manager who looks after a treated customer (which ones depends on the random holdout).
        var treatedIds = numbers.Where(n => treated.Contains(n.Value)).Select(n => n.Key).ToList();
        await using (var db = PortalSystem.Services.CustomerCare.NewDbContext())
        {
            var managers = await db.Customers.Where(c => treatedIds.Contains(c.Id)).Select(c => c.RelationshipManagerId).Distinct().ToListAsync();
            foreach (var manager in managers)
            {
                var name = manager == ManagerOne.Id ? ManagerOne.Name : ManagerTwo.Name;
                await Expect(worklists).ToContainTextAsync(name + " ·", new() { Timeout = 15_000 });
            }
        }

        using var acquisition = PortalSystem.Services.Acquisition.ClientFor(Tokens.BranchLead(Branch));
        var lists = await acquisition.GetFromJsonAsync<List<Worklist>>($"/api/campaigns/{campaignCode}/worklists");
        Assert.That(lists!.SelectMany(l => l.Customers).Select(c => c.CustomerNumber), Is.EquivalentTo(treated));
    }

    [Test]
    public async Task The_branch_lead_opens_their_own_kpis_uplift_and_league_table_and_sees_only_their_branch()
    {
        await SignInAsync(Lead);
        await Expect(Page.GetByTestId("nav-insights/kpis")).ToBeVisibleAsync();
        await Page.GetByTestId("nav-insights/kpis").ClickAsync();
        await Expect(Page.GetByTestId("kpi-branch")).ToHaveTextAsync(Branch);
        await Expect(Page.Locator("body")).ToContainTextAsync(kpiCampaign);
        await Expect(Page.Locator("body")).Not.ToContainTextAsync(otherKpiCampaign);
        await Expect(Page.GetByTestId("market-share")).ToHaveCountAsync(0);

        await Page.GotoAsync("/insights/uplift");
        await Expect(Page.GetByTestId("uplift-branch")).ToHaveTextAsync(Branch);
        await Expect(Page.Locator("body")).Not.ToContainTextAsync(PortalSystem.OtherBranch);
        await Expect(Page.GetByTestId("lobby-effects")).ToHaveCountAsync(0);

        await Page.GotoAsync("/insights/league-table");
        await Expect(Page.GetByTestId("league-branch")).ToHaveTextAsync(Branch);
        await Expect(Page.Locator("body")).Not.ToContainTextAsync(PortalSystem.RelationshipManager.StaffId);

        // Straight to the service: another branch's figures are refused.
        using var insights = PortalSystem.Services.Insights.ClientFor(Tokens.BranchLead(Branch));
        Assert.That((await insights.GetAsync($"/api/kpis?branchCode={PortalSystem.OtherBranch}")).StatusCode, Is.EqualTo(HttpStatusCode.Forbidden));
        Assert.That((await insights.GetAsync($"/api/uplift/deposits?branchCode={PortalSystem.OtherBranch}")).StatusCode, Is.EqualTo(HttpStatusCode.Forbidden));
    }
}
