using System.Globalization;
using System.Net;
using System.Net.Http.Json;
using System.Text;
using BankClientele.FootTraffic.Profile;
using BankClientele.FootTraffic.Staffing;
using BankClientele.FootTraffic.Visits;
using Microsoft.EntityFrameworkCore;
using Npgsql;

namespace BankClientele.FootTraffic.Tests.Visits;

/// <summary>The profile and the plan read rollups kept on every write; they must agree with the visits themselves.</summary>
public sealed class RollupAndMixTests
{
    private static string T(DateTimeOffset t) => t.ToString("yyyy-MM-ddTHH:mm:sszzz", CultureInfo.InvariantCulture);

    /// <summary>
    /// Four weeks, weekdays: at 9 o'clock 12 cash tickets of 5 minutes; at 14 o'clock 4 loan tickets of 20 minutes and
    /// 4 cash tickets of 5; waits vary by ticket; every seventh abandoned; every third by a given customer number.
    /// </summary>
    private static string Weeks(string branch, DateOnly firstMonday, string customerNumber)
    {
        var csv = new StringBuilder(TrafficFixture.Header).Append('\n');
        for (var day = firstMonday; day < firstMonday.AddDays(28); day = day.AddDays(1))
        {
            if (day.DayOfWeek is DayOfWeek.Saturday or DayOfWeek.Sunday) { continue; }
            var ticket = 0;
            foreach (var (hour, type, minutes, n) in new[] { (9, "存取款", 5, 12), (14, "贷款", 20, 4), (14, "存取款", 5, 4) })
            {
                for (var i = 0; i < n; i++)
                {
                    ticket++;
                    var issued = new DateTimeOffset(day.ToDateTime(new TimeOnly(hour, 0)), TimeSpan.FromHours(8)).AddMinutes(i * 7 + ticket % 3);
                    var wait = (ticket * 37 + day.Day * 11) % 900; // seconds
                    var who = ticket % 3 == 0 ? customerNumber : "";
                    csv.Append(ticket % 7 == 0
                        ? $"{branch},B{ticket:000},{type},{T(issued)},,,,,{T(issued.AddMinutes(20))},{who},\n"
                        : $"{branch},B{ticket:000},{type},{T(issued)},{T(issued.AddSeconds(wait))},1,{T(issued.AddSeconds(wait))},{T(issued.AddSeconds(wait).AddMinutes(minutes))},,{who},\n");
                }
            }
        }
        return csv.ToString();
    }

    [Test]
    public async Task The_profile_from_the_rollups_equals_the_visits_counted_directly_and_live_tickets_keep_it_current()
    {
        var branch = TestServers.UniqueBranch();
        var number = TrafficFixture.UniqueCustomerNumber();
        await TrafficFixture.RegisterCustomerAsync(number, branch, null, "Mass");
        using var client = TestSystem.FootTraffic.ClientFor(Tokens.BranchLead(branch));
        await TrafficFixture.ReadAsync<VisitLogResult>(await TrafficFixture.ImportAsync(client, Weeks(branch, new DateOnly(2026, 9, 7), number)), HttpStatusCode.OK);
        const string range = "from=2026-09-07&to=2026-10-05";

        Assert.That(await RollupMismatchesAsync(branch), Is.Empty, "the rollups counted while reading equal the visits counted afresh");
        var profile = await TrafficFixture.ReadAsync<TrafficProfile>(await client.GetAsync($"/api/traffic/profile?branchCode={branch}&{range}"), HttpStatusCode.OK);
        var direct = await DirectAsync(branch);
        Assert.Multiple(() =>
        {
            Assert.That(profile.Visits, Is.EqualTo(direct.Visits).And.EqualTo(20 * 20));
            Assert.That(profile.IdentifiedVisits, Is.EqualTo(direct.Identified).And.GreaterThan(0).And.LessThan(profile.Visits), "all visits counted, identified ones apart");
            Assert.That(profile.WaitMedianMinutes, Is.EqualTo(direct.Median).Within(1e-9));
            Assert.That(profile.WaitP90Minutes, Is.EqualTo(direct.P90).Within(1e-9));
            Assert.That(profile.AbandonmentRate, Is.EqualTo(direct.Abandonment).Within(1e-9));
            Assert.That(profile.ServiceTypes.Single(s => s.ServiceType == "贷款").AverageHandleMinutes, Is.EqualTo(20).Within(1e-9));
            Assert.That(profile.Heatmap.Single(c => c is { Weekday: 2, Hour: 14 }).AverageArrivals, Is.EqualTo(8));
            Assert.That(profile.Trend.Select(w => w.Visits), Is.EqualTo(new[] { 100, 100, 100, 100 }));
        });

        // A live ticket on one of those days, called and served: the profile counts it at once.
        var issued = new DateTimeOffset(2026, 9, 8, 15, 0, 0, TimeSpan.FromHours(8));
        var ticket = await TrafficFixture.ReadAsync<TicketView>(await client.PostAsJsonAsync("/api/queue/tickets", new IssueTicket(branch, "L001", "开户", issued, null, null)), HttpStatusCode.Created);
        await TrafficFixture.ReadAsync<TicketView>(await client.PostAsJsonAsync($"/api/queue/tickets/{ticket.Id}/events", new QueueEvent("started", issued.AddMinutes(3), "2")), HttpStatusCode.OK);
        await TrafficFixture.ReadAsync<TicketView>(await client.PostAsJsonAsync($"/api/queue/tickets/{ticket.Id}/events", new QueueEvent("ended", issued.AddMinutes(15), null)), HttpStatusCode.OK);
        var after = await TrafficFixture.ReadAsync<TrafficProfile>(await client.GetAsync($"/api/traffic/profile?branchCode={branch}&{range}"), HttpStatusCode.OK);
        direct = await DirectAsync(branch);
        Assert.Multiple(() =>
        {
            Assert.That(after.Visits, Is.EqualTo(401));
            Assert.That(after.ServiceTypes.Single(s => s.ServiceType == "开户").AverageHandleMinutes, Is.EqualTo(12).Within(1e-9));
            Assert.That(after.WaitMedianMinutes, Is.EqualTo(direct.Median).Within(1e-9));
            Assert.That(after.Heatmap.Single(c => c is { Weekday: 2, Hour: 15 }).AverageArrivals, Is.EqualTo(0.25), "one arrival over four Tuesdays");
        });
    }

    [Test]
    public async Task A_log_for_days_already_counted_adds_to_their_rollups_and_a_log_repeating_a_ticket_keeps_them_exact()
    {
        var branch = TestServers.UniqueBranch();
        using var client = TestSystem.FootTraffic.ClientFor(Tokens.BranchLead(branch));
        // A plain visit (no ticket key) on the Tuesday: that day is counted before its queue log arrives,
        // so the log's new tickets are added to the day's rollups rather than inserted as a new day.
        var plain = await client.PostAsJsonAsync("/api/visits", new RecordVisit(branch, null, "P1", "开户", new DateTimeOffset(2026, 9, 8, 11, 30, 0, TimeSpan.FromHours(8))));
        Assert.That(plain.StatusCode, Is.EqualTo(HttpStatusCode.Created));
        var log = await TrafficFixture.ReadAsync<VisitLogResult>(await TrafficFixture.ImportAsync(client, Weeks(branch, new DateOnly(2026, 9, 7), "0")), HttpStatusCode.OK);
        Assert.That((log.Added, log.Updated), Is.EqualTo((400, 0)));
        Assert.That(await RollupMismatchesAsync(branch), Is.Empty, "the rollups equal the visits counted afresh");

        // A log naming one ticket twice, its events only in the second row: the last row wins.
        var repeated = $"""
            {TrafficFixture.Header}
            {branch},R001,存取款,2026-09-08T09:00:00+08:00,,,,,,,
            {branch},R001,存取款,2026-09-08T09:00:00+08:00,2026-09-08T09:04:00+08:00,1,2026-09-08T09:04:00+08:00,2026-09-08T09:10:00+08:00,,,
            """;
        var again = await TrafficFixture.ReadAsync<VisitLogResult>(await TrafficFixture.ImportAsync(client, repeated), HttpStatusCode.OK);
        Assert.That((again.Rows, again.Added, again.Updated), Is.EqualTo((2, 1, 0)));
        await using (var db = TestSystem.FootTraffic.NewDbContext())
        {
            var visit = await db.Visits.AsNoTracking().SingleAsync(v => v.BranchCode == branch && v.TicketNumber == "R001");
            Assert.That(visit.ServiceEndedAt, Is.EqualTo(new DateTimeOffset(2026, 9, 8, 9, 10, 0, TimeSpan.FromHours(8))));
        }
        Assert.That(await RollupMismatchesAsync(branch), Is.Empty, "exact after the general merge too");
        var profile = await TrafficFixture.ReadAsync<TrafficProfile>(await client.GetAsync($"/api/traffic/profile?branchCode={branch}&from=2026-09-07&to=2026-10-05"), HttpStatusCode.OK);
        Assert.That(profile.Visits, Is.EqualTo(402));
    }

    /// <summary>The branch's rollup rows that differ from the same figures computed afresh from its visits (both directions).</summary>
    internal static async Task<List<string>> RollupMismatchesAsync(string branch)
    {
        const string day = "(v.arrived_at AT TIME ZONE 'Asia/Shanghai')::date";
        var sql = $"""
            WITH d AS (
                SELECT day, count(*)::int AS visits, count(customer_id)::int AS identified, count(abandoned_at)::int AS abandoned,
                       COALESCE(array_agg(wait ORDER BY wait) FILTER (WHERE wait IS NOT NULL), ARRAY[]::float8[]) AS waits
                FROM (SELECT {day} AS day, customer_id, abandoned_at,
                             extract(epoch FROM COALESCE(called_at, service_started_at) - arrived_at)::float8 AS wait
                      FROM branch_visits v WHERE branch_code = @b) w
                GROUP BY 1
            ), h AS (
                SELECT {day} AS day, extract(hour FROM arrived_at AT TIME ZONE 'Asia/Shanghai')::int AS hour, service_type::text AS service_type,
                       count(*)::int AS arrivals, count(service_ended_at - service_started_at)::int AS handled,
                       COALESCE(sum(extract(epoch FROM service_ended_at - service_started_at)::float8), 0) AS handle_seconds
                FROM branch_visits v WHERE branch_code = @b GROUP BY 1, 2, 3
            )
            SELECT 'day ' || x.day FROM (
                (SELECT * FROM d EXCEPT SELECT day, visits, identified, abandoned, waits FROM traffic_days WHERE branch_code = @b)
                UNION ALL
                (SELECT day, visits, identified, abandoned, waits FROM traffic_days WHERE branch_code = @b EXCEPT SELECT * FROM d)) x
            UNION ALL
            SELECT 'hour ' || y.day || ' ' || y.hour || ' ' || y.service_type FROM (
                (SELECT * FROM h EXCEPT SELECT day, hour, service_type::text, arrivals, handled, handle_seconds FROM traffic_hours WHERE branch_code = @b)
                UNION ALL
                (SELECT day, hour, service_type::text, arrivals, handled, handle_seconds FROM traffic_hours WHERE branch_code = @b EXCEPT SELECT * FROM h)) y
            """;
        await using var db = TestSystem.FootTraffic.NewDbContext();
        await db.Database.OpenConnectionAsync();
        await using var command = new NpgsqlCommand(sql, (NpgsqlConnection)db.Database.GetDbConnection());
        command.Parameters.AddWithValue("b", branch);
        await using var reader = await command.ExecuteReaderAsync();
        var mismatches = new List<string>();
        while (await reader.ReadAsync())
        {
            mismatches.Add(reader.GetString(0));
        }
        return mismatches;
    }

    private static async Task<(int Visits, int Identified, double Median, double P90, double Abandonment)> DirectAsync(string branch)
    {
        await using var db = TestSystem.FootTraffic.NewDbContext();
        await db.Database.OpenConnectionAsync();
        await using var command = new NpgsqlCommand("""
            SELECT count(*)::int, count(customer_id)::int,
                   percentile_cont(0.5) WITHIN GROUP (ORDER BY extract(epoch FROM COALESCE(called_at, service_started_at) - arrived_at) / 60.0),
                   percentile_cont(0.9) WITHIN GROUP (ORDER BY extract(epoch FROM COALESCE(called_at, service_started_at) - arrived_at) / 60.0),
                   avg((abandoned_at IS NOT NULL)::int)::float8
            FROM branch_visits WHERE branch_code = @b
            """, (NpgsqlConnection)db.Database.GetDbConnection());
        command.Parameters.AddWithValue("b", branch);
        await using var reader = await command.ExecuteReaderAsync();
        await reader.ReadAsync();
        return (reader.GetInt32(0), reader.GetInt32(1), reader.GetDouble(2), reader.GetDouble(3), reader.GetDouble(4));
    }

    [Test]
    public async Task The_staffing_plan_weighs_each_service_types_handle_time_by_the_hours_mix()
    {
        var branch = TestServers.UniqueBranch();
        using var client = TestSystem.FootTraffic.ClientFor(Tokens.BranchLead(branch));
        await TrafficFixture.ReadAsync<VisitLogResult>(await TrafficFixture.ImportAsync(client, Weeks(branch, new DateOnly(2026, 10, 5), "0")), HttpStatusCode.OK);
        var plan = await TrafficFixture.ReadAsync<StaffingPlan>(await client.GetAsync($"/api/traffic/staffing-plan?branchCode={branch}&week=2026-W45"), HttpStatusCode.OK);
        var monday = new DateOnly(2026, 11, 2);
        var at9 = plan.Hours.Single(h => h.Day == monday && h.Hour == 9);
        var at14 = plan.Hours.Single(h => h.Day == monday && h.Hour == 14);
        Assert.Multiple(() =>
        {
            Assert.That(at9.HandleMinutes, Is.EqualTo(5).Within(0.01), "only cash at nine");
            Assert.That(at14.HandleMinutes, Is.EqualTo((4 * 20 + 4 * 5) / 8.0).Within(0.01), "half loans at two");
            Assert.That(at14.RequiredCounters, Is.EqualTo(ErlangC.FewestAgents(at14.ForecastArrivals, 12.5, 600, 0.8).Agents));
            Assert.That(at9.RequiredCounters, Is.EqualTo(ErlangC.FewestAgents(at9.ForecastArrivals, 5, 600, 0.8).Agents));
        });
    }

    [Test]
    public void An_hours_handle_time_is_its_mix_of_service_types_and_falls_back_to_the_whole_mix()
    {
        var mix = new ServiceMix(
            new Dictionary<string, double> { ["cash"] = 5, ["loan"] = 20 },
            new Dictionary<(int, int), IReadOnlyDictionary<string, int>>
            {
                [(1, 9)] = new Dictionary<string, int> { ["cash"] = 3, ["loan"] = 1 },
                [(1, 10)] = new Dictionary<string, int> { ["cash"] = 1, ["new-type"] = 1 },
            },
            OverallHandleMinutes: 8);
        Assert.Multiple(() =>
        {
            Assert.That(mix.HandleMinutes(1, 9), Is.EqualTo((3 * 5 + 20) / 4.0));
            Assert.That(mix.HandleMinutes(1, 10), Is.EqualTo((5 + 8) / 2.0), "a type never timed counts at the overall mean");
            Assert.That(mix.HandleMinutes(2, 9), Is.EqualTo((4 * 5 + 20 + 8) / 6.0), "an hour without history takes the whole period's mix");
            Assert.That(new ServiceMix(new Dictionary<string, double>(), new Dictionary<(int, int), IReadOnlyDictionary<string, int>>(), null).HandleMinutes(1, 9), Is.Null);
        });
    }

    [Test]
    public void Percentiles_interpolate_as_postgres_percentile_cont_does()
    {
        double[] waits = [0, 60, 120, 600];
        Assert.Multiple(() =>
        {
            Assert.That(TrafficProfiler.Percentile(waits, 0.5), Is.EqualTo(90));
            Assert.That(TrafficProfiler.Percentile(waits, 0.9), Is.EqualTo(120 + 0.7 * 480).Within(1e-9));
            Assert.That(TrafficProfiler.Percentile([], 0.5), Is.Zero);
        });
    }
}
