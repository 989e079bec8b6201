using System.Globalization;
using System.Net;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json;
using BankClientele.Contracts.FootTraffic;
using BankClientele.FootTraffic.Profile;
using BankClientele.FootTraffic.Staffing;
using BankClientele.FootTraffic.Visits;

namespace BankClientele.FootTraffic.Tests.Staffing;

public sealed class QueueAndStaffingTests
{
    [Test]
    public async Task A_high_tier_customer_taking_a_ticket_alerts_at_once_and_the_ticket_runs_its_course()
    {
        var branch = TestServers.UniqueBranch();
        var number = TrafficFixture.UniqueCustomerNumber();
        var customerId = await TrafficFixture.RegisterCustomerAsync(number, branch, null, "PrivateBanking");
        using var client = TestSystem.FootTraffic.ClientFor(Tokens.BranchLead(branch));

        var ticket = await TrafficFixture.ReadAsync<TicketView>(
            await client.PostAsJsonAsync("/api/queue/tickets", new IssueTicket(branch, "V001", "理财咨询", null, number, null)), HttpStatusCode.Created);
        Assert.That(ticket.CustomerId, Is.EqualTo(customerId));
        var alert = await TrafficBusListener.WaitForAsync<HighValueCustomerCheckedIn>(e => e.VisitId == ticket.Id, 1, "the high-value alert on the bus");
        Assert.That((alert[0].CustomerId, alert[0].Tier, alert[0].BranchCode), Is.EqualTo((customerId, "PrivateBanking", branch)));

        // An ordinary customer is recorded but raises no alert.
        var mass = TrafficFixture.UniqueCustomerNumber();
        await TrafficFixture.RegisterCustomerAsync(mass, branch, null, "Mass");
        var ordinary = await TrafficFixture.ReadAsync<TicketView>(
            await client.PostAsJsonAsync("/api/queue/tickets", new IssueTicket(branch, "V002", "存取款", null, mass, null)), HttpStatusCode.Created);
        await TrafficBusListener.WaitForAsync<BranchVisitRecorded>(e => e.VisitId == ordinary.Id, 1, "the ordinary visit on the bus");
        Assert.That(TrafficBusListener.Received.OfType<HighValueCustomerCheckedIn>().Any(e => e.VisitId == ordinary.Id), Is.False);

        var now = DateTimeOffset.UtcNow;
        var ended = await client.PostAsJsonAsync($"/api/queue/tickets/{ticket.Id}/events", new QueueEvent("ended", now, null));
        Assert.That(ended.StatusCode, Is.EqualTo(HttpStatusCode.BadRequest), "service never started");
        await TrafficFixture.ReadAsync<TicketView>(await client.PostAsJsonAsync($"/api/queue/tickets/{ticket.Id}/events", new QueueEvent("called", now.AddSeconds(1), "3")), HttpStatusCode.OK);
        await TrafficFixture.ReadAsync<TicketView>(await client.PostAsJsonAsync($"/api/queue/tickets/{ticket.Id}/events", new QueueEvent("started", now.AddSeconds(2), null)), HttpStatusCode.OK);
        var done = await TrafficFixture.ReadAsync<TicketView>(await client.PostAsJsonAsync($"/api/queue/tickets/{ticket.Id}/events", new QueueEvent("ended", now.AddSeconds(300), null)), HttpStatusCode.OK);
        Assert.That((done.CounterNumber, done.ServiceEndedAt is not null), Is.EqualTo(("3", true)));

        var duplicate = await client.PostAsJsonAsync("/api/queue/tickets", new IssueTicket(branch, "V001", "理财咨询", null, null, null));
        Assert.That(duplicate.StatusCode, Is.EqualTo(HttpStatusCode.BadRequest));
        Assert.That(await duplicate.Content.ReadAsStringAsync(), Does.Contain("TicketNumber"));
        var badKind = await client.PostAsJsonAsync($"/api/queue/tickets/{ticket.Id}/events", new { kind = "teleported" });
        Assert.That(badKind.StatusCode, Is.EqualTo(HttpStatusCode.BadRequest));
        Assert.That(await badKind.Content.ReadAsStringAsync(), Does.Contain("Kind"));
    }

    /// <summary>Four weeks of a branch: 10 arrivals in each hour 9-16 every weekday, 30 at 10 on Mondays; 10 minutes each; every tenth abandoned.</summary>
    private static string FourWeeks(string branch, DateOnly firstMonday)
    {
        var csv = new StringBuilder(TrafficFixture.Header).Append('\n');
        for (var day = firstMonday; day < firstMonday.AddDays(28); day = day.AddDays(1))
        {
            if (day.DayOfWeek is DayOfWeek.Saturday or DayOfWeek.Sunday) { continue; }
            var ticket = 0;
            for (var hour = 9; hour < 17; hour++)
            {
                var n = day.DayOfWeek == DayOfWeek.Monday && hour == 10 ? 30 : 10;
                for (var i = 0; i < n; i++)
                {
                    ticket++;
                    var issued = new DateTimeOffset(day.ToDateTime(new TimeOnly(hour, 0)), TimeSpan.FromHours(8)).AddMinutes(i * 60.0 / n);
                    string T(DateTimeOffset t) => t.ToString("yyyy-MM-ddTHH:mm:sszzz", CultureInfo.InvariantCulture);
                    csv.Append(ticket % 10 == 0
                        ? $"{branch},A{ticket:000},存取款,{T(issued)},,,,,{T(issued.AddMinutes(15))},,\n"
                        : $"{branch},A{ticket:000},存取款,{T(issued)},{T(issued.AddMinutes(ticket % 5))},1,{T(issued.AddMinutes(ticket % 5))},{T(issued.AddMinutes(ticket % 5 + 10))},,,\n");
                }
            }
        }
        return csv.ToString();
    }

    [Test]
    public async Task Profile_forecast_and_staffing_plan_of_a_branch_against_its_roster()
    {
        var branch = TestServers.UniqueBranch();
        using var client = TestSystem.FootTraffic.ClientFor(Tokens.BranchLead(branch));
        var firstMonday = new DateOnly(2026, 10, 5);
        await TrafficFixture.ReadAsync<VisitLogResult>(await TrafficFixture.ImportAsync(client, FourWeeks(branch, firstMonday)), HttpStatusCode.OK);

        var profile = await TrafficFixture.ReadAsync<TrafficProfile>(await client.GetAsync($"/api/traffic/profile?branchCode={branch}&from=2026-10-05&to=2026-11-02"), HttpStatusCode.OK);
        Assert.Multiple(() =>
        {
            Assert.That(profile.Visits, Is.EqualTo(4 * (5 * 80 + 20)));
            Assert.That(profile.Heatmap.Single(c => c is { Weekday: 1, Hour: 10 }).AverageArrivals, Is.EqualTo(30));
            Assert.That(profile.Heatmap.Single(c => c is { Weekday: 3, Hour: 14 }).AverageArrivals, Is.EqualTo(10));
            Assert.That(profile.Heatmap.Any(c => c.Weekday == 6), Is.False);
            Assert.That(profile.ServiceTypes.Single().AverageHandleMinutes, Is.EqualTo(10).Within(1e-9));
            Assert.That(profile.AbandonmentRate, Is.EqualTo(0.1).Within(0.01));
            Assert.That(profile.WaitP90Minutes, Is.GreaterThan(profile.WaitMedianMinutes));
            Assert.That(profile.Trend, Has.Count.EqualTo(4));
        });

        // Two counters all week: Monday 10 o'clock (30 arrivals × 10 min = 5 Erlangs) is under-staffed.
        var roster = Enumerable.Range(1, 5).SelectMany(d => Enumerable.Range(9, 8).Select(h => new RosterSlotView(d, h, 2))).ToList();
        Assert.That((await client.PutAsJsonAsync($"/api/traffic/rosters/{branch}", roster)).StatusCode, Is.EqualTo(HttpStatusCode.OK));
        var plan = await TrafficFixture.ReadAsync<StaffingPlan>(await client.GetAsync($"/api/traffic/staffing-plan?branchCode={branch}&week=2026-W45"), HttpStatusCode.OK);
        var monday10 = plan.Hours.Single(h => h.Day == new DateOnly(2026, 11, 2) && h.Hour == 10);
        Assert.Multiple(() =>
        {
            Assert.That(plan.Forecast.Hours.Single(h => h.Day == new DateOnly(2026, 11, 2) && h.Hour == 10).Arrivals, Is.EqualTo(30 * 4 / 8.0), "four of the eight weeks had traffic");
            Assert.That(monday10.RequiredCounters, Is.EqualTo(ErlangC.FewestAgents(15, 10, 600, 0.8).Agents));
            Assert.That(plan.HandleMinutes, Is.EqualTo(10).Within(1e-9));
            Assert.That(plan.Hours.Where(h => h.Day.DayOfWeek == DayOfWeek.Saturday).All(h => h.RequiredCounters == 0 && h.Status == StaffingPlanner.Ok), Is.True);
            Assert.That(plan.Forecast.HeldOutWeek, Is.EqualTo(new DateOnly(2026, 10, 26)));
        });
        Assert.That(plan.Hours.Where(h => h.Status == StaffingPlanner.Under), Is.All.Matches<PlanHour>(h => h.RosteredCounters < h.RequiredCounters));
    }

    [Test]
    public async Task Erlang_c_endpoint_names_the_bad_field()
    {
        using var client = TestSystem.FootTraffic.ClientFor(Tokens.HeadOffice);
        var ok = await TrafficFixture.ReadAsync<ErlangCResult>(await client.GetAsync("/api/traffic/erlang-c?arrivalsPerHour=200&handleMinutes=3&targetWaitSeconds=20&serviceLevel=0.8"), HttpStatusCode.OK);
        Assert.That(ok.Agents, Is.EqualTo(14));
        var bad = await client.GetAsync("/api/traffic/erlang-c?arrivalsPerHour=200&handleMinutes=0");
        Assert.That(bad.StatusCode, Is.EqualTo(HttpStatusCode.BadRequest));
        using var problem = JsonDocument.Parse(await bad.Content.ReadAsStringAsync());
        Assert.That(problem.RootElement.GetProperty("errors").TryGetProperty("handleMinutes", out _), Is.True);
        var badWeek = await client.GetAsync("/api/traffic/staffing-plan?branchCode=SH001&week=2026-48");
        Assert.That(await badWeek.Content.ReadAsStringAsync(), Does.Contain("week"));
    }

    [Test]
    public async Task Another_branch_lead_sees_nothing_of_a_branch()
    {
        var branch = TestServers.UniqueBranch();
        using var other = TestSystem.FootTraffic.ClientFor(Tokens.BranchLead(TestServers.UniqueBranch()));
        Assert.Multiple(async () =>
        {
            Assert.That((await other.GetAsync($"/api/traffic/profile?branchCode={branch}")).StatusCode, Is.EqualTo(HttpStatusCode.Forbidden));
            Assert.That((await other.GetAsync($"/api/traffic/staffing-plan?branchCode={branch}")).StatusCode, Is.EqualTo(HttpStatusCode.Forbidden));
            Assert.That((await other.PutAsJsonAsync($"/api/traffic/rosters/{branch}", new List<RosterSlotView>())).StatusCode, Is.EqualTo(HttpStatusCode.Forbidden));
            Assert.That((await other.PostAsJsonAsync("/api/queue/tickets", new IssueTicket(branch, "A1", "存取款", null, null, null))).StatusCode, Is.EqualTo(HttpStatusCode.Forbidden));
        });
    }
}
