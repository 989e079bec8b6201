using System.Globalization;
using System.Net;
using System.Net.Http.Json;
using System.Text;
using System.Text.RegularExpressions;
using BankClientele.Acquisition.Prospects;
using BankClientele.FootTraffic.Staffing;
using BankClientele.Hosting.Auth;

namespace BankClientele.Portal.Tests.Traffic;

/// <summary>The foot-traffic pages in Chromium, on four weeks of queue logs imported for the UI branch.</summary>
public sealed class TrafficPageTests : PortalPageTest
{
    private const string ProspectName = "慕容雪";

    /// <summary>A branch of its own for the traffic figures, so that no other test's visit changes them.</summary>
    private static readonly string TrafficBranch = TestServers.UniqueBranch("UT");
    private static DateOnly firstMonday;

    [OneTimeSetUp]
    public async Task ArrangeAsync()
    {
        // The four weeks before this one: 10 arrivals in each hour 09-16 on weekdays, 30 at 10 on Mondays, 10 minutes each.
        var today = DateOnly.FromDateTime(DateTime.UtcNow.AddHours(8));
        firstMonday = today.AddDays(-((int)today.DayOfWeek + 6) % 7 - 28);
        var csv = new StringBuilder("branch_code,ticket_number,service_type,issued_at,called_at,counter,service_started_at,service_ended_at,abandoned_at,customer_number,phone\n");
        for (var day = firstMonday; day < firstMonday.AddDays(28); day = day.AddDays(1))
        {
            if (day.DayOfWeek is DayOfWeek.Saturday or DayOfWeek.Sunday) { continue; }
            var ticket = 0;
            for (var hour = 9; hour < 17; hour++)
            {
                var n = day.DayOfWeek == DayOfWeek.Monday && hour == 10 ? 30 : 10;
                for (var i = 0; i < n; i++)
                {
                    var issued = new DateTimeOffset(day.ToDateTime(new TimeOnly(hour, 0)), TimeSpan.FromHours(8)).AddMinutes(i * 60.0 / n);
                    string T(DateTimeOffset t) => t.ToString("yyyy-MM-ddTHH:mm:sszzz", CultureInfo.InvariantCulture);
                    csv.Append(CultureInfo.InvariantCulture, $"{TrafficBranch},W{++ticket:000},存取款,{T(issued)},{T(issued.AddMinutes(2))},1,{T(issued.AddMinutes(2))},{T(issued.AddMinutes(12))},,,\n");
                }
            }
        }
        using var traffic = PortalSystem.Services.FootTraffic.ClientFor(Tokens.HeadOffice);
        var imported = await traffic.PostAsync("/api/visits/queue-log", new StringContent(csv.ToString(), Encoding.UTF8, "text/csv"));
        Assert.That(imported.StatusCode, Is.EqualTo(HttpStatusCode.OK), await imported.Content.ReadAsStringAsync());
        var roster = Enumerable.Range(1, 5).SelectMany(d => Enumerable.Range(9, 8).Select(h => new RosterSlotView(d, h, 2))).ToList();
        var saved = await traffic.PutAsJsonAsync($"/api/traffic/rosters/{TrafficBranch}", roster);
        Assert.That(saved.StatusCode, Is.EqualTo(HttpStatusCode.OK));
        using var acquisition = PortalSystem.Services.Acquisition.ClientFor(Tokens.BranchLead(PortalSystem.Branch));
        var prospect = await acquisition.PostAsJsonAsync("/api/prospects", new RecordProspect(ProspectName, "13700001234", PortalSystem.Branch, null));
        Assert.That(prospect.StatusCode, Is.EqualTo(HttpStatusCode.Created));
    }

    [Test]
    public async Task Head_office_sees_a_branchs_heatmap_and_its_staffing_plan_against_the_roster()
    {
        await SignInAsync(PortalSystem.HeadOffice);
        await Page.GotoAsync("/traffic?branch=" + TrafficBranch);
        await Expect(Page.GetByTestId("traffic-branch")).ToHaveTextAsync(TrafficBranch, new() { Timeout = 15_000 });
        await Expect(Page.GetByTestId("heat-1-10")).ToHaveTextAsync("30.0");
        await Expect(Page.GetByTestId("heat-3-14")).ToHaveTextAsync("10.0");
        await Expect(Page.GetByTestId("traffic-wait-median")).ToHaveTextAsync("2.0");
        // Next Monday at 10: 30 × 4 / 8 = 15 arrivals of 10 minutes need more than the 2 rostered counters.
        var nextMonday = firstMonday.AddDays(35);
        var cell = Page.GetByTestId($"plan-{nextMonday:MMdd}-10");
        await Expect(cell).ToHaveTextAsync(new Regex(@"^\d+/2$"));
        await Expect(cell).ToHaveClassAsync(new Regex("plan-under"));
        await Expect(Page.GetByTestId($"plan-{nextMonday:MMdd}-15")).ToHaveClassAsync(new Regex("plan-ok"));
    }

    [Test]
    public async Task Every_visit_is_counted_the_tables_export_and_the_walk_in_funnel_starts_from_the_weeks_visits()
    {
        await SignInAsync(PortalSystem.HeadOffice);
        await Page.GotoAsync("/traffic?branch=" + TrafficBranch);
        await Expect(Page.GetByTestId("traffic-visits")).ToHaveTextAsync((4 * (5 * 80 + 20)).ToString("N0", CultureInfo.InvariantCulture), new() { Timeout = 15_000 });
        await Expect(Page.GetByTestId("traffic-identified")).ToHaveTextAsync("0", new() { }); // anonymous tickets: counted, not sent to Insights

        var plan = await Page.RunAndWaitForDownloadAsync(() => Page.GetByTestId("export-traffic-plan-csv").ClickAsync());
        var lines = (await File.ReadAllLinesAsync((await plan.PathAsync())!)).Where(l => l.Length > 0).ToList();
        Assert.That(lines[0], Does.Contain("日期,时,预测到店"));
        Assert.That(lines, Has.Count.EqualTo(1 + 7 * 8), "a row per day and hour of next week");
        Assert.That(lines.Any(l => l.StartsWith(firstMonday.AddDays(35).ToString("yyyy-MM-dd", CultureInfo.InvariantCulture) + ",10,", StringComparison.Ordinal) && l.EndsWith(",缺", StringComparison.Ordinal)), Is.True);
        var heatmap = await Page.RunAndWaitForDownloadAsync(() => Page.GetByTestId("export-traffic-heatmap-xlsx").ClickAsync());
        var cells = MiniExcelLibs.MiniExcel.Query((await heatmap.PathAsync())!, useHeaderRow: true, excelType: MiniExcelLibs.ExcelType.XLSX).Cast<IDictionary<string, object>>().ToList();
        Assert.That(cells, Has.Count.EqualTo(5 * 8));

        // A walk-in captured in the last imported week: the funnel shows that week's 420 visits above them.
        using (var traffic = PortalSystem.Services.FootTraffic.ClientFor(Tokens.HeadOffice))
        {
            var consented = new DateTimeOffset(firstMonday.AddDays(26).ToDateTime(new TimeOnly(11, 0)), TimeSpan.FromHours(8));
            var captured = await traffic.PostAsJsonAsync("/api/walk-ins", new BankClientele.FootTraffic.Lobby.CaptureWalkIn(
                TrafficBranch, "欧阳", "13700005678", null, null, true, "本人同意银行就理财产品与我联系。", consented));
            Assert.That(captured.StatusCode, Is.EqualTo(HttpStatusCode.Created), await captured.Content.ReadAsStringAsync());
        }
        await Page.GotoAsync("/traffic/events?branch=" + TrafficBranch);
        await Expect(Page.GetByTestId($"funnel-visits-{firstMonday.AddDays(21):MMdd}")).ToHaveTextAsync("420", new() { Timeout = 15_000 });
        var funnel = await Page.RunAndWaitForDownloadAsync(() => Page.GetByTestId("export-walk-in-conversion-csv").ClickAsync());
        Assert.That(await File.ReadAllTextAsync((await funnel.PathAsync())!), Does.Contain(firstMonday.AddDays(21).ToString("yyyy-MM-dd", CultureInfo.InvariantCulture) + ",1,0,0"));

        // The same walk-in by hour of the day (11:00: 20 weekdays × 10 tickets above them) and by the staff member who identified them.
        var eleven = Page.GetByTestId("walk-in-hour").Filter(new() { HasText = "11:00–12:00" });
        await Expect(eleven.Locator("td").Nth(1)).ToHaveTextAsync("200");
        await Expect(eleven.Locator("td").Nth(2)).ToHaveTextAsync("1");
        await Expect(Page.GetByTestId("walk-in-hour-chart")).ToBeVisibleAsync();
        var greeter = Page.GetByTestId("walk-in-staff-row").Filter(new() { HasText = Tokens.HeadOffice.StaffId });
        await Expect(greeter.Locator("td").Nth(1)).ToHaveTextAsync("1");
        var hours = await Page.RunAndWaitForDownloadAsync(() => Page.GetByTestId("export-walk-in-hours-csv").ClickAsync());
        Assert.That(await File.ReadAllLinesAsync((await hours.PathAsync())!), Has.Some.StartsWith("11,200,1,"));
    }

    [Test]
    public async Task A_branch_lead_sees_only_their_own_branch()
    {
        await SignInAsync(PortalSystem.BranchLead);
        await Page.GotoAsync("/traffic?branch=" + TrafficBranch);
        await Expect(Page.GetByTestId("traffic-branch")).ToHaveTextAsync(PortalSystem.Branch, new() { Timeout = 15_000 });
        await Expect(Page.GetByTestId("branch-picker")).ToHaveCountAsync(0);
    }

    [Test]
    public async Task A_branch_lead_plans_a_lobby_event_inviting_a_prospect_and_sees_it_in_the_calendar()
    {
        await SignInAsync(PortalSystem.BranchLead);
        await Page.GotoAsync("/traffic/events");
        await Expect(Page.GetByTestId("slots")).ToBeVisibleAsync(new() { Timeout = 15_000 });
        await Page.GetByTestId("theme").FillAsync("理财沙龙·浏览器测试");
        await Page.GetByTestId("prospects").GetByText("137****1234").ClickAsync(); // Acquisition shows the name masked
        await Page.GetByTestId("plan-submit").ClickAsync();
        await Expect(Page.GetByTestId("plan-message")).ToContainTextAsync("1");
        await Expect(Page.GetByTestId("events")).ToContainTextAsync("理财沙龙·浏览器测试");

        // An event that ends before it starts is refused with the field named, and nothing is added.
        await Page.GetByTestId("theme").FillAsync("不合理的活动");
        await Page.GetByTestId("hours").FillAsync("0");
        await Page.GetByTestId("plan-submit").ClickAsync();
        await Expect(Page.GetByTestId("plan-message")).ToContainTextAsync(Chinese("Field.endsAt"));
        await Expect(Page.GetByTestId("events")).Not.ToContainTextAsync("不合理的活动");
    }

    [Test]
    public async Task Head_office_picks_any_branch_and_a_relationship_manager_may_not_open_the_pages()
    {
        await SignInAsync(PortalSystem.HeadOffice);
        await Page.GotoAsync("/traffic?branch=" + PortalSystem.OtherBranch);
        await Expect(Page.GetByTestId("traffic-branch")).ToHaveTextAsync(PortalSystem.OtherBranch);
        await Expect(Page.GetByTestId("heat-1-10")).ToHaveCountAsync(0);

        await Context.ClearCookiesAsync();
        await SignInAsync(PortalSystem.RelationshipManager);
        await Page.GotoAsync("/traffic/events");
        await Expect(Page.GetByTestId("denied")).ToBeVisibleAsync();
    }
}
