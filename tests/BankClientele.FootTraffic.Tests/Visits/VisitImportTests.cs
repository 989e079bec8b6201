using System.Net;
using System.Text.Json;
using BankClientele.Contracts.FootTraffic;
using BankClientele.Contracts.Imports;
using BankClientele.FootTraffic.Visits;
using BankClientele.Hosting.Messaging;
using Microsoft.EntityFrameworkCore;

namespace BankClientele.FootTraffic.Tests.Visits;

public sealed class VisitImportTests
{
    [Test]
    public async Task A_queue_log_is_imported_identified_and_published_and_the_same_log_again_changes_nothing()
    {
        var (branch, number, phone, byNumber, byPhone) = await TwoCustomersAsync();
        var csv = $"""
            {TrafficFixture.Header}
            {branch},A001,存取款,2026-11-20T09:01:00+08:00,2026-11-20T09:05:00+08:00,1,2026-11-20T09:05:30+08:00,2026-11-20T09:12:00+08:00,,{number},
            {branch},A002,理财咨询,2026-11-20T09:03:00+08:00,,,,,2026-11-20T09:30:00+08:00,,
            {branch},A003,对公业务,2026-11-20T09:10:00,2026-11-20T09:20:00,2,2026-11-20T09:20:00,2026-11-20T09:40:00,,,+86 {phone[..3]}-{phone[3..7]}-{phone[7..]}
            """;
        using var client = TestSystem.FootTraffic.ClientFor(Tokens.BranchLead(branch));

        var first = await TrafficFixture.ReadAsync<VisitLogResult>(await TrafficFixture.ImportAsync(client, csv), HttpStatusCode.OK);
        Assert.That((first.Rows, first.Added, first.Updated), Is.EqualTo((3, 3, 0)));
        Assert.That(await RollupAndMixTests.RollupMismatchesAsync(branch), Is.Empty, "the day's rollups count the visit identified by phone");

        await using (var db = TestSystem.FootTraffic.NewDbContext())
        {
            var visits = await db.Visits.AsNoTracking().Where(v => v.BranchCode == branch).OrderBy(v => v.TicketNumber).ToListAsync();
            Assert.That(visits.Select(v => v.CustomerId), Is.EqualTo(new Guid?[] { byNumber, null, byPhone }));
            Assert.That(visits[1].AbandonedAt, Is.EqualTo(new DateTimeOffset(2026, 11, 20, 1, 30, 0, TimeSpan.Zero)));
            Assert.That(visits[2].ArrivedAt, Is.EqualTo(new DateTimeOffset(2026, 11, 20, 1, 10, 0, TimeSpan.Zero)), "a time without offset is the branch's local time");
            Assert.That(visits.All(v => v.LogDate == new DateOnly(2026, 11, 20)), Is.True);
        }

        // Identified visits go over the real broker as BranchVisitRecorded; the anonymous one does not.
        var published = await TrafficBusListener.WaitForAsync<BranchVisitRecorded>(e => e.BranchCode == branch, 2, "the identified visits on the bus");
        Assert.That(published.Select(e => e.CustomerId), Is.EquivalentTo(new Guid?[] { byNumber, byPhone }));

        var again = await TrafficFixture.ReadAsync<VisitLogResult>(await TrafficFixture.ImportAsync(client, csv), HttpStatusCode.OK);
        Assert.That((again.Added, again.Updated), Is.EqualTo((0, 0)));
        var events = await TestDatabases.ScalarAsync<long>(TestSystem.FootTraffic.Database,
            $"SELECT count(*) FROM outbox_messages WHERE message_type LIKE '%BranchVisitRecorded' AND body->>'branchCode' = '{branch}'"); // beside each import's ImportFinished notice
        Assert.That(events, Is.EqualTo(2), "the same log twice publishes nothing more");

        // A later log of the same day fills in what happened since.
        var later = $"""
            {TrafficFixture.Header}
            {branch},A002,理财咨询,2026-11-20T09:03:00+08:00,,,,,2026-11-20T09:30:00+08:00,,
            {branch},A004,存取款,2026-11-20T10:00:00+08:00,2026-11-20T10:02:00+08:00,1,2026-11-20T10:02:00+08:00,2026-11-20T10:09:00+08:00,,,
            """;
        var third = await TrafficFixture.ReadAsync<VisitLogResult>(await TrafficFixture.ImportAsync(client, later), HttpStatusCode.OK);
        Assert.That((third.Added, third.Updated), Is.EqualTo((1, 0)));
        Assert.That(await RollupAndMixTests.RollupMismatchesAsync(branch), Is.Empty);
    }

    [Test]
    public async Task The_events_of_an_import_are_the_contract_serialised_in_the_logs_order_on_both_paths()
    {
        var (branch, number, phone, byNumber, byPhone) = await TwoCustomersAsync();
        using var client = TestSystem.FootTraffic.ClientFor(Tokens.BranchLead(branch));

        // Every ticket new (the plain inserts): events for the identified visits, in the log's order, not the tickets'.
        var allNew = $"""
            {TrafficFixture.Header}
            {branch},A002,理财咨询,2026-11-21T09:03:00+08:00,,,,,,,{phone}
            {branch},A003,存取款,2026-11-21T09:04:00+08:00,,,,,,,
            {branch},A001,存取款,2026-11-21T09:06:00+08:00,,,,,,{number},
            """;
        var first = await TrafficFixture.ReadAsync<VisitLogResult>(await TrafficFixture.ImportAsync(client, allNew), HttpStatusCode.OK);
        Assert.That((first.Added, first.Updated), Is.EqualTo((3, 0)));
        Assert.That(await OutboxEventsAsync(branch), Is.EqualTo(new[]
        {
            await ExpectedAsync(branch, "A002", byPhone, "理财咨询", new DateTimeOffset(2026, 11, 21, 9, 3, 0, TimeSpan.FromHours(8))),
            await ExpectedAsync(branch, "A001", byNumber, "存取款", new DateTimeOffset(2026, 11, 21, 9, 6, 0, TimeSpan.FromHours(8))),
        }));

        // A stored ticket again and a ticket twice in the log (the general merge): the last row of a ticket wins,
        // and the events follow, in the order of those rows, the ones before.
        var merged = $"""
            {TrafficFixture.Header}
            {branch},B002,对公业务,2026-11-21T10:00:00+08:00,,,,,,,
            {branch},A001,存取款,2026-11-21T09:06:00+08:00,2026-11-21T09:08:00+08:00,1,,,,{number},
            {branch},B001,存取款,2026-11-21T10:01:00+08:00,,,,,,,{phone}
            {branch},B002,对公业务,2026-11-21T10:00:00+08:00,2026-11-21T10:05:00+08:00,2,,,,{number},
            """;
        var second = await TrafficFixture.ReadAsync<VisitLogResult>(await TrafficFixture.ImportAsync(client, merged), HttpStatusCode.OK);
        Assert.That((second.Added, second.Updated), Is.EqualTo((2, 1)));
        Assert.That(await OutboxEventsAsync(branch), Is.EqualTo(new[]
        {
            await ExpectedAsync(branch, "A002", byPhone, "理财咨询", new DateTimeOffset(2026, 11, 21, 9, 3, 0, TimeSpan.FromHours(8))),
            await ExpectedAsync(branch, "A001", byNumber, "存取款", new DateTimeOffset(2026, 11, 21, 9, 6, 0, TimeSpan.FromHours(8))),
            await ExpectedAsync(branch, "B001", byPhone, "存取款", new DateTimeOffset(2026, 11, 21, 10, 1, 0, TimeSpan.FromHours(8))),
            await ExpectedAsync(branch, "B002", byNumber, "对公业务", new DateTimeOffset(2026, 11, 21, 10, 0, 0, TimeSpan.FromHours(8))),
        }));
        Assert.That(await RollupAndMixTests.RollupMismatchesAsync(branch), Is.Empty);
    }

    /// <summary>A new branch with two customers FootTraffic knows: one a log names by number, one it finds by phone.</summary>
    private static async Task<(string Branch, string Number, string Phone, Guid ByNumber, Guid ByPhone)> TwoCustomersAsync()
    {
        var branch = TestServers.UniqueBranch();
        var number = TrafficFixture.UniqueCustomerNumber();
        var phone = TrafficFixture.UniquePhone();
        var byNumber = await TrafficFixture.RegisterCustomerAsync(number, branch, null, "Mass");
        var byPhone = await TrafficFixture.RegisterCustomerAsync(TrafficFixture.UniqueCustomerNumber(), branch, phone, "Affluent");
        return (branch, number, phone, byNumber, byPhone);
    }

    /// <summary>The branch's BranchVisitRecorded bodies in the outbox, in id (publishing) order, read as the contract.</summary>
    private static async Task<BranchVisitRecorded[]> OutboxEventsAsync(string branch)
    {
        var rows = await TestDatabases.ScalarAsync<string[]>(TestSystem.FootTraffic.Database,
            $"SELECT array_agg(message_type || ' ' || body::text ORDER BY id) FROM outbox_messages WHERE body->>'branchCode' = '{branch}' " +
            $"AND message_type <> '{OutboxMessage.TypeName<ImportFinished>()}'"); // each import's notice to its importer is the one other message
        Assert.That(rows.Select(r => r[..r.IndexOf(' ', StringComparison.Ordinal)]), Is.All.EqualTo(OutboxMessage.TypeName<BranchVisitRecorded>()));
        return [.. rows.Select(r => JsonSerializer.Deserialize<BranchVisitRecorded>(r[(r.IndexOf(' ', StringComparison.Ordinal) + 1)..], ContractTypes.JsonOptions)!)];
    }

    private static async Task<BranchVisitRecorded> ExpectedAsync(string branch, string ticket, Guid customer, string service, DateTimeOffset arrived)
    {
        await using var db = TestSystem.FootTraffic.NewDbContext();
        var visit = await db.Visits.AsNoTracking().SingleAsync(v => v.BranchCode == branch && v.TicketNumber == ticket);
        return new BranchVisitRecorded(visit.Id, branch, customer, ticket, service, arrived);
    }

    [Test]
    public async Task Bad_rows_are_reported_by_line_and_field_and_nothing_is_applied()
    {
        var branch = TestServers.UniqueBranch();
        var csv = $"""
            {TrafficFixture.Header}
            {branch},A001,存取款,2026-11-20T09:01:00+08:00,,,,,,,
            {branch},A002,存取款,yesterday,,,,,,,
            {branch},,存取款,2026-11-20T09:03:00+08:00,,,,,,,
            {branch},A004,存取款,2026-11-20T09:04:00+08:00,2026-11-20T09:00:00+08:00,,,,,12AB,
            OTHER,A005,存取款,2026-11-20T09:05:00+08:00,,,,,,,
            {branch},A006,存取款,2026-11-20T09:06:00+08:00,,COUNTER-0006,,,,,
            """;
        using var client = TestSystem.FootTraffic.ClientFor(Tokens.BranchLead(branch));
        var response = await TrafficFixture.ImportAsync(client, csv);
        Assert.That(response.StatusCode, Is.EqualTo(HttpStatusCode.BadRequest));
        using var problem = JsonDocument.Parse(await response.Content.ReadAsStringAsync());
        var errors = problem.RootElement.GetProperty("errors").EnumerateArray()
            .Select(e => (e.GetProperty("line").GetInt32(), e.GetProperty("field").GetString())).ToList();
        Assert.That(errors, Is.EqualTo(new[]
        {
            (3, "issued_at"), (4, "ticket_number"), (5, "called_at"), (5, "customer_number"), (6, "branch_code"), (7, "counter"),
        }));
        Assert.That(problem.RootElement.GetProperty("errorCount").GetInt32(), Is.EqualTo(6));
        var tooLong = problem.RootElement.GetProperty("errors")[5];
        Assert.That((tooLong.GetProperty("code").GetString(), tooLong.GetProperty("arguments").GetProperty("max").GetInt32()), Is.EqualTo(("too-long", 10)),
            "a too-long field names its maximum, for the portal's words");
        var stored = await TestDatabases.ScalarAsync<long>(TestSystem.FootTraffic.Database, $"SELECT count(*) FROM branch_visits WHERE branch_code = '{branch}'");
        Assert.That(stored, Is.Zero, "not even the good first row");
    }

    [TestCase("2026-11-20T09:30:00+08:00")]
    [TestCase("2026-11-20T23:59:59-05:30")]
    [TestCase("2024-02-29T00:00:00+00:00")]
    [TestCase("0001-01-01T00:00:00-01:00")]
    public void The_queue_machines_time_format_reads_as_the_general_parser_does(string text)
    {
        Assert.That(VisitLogImporter.TryParseQueueTime(text, out var fast), Is.True);
        var general = DateTimeOffset.ParseExact(text, "yyyy-MM-dd'T'HH:mm:sszzz", System.Globalization.CultureInfo.InvariantCulture).ToUniversalTime();
        Assert.That((fast, fast.Offset), Is.EqualTo((general, TimeSpan.Zero)));
    }

    [TestCase("2026-02-29T09:30:00+08:00")]
    [TestCase("2026-11-20T24:00:00+08:00")]
    [TestCase("2026-11-20T09:60:00+08:00")]
    [TestCase("2026-11-20 09:30:00+08:00")]
    [TestCase("2026-11-20T09:30:00+15:00")]
    [TestCase("2026-11-20T09:30:00")]
    [TestCase("2026-1a-20T09:30:00+08:00")]
    [TestCase("0001-01-01T00:00:00+01:00")]
    public void Anything_else_is_left_to_the_general_parser(string text) =>
        Assert.That(VisitLogImporter.TryParseQueueTime(text, out _), Is.False);

    [Test]
    public async Task A_log_without_the_required_columns_is_refused()
    {
        using var client = TestSystem.FootTraffic.ClientFor(Tokens.HeadOffice);
        var response = await TrafficFixture.ImportAsync(client, "branch_code,ticket\nX,1\n");
        Assert.That(response.StatusCode, Is.EqualTo(HttpStatusCode.BadRequest));
        Assert.That(await response.Content.ReadAsStringAsync(), Does.Contain("service_type"));
    }
}
