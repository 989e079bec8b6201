using System.Net;
using System.Text;
using BankClientele.Contracts.CustomerCare;
using BankClientele.Hosting.Customers;
using BankClientele.Hosting.Privacy;
using BankClientele.Acquisition.Import;
using MassTransit;
using Microsoft.EntityFrameworkCore;

namespace BankClientele.Acquisition.Tests.Funnel;

/// <summary>
/// Issue #26: prospect imports running while an AccountOpenedV2 burst converts leads of the same lead counts
/// (campaign, branch, channel), some of them named again by the lists: neither deadlocks the other, no account
/// ends in the _error queue, every conversion is applied, and the kept counts equal a recount from the rows.
/// </summary>
[NonParallelizable]
public sealed class ImportBesideConversionsTests
{
    private static readonly PersonalDataHash Hash = TestServers.Hashes;
    private const string Queue = "acquisition-account-opened-v2";
    private static readonly string[] Channels = ["import", "lobby", "partner", "community-event"];

    private static readonly System.Text.Json.JsonSerializerOptions Json = new(System.Text.Json.JsonSerializerDefaults.Web);

    private static async Task<long> CountAsync(string sql) => await TestDatabases.ScalarAsync<long>(TestSystem.Acquisition.Database, sql);

    [Test]
    public async Task Imports_beside_a_conversion_burst_leave_nothing_in_error_convert_every_account_and_keep_the_counts_true()
    {
        // 400 accounts: two full batches of the consumer (200 each, two at once) over every lead count the lists
        // touch (13 campaigns x 4 channels), converting for seconds while the lists go in (asserted at the end).
        const int converting = 400, rounds = 3, newPerRound = 400, relistedPerRound = 100;
        var branch = TestServers.UniqueBranch();
        var first = Random.Shared.Next(10_000_000, 80_000_000);
        string Phone(int i) => $"137{first + i}";

        // The leads the burst converts.
        var csv = Csv(branch, Enumerable.Range(0, converting).Select(i => (Phone(i), $"C{i % 13}", Channels[i % Channels.Length])));
        var imported = await TestSystem.Services.ImportProspectsAsync(Tokens.BranchLead(branch), csv);
        Assert.That(imported.StatusCode, Is.EqualTo(HttpStatusCode.OK), await imported.Content.ReadAsStringAsync());

        await ErrorQueues.TakeAsync($"{Queue}_error"); // faults of earlier runs are not this test's
        var accounts = Enumerable.Range(0, converting).Select(i => Account(branch, ServiceSystem.NewCustomerNumber(), Hash.Phone(Phone(i)))).ToList();
        var messageIds = accounts.ToDictionary(a => a.CustomerId, _ => Guid.NewGuid());

        // Each round: new leads over the same counts, and leads the burst is converting listed again under another campaign.
        var lists = Enumerable.Range(0, rounds).Select(r => Csv(branch,
            Enumerable.Range(converting + r * newPerRound, newPerRound).Select(i => (Phone(i), $"C{i % 13}", Channels[i % Channels.Length]))
                .Concat(Enumerable.Range(r * relistedPerRound, relistedPerRound).Select(i => (Phone(i), $"R{r}", "import"))))).ToList();
        var burst = TestSystem.Acquisition.Get<IBus>().PublishBatch(accounts, context => context.MessageId = messageIds[context.Message.CustomerId]);
        var imports = Task.Run(async () =>
        {
            var answers = new List<(HttpStatusCode Status, string Body, ImportResult? Result)>();
            var started = DateTimeOffset.UtcNow;
            foreach (var list in lists)
            {
                var answer = await TestSystem.Services.ImportProspectsAsync(Tokens.BranchLead(branch), list);
                var body = await answer.Content.ReadAsStringAsync();
                answers.Add((answer.StatusCode, body, answer.IsSuccessStatusCode ? System.Text.Json.JsonSerializer.Deserialize<ImportResult>(body, Json) : null));
            }
            return (answers, started, Ended: DateTimeOffset.UtcNow);
        });
        await burst;
        var (answers, importsStarted, importsEnded) = await imports;
        Assert.That(answers.Select(a => a.Status), Is.All.EqualTo(HttpStatusCode.OK), string.Join("\n", answers.Select(a => a.Body)));
        // A lead listed again is merged, or left out once its conversion has made it a customer (CustomerCare's CustomerRegistered).
        Assert.That(answers.Select(a => (a.Result!.Inserted, a.Result.Merged + a.Result.ExistingCustomers)), Is.All.EqualTo((newPerRound, relistedPerRound)),
            "each list's new leads inserted and its listed-again ones merged into the leads being converted (or left out as customers)");
        Assert.That(answers.Sum(a => a.Result!.Merged), Is.GreaterThan(0), "some listed-again leads merged while the burst converted");
        TestContext.Out.WriteLine("Imports' phases (s): " + string.Join(" | ", answers.Select(a => string.Join(", ", a.Result!.Phases!.Select(p => $"{p.Key} {p.Value}")))));

        var faulted = new Dictionary<Guid, string>();
        var ours = messageIds.Values.ToHashSet();
        var ids = string.Join(",", ours.Select(id => $"'{id}'"));
        var handled = await Poll.UntilAsync(async () =>
        {
            foreach (var (id, fault) in await ErrorQueues.TakeAsync($"{Queue}_error"))
            {
                if (ours.Contains(id))
                {
                    faulted[id] = fault;
                }
            }
            return await CountAsync($"SELECT count(*) FROM inbox_messages WHERE consumer = 'AccountOpenedV2Consumer' AND message_id IN ({ids})");
        }, n => n + faulted.Count >= ours.Count, $"each of the {ours.Count} accounts in the inbox or the _error queue", TimeSpan.FromSeconds(120));

        Assert.Multiple(async () =>
        {
            Assert.That(faulted, Is.Empty, $"{faulted.Count} accounts faulted to {Queue}_error ({string.Join("; ", faulted.Values.Distinct())})");
            Assert.That(handled, Is.EqualTo(converting), "every account in the inbox");
            Assert.That(await CountAsync($"SELECT count(*) FROM prospects WHERE branch_code = '{branch}' AND customer_id IS NOT NULL"), Is.EqualTo(converting),
                "every lead of the burst converted");
            Assert.That(await CountAsync($"SELECT count(*) FROM prospects WHERE branch_code = '{branch}'"), Is.EqualTo(converting + rounds * newPerRound),
                "the lists' new leads added, the listed-again ones merged");
            Assert.That(await CountAsync($"SELECT coalesce(sum(accounts_opened), 0)::bigint FROM lead_stage_counts WHERE branch_code = '{branch}'"),
                Is.EqualTo(converting), "the kept counts hold every conversion");
            Assert.That(await CountsOffRecountAsync(branch), Is.Empty, "lead counts that differ from a recount of the rows");
        });

        // The race this guards needs the two to overlap: conversion batches began while the lists were being imported.
        var during = await CountAsync($"""
            SELECT count(*) FROM inbox_messages WHERE consumer = 'AccountOpenedV2Consumer' AND message_id IN ({ids})
              AND received_at BETWEEN '{importsStarted:O}'::timestamptz AND '{importsEnded:O}'::timestamptz
            """);
        TestContext.Out.WriteLine($"Imports ran {(importsEnded - importsStarted).TotalSeconds:F1} s; {during} of {converting} accounts converted meanwhile");
        Assert.That(during, Is.GreaterThan(0), "some accounts converted while the imports ran");
    }

    /// <summary>The lead counts of the branch that differ from a recount of its prospects (a count with no lead left counts as none).</summary>
    private static async Task<List<string>> CountsOffRecountAsync(string branch)
    {
        await using var db = TestSystem.Acquisition.NewDbContext();
        return await db.Database.SqlQuery<string>($"""
            WITH recount AS (
                SELECT coalesce(campaign_code, '') AS campaign_code, branch_code, channel, count(*) AS leads, count(contacted_at) AS contacted,
                       count(interested_at) AS interested, count(appointment_at) AS appointments, count(customer_id) AS accounts_opened,
                       count(activated_at) AS activated, coalesce(sum(deposit_after30days), 0) AS deposits30,
                       coalesce(sum(deposit_after90days), 0) AS deposits90,
                       coalesce(sum(extract(epoch FROM converted_at - created_at) / 86400.0), 0)::float8 AS convert_days,
                       count(converted_at) AS converted_timed
                FROM prospects WHERE branch_code = {branch} GROUP BY 1, 2, 3),
            kept AS (SELECT * FROM lead_stage_counts WHERE branch_code = {branch} AND leads <> 0)
            SELECT format('%s/%s: kept %s, recounted %s', coalesce(k.campaign_code, r.campaign_code), coalesce(k.channel, r.channel),
                          row(k.leads, k.contacted, k.interested, k.appointments, k.accounts_opened, k.activated, k.deposits30, k.deposits90, k.convert_days, k.converted_timed),
                          row(r.leads, r.contacted, r.interested, r.appointments, r.accounts_opened, r.activated, r.deposits30, r.deposits90, r.convert_days, r.converted_timed)) AS "Value"
            FROM kept k FULL JOIN recount r USING (campaign_code, branch_code, channel)
            WHERE (k.leads, k.contacted, k.interested, k.appointments, k.accounts_opened, k.activated, k.deposits30, k.deposits90, k.converted_timed)
                  IS DISTINCT FROM (r.leads, r.contacted, r.interested, r.appointments, r.accounts_opened, r.activated, r.deposits30, r.deposits90, r.converted_timed)
               OR abs(k.convert_days - r.convert_days) > 1e-6
            """).ToListAsync();
    }

    private static string Csv(string branch, IEnumerable<(string Phone, string Campaign, string Channel)> rows)
    {
        var csv = new StringBuilder("full_name,phone,id_number,branch_code,campaign_code,channel,consent_at,consent_channel,consent_wording\n");
        var n = 0;
        foreach (var (phone, campaign, channel) in rows)
        {
            csv.Append($"客户{n++},{phone},,{branch},{campaign},{channel},,,\n");
        }
        return csv.ToString();
    }

    private static AccountOpenedV2 Account(string branch, string number, string? phoneHash) =>
        new(CustomerIds.FromCustomerNumber(number), number, $"{number}-acct", "SAVINGS", branch,
            DateOnly.FromDateTime(DateTime.UtcNow.AddHours(8)), 1_000m, phoneHash, null, FirstAccountOfCustomer: true);
}
