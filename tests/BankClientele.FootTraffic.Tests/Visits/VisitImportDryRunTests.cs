using System.Net;
using System.Text;
using System.Text.Json;
using BankClientele.FootTraffic.Visits;
using Microsoft.EntityFrameworkCore;

namespace BankClientele.FootTraffic.Tests.Visits;

/// <summary><c>POST /api/visits/queue-log?dryRun=true</c>: the same import, rolled back, with the first rows as read.</summary>
public sealed class VisitImportDryRunTests
{
    [Test]
    public async Task A_dry_run_counts_the_visits_it_would_add_and_leaves_no_visit_rollup_or_event()
    {
        var branch = TestServers.UniqueBranch();
        var number = TrafficFixture.UniqueCustomerNumber();
        await TrafficFixture.RegisterCustomerAsync(number, branch, null, "Mass");
        var csv = $"""
            {TrafficFixture.Header}
            {branch},D001,存取款,2026-11-20T09:01:00+08:00,2026-11-20T09:05:00+08:00,1,2026-11-20T09:05:30+08:00,2026-11-20T09:12:00+08:00,,{number},
            {branch},D002,理财咨询,2026-11-20T09:03:00+08:00,,,,,2026-11-20T09:30:00+08:00,,
            """;
        using var client = TestSystem.FootTraffic.ClientFor(Tokens.BranchLead(branch));
        var preview = await TrafficFixture.ReadAsync<VisitLogResult>(
            await client.PostAsync("/api/visits/queue-log?dryRun=true", new StringContent(csv, Encoding.UTF8, "text/csv")), HttpStatusCode.OK);
        Assert.Multiple(() =>
        {
            Assert.That(preview.DryRun, Is.True);
            Assert.That((preview.Rows, preview.Added, preview.Updated), Is.EqualTo((2, 2, 0)));
            Assert.That(preview.Preview!.Select(r => (r.Line, r.Fields["ticket_number"])), Is.EqualTo(new[] { (2, "D001"), (3, "D002") }));
            Assert.That(preview.Preview![0].Fields["customer_number"], Is.EqualTo(number));
        });
        await using (var db = TestSystem.FootTraffic.NewDbContext())
        {
            Assert.That(await db.Visits.CountAsync(v => v.BranchCode == branch), Is.Zero, "no visit");
            Assert.That(await TestDatabases.ScalarAsync<long>(TestSystem.FootTraffic.Database,
                $"SELECT count(*) FROM traffic_days WHERE branch_code = '{branch}'"), Is.Zero, "no rollup");
            Assert.That(await TestDatabases.ScalarAsync<long>(TestSystem.FootTraffic.Database,
                $"SELECT count(*) FROM outbox_messages WHERE message_type LIKE '%BranchVisitRecorded' AND body::text LIKE '%{branch}%'"), Is.Zero, "no event");
        }

        var applied = await TrafficFixture.ReadAsync<VisitLogResult>(await TrafficFixture.ImportAsync(client, csv), HttpStatusCode.OK);
        Assert.That((applied.DryRun, applied.Added), Is.EqualTo((false, 2)));
        Assert.That(await RollupAndMixTests.RollupMismatchesAsync(branch), Is.Empty);

        // A bad row in a dry run: named by line and field, like the import.
        var bad = $"""
            {TrafficFixture.Header}
            {branch},D003,存取款,not-a-time,,,,,,,
            """;
        using var refused = await client.PostAsync("/api/visits/queue-log?dryRun=true", new StringContent(bad, Encoding.UTF8, "text/csv"));
        Assert.That(refused.StatusCode, Is.EqualTo(HttpStatusCode.BadRequest));
        var body = JsonDocument.Parse(await refused.Content.ReadAsStringAsync()).RootElement;
        var error = body.GetProperty("errors")[0];
        Assert.That((error.GetProperty("line").GetInt32(), error.GetProperty("field").GetString()), Is.EqualTo((2, "issued_at")));
    }
}
