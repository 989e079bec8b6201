using System.Globalization;
using System.Net;
using System.Net.Http.Json;
using System.Text;
using BankClientele.FootTraffic.Lobby;
using BankClientele.FootTraffic.Staffing;
using BankClientele.FootTraffic.Visits;

namespace BankClientele.FootTraffic.Tests.Lead;

/// <summary>The branch lead's day at FootTraffic: the queue now, greeters in the roster and plan, an event's guest list.</summary>
public sealed class BranchLeadDoorTests
{
    [Test]
    public async Task The_queue_shows_who_waits_who_is_served_and_the_average_wait_and_only_to_the_branch()
    {
        var branch = TestServers.UniqueBranch();
        var phone = TrafficFixture.UniquePhone();
        var number = TrafficFixture.UniqueCustomerNumber();
        await TrafficFixture.RegisterCustomerAsync(number, branch, phone, "Wealth");
        using var client = TestSystem.FootTraffic.ClientFor(Tokens.BranchLead(branch));
        var now = DateTimeOffset.UtcNow;

        // A consenting visitor found by phone, an anonymous one, and one called to counter 2 after four minutes.
        var known = await TrafficFixture.ReadAsync<TicketView>(await client.PostAsJsonAsync("/api/queue/tickets",
            new IssueTicket(branch, "Q001", "理财咨询", now.AddMinutes(-5), null, phone)), HttpStatusCode.Created);
        Assert.That(known.CustomerId, Is.Not.Null, "the phone matched the directory");
        await TrafficFixture.ReadAsync<TicketView>(await client.PostAsJsonAsync("/api/queue/tickets",
            new IssueTicket(branch, "Q002", "存取款", now.AddMinutes(-3), null, null)), HttpStatusCode.Created);
        var called = await TrafficFixture.ReadAsync<TicketView>(await client.PostAsJsonAsync("/api/queue/tickets",
            new IssueTicket(branch, "Q003", "开户", now.AddMinutes(-10), null, null)), HttpStatusCode.Created);
        await TrafficFixture.ReadAsync<TicketView>(await client.PostAsJsonAsync($"/api/queue/tickets/{called.Id}/events",
            new QueueEvent("called", now.AddMinutes(-6), "2")), HttpStatusCode.OK);

        var queue = await TrafficFixture.ReadAsync<QueueNow>(await client.GetAsync($"/api/queue?branchCode={branch}"), HttpStatusCode.OK);
        Assert.That(queue.Waiting.Select(t => t.TicketNumber), Is.EqualTo(new[] { "Q001", "Q002" }));
        Assert.That(queue.Waiting[0], Has.Property(nameof(QueueTicket.Identified)).True.And.Property(nameof(QueueTicket.Tier)).EqualTo("Wealth"));
        Assert.That(queue.Waiting[1].Identified, Is.False);
        Assert.That(queue.Serving.Single(), Has.Property(nameof(QueueTicket.TicketNumber)).EqualTo("Q003").And.Property(nameof(QueueTicket.CounterNumber)).EqualTo("2"));
        Assert.That(queue.AverageWaitMinutes, Is.EqualTo(4).Within(0.1), "only the called ticket's wait counts");
        var body = await (await client.GetAsync($"/api/queue?branchCode={branch}")).Content.ReadAsStringAsync();
        Assert.That(body, Does.Not.Contain(phone), "the phone is never shown");

        using var other = TestSystem.FootTraffic.ClientFor(Tokens.BranchLead(TestServers.UniqueBranch()));
        Assert.That((await other.GetAsync($"/api/queue?branchCode={branch}")).StatusCode, Is.EqualTo(HttpStatusCode.Forbidden));
        var missing = await client.GetAsync("/api/queue");
        Assert.That(missing.StatusCode, Is.EqualTo(HttpStatusCode.BadRequest));
        Assert.That(await missing.Content.ReadAsStringAsync(), Does.Contain("branchCode"));
    }

    [Test]
    public async Task Greeters_are_rostered_and_the_plan_advises_them_per_hour()
    {
        var branch = TestServers.UniqueBranch();
        using var client = TestSystem.FootTraffic.ClientFor(Tokens.BranchLead(branch));
        // The eight Mondays the forecast reads: 60 arrivals at 10:00 and 10 at 11:00.
        var csv = new StringBuilder(TrafficFixture.Header).Append('\n');
        var firstMonday = new DateOnly(2026, 9, 7);
        for (var week = 0; week < ArrivalForecast.HistoryWeeks; week++)
        {
            var ticket = 0;
            foreach (var (hour, n) in new[] { (10, 60), (11, 10) })
            {
                for (var i = 0; i < n; i++)
                {
                    var issued = new DateTimeOffset(firstMonday.AddDays(7 * week).ToDateTime(new TimeOnly(hour, 0)), TimeSpan.FromHours(8)).AddSeconds(i * 3600.0 / n);
                    string T(DateTimeOffset t) => t.ToString("yyyy-MM-ddTHH:mm:sszzz", CultureInfo.InvariantCulture);
                    csv.Append(CultureInfo.InvariantCulture, $"{branch},A{++ticket:000},存取款,{T(issued)},{T(issued.AddMinutes(1))},1,{T(issued.AddMinutes(1))},{T(issued.AddMinutes(6))},,,\n");
                }
            }
        }
        Assert.That((await TrafficFixture.ImportAsync(client, csv.ToString())).StatusCode, Is.EqualTo(HttpStatusCode.OK));
        List<RosterSlotView> roster = [new(1, 10, 5, 1), new(1, 11, 2, 3)];
        Assert.That((await client.PutAsJsonAsync($"/api/traffic/rosters/{branch}", roster)).StatusCode, Is.EqualTo(HttpStatusCode.OK));
        Assert.That(await TrafficFixture.ReadAsync<List<RosterSlotView>>(await client.GetAsync($"/api/traffic/rosters/{branch}"), HttpStatusCode.OK), Is.EqualTo(roster));

        var plan = await TrafficFixture.ReadAsync<StaffingPlan>(await client.GetAsync($"/api/traffic/staffing-plan?branchCode={branch}&week=2026-W45"), HttpStatusCode.OK);
        var monday = new DateOnly(2026, 11, 2);
        var ten = plan.Hours.Single(h => h.Day == monday && h.Hour == 10);
        var eleven = plan.Hours.Single(h => h.Day == monday && h.Hour == 11);
        Assert.That((ten.AdvisedGreeters, ten.RosteredGreeters, ten.GreeterStatus), Is.EqualTo((3, 1, StaffingPlanner.Under)), "60 an hour at 25 a greeter: three");
        Assert.That((eleven.AdvisedGreeters, eleven.RosteredGreeters, eleven.GreeterStatus), Is.EqualTo((1, 3, StaffingPlanner.Over)), "10 an hour: one, and three rostered");

        var bad = await client.PutAsJsonAsync($"/api/traffic/rosters/{branch}", new[] { new { weekday = 1, hour = 10, counters = 1, greeters = 99 } });
        Assert.That(bad.StatusCode, Is.EqualTo(HttpStatusCode.BadRequest));
        Assert.That(await bad.Content.ReadAsStringAsync(), Does.Contain("Greeters"));
    }

    [Test]
    public async Task The_guest_list_shows_the_invited_and_who_checked_in()
    {
        var branch = TestServers.UniqueBranch();
        var invited = TrafficFixture.UniqueCustomerNumber();
        var invitedId = await TrafficFixture.RegisterCustomerAsync(invited, branch, null, "Affluent");
        var dropIn = TrafficFixture.UniqueCustomerNumber();
        await TrafficFixture.RegisterCustomerAsync(dropIn, branch, null, "Mass");
        using var client = TestSystem.FootTraffic.ClientFor(Tokens.BranchLead(branch));
        var starts = DateTimeOffset.UtcNow.AddHours(1);
        var planned = await TrafficFixture.ReadAsync<LobbyEventView>(await client.PostAsJsonAsync("/api/lobby-events",
            new PlanLobbyEvent(branch, "养老金规划讲座", starts, starts.AddHours(2), 30, 2_000m, null, null, [invitedId], null)), HttpStatusCode.Created);

        var before = await TrafficFixture.ReadAsync<List<LobbyGuest>>(await client.GetAsync($"/api/lobby-events/{planned.Id}/guests"), HttpStatusCode.OK);
        Assert.That(before.Single(), Has.Property(nameof(LobbyGuest.CustomerNumber)).EqualTo(invited)
            .And.Property(nameof(LobbyGuest.Invited)).True.And.Property(nameof(LobbyGuest.CheckedInAt)).Null);

        Assert.That((await client.PostAsJsonAsync($"/api/lobby-events/{planned.Id}/attendance", new CheckInAttendee(invitedId, null, null, null, null))).StatusCode,
            Is.EqualTo(HttpStatusCode.Created));
        Assert.That((await client.PostAsJsonAsync($"/api/lobby-events/{planned.Id}/attendance", new CheckInAttendee(null, dropIn, null, null, null))).StatusCode,
            Is.EqualTo(HttpStatusCode.Created));

        var after = await TrafficFixture.ReadAsync<List<LobbyGuest>>(await client.GetAsync($"/api/lobby-events/{planned.Id}/guests"), HttpStatusCode.OK);
        Assert.That(after.Select(g => (g.CustomerNumber, g.Invited, g.CheckedInAt is not null, g.Tier)),
            Is.EquivalentTo(new[] { (invited, true, true, "Affluent"), (dropIn, false, true, "Mass") }));

        using var other = TestSystem.FootTraffic.ClientFor(Tokens.BranchLead(TestServers.UniqueBranch()));
        Assert.That((await other.GetAsync($"/api/lobby-events/{planned.Id}/guests")).StatusCode, Is.EqualTo(HttpStatusCode.NotFound));
    }
}
