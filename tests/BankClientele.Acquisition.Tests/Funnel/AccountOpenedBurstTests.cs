using System.Net;
using System.Text;
using BankClientele.Contracts.CustomerCare;
using BankClientele.Hosting.Customers;
using BankClientele.Hosting.Privacy;
using MassTransit;

namespace BankClientele.Acquisition.Tests.Funnel;

/// <summary>
/// Issue #26: a burst of AccountOpenedV2 published at once (MassTransit's PublishBatch) on Acquisition's own bus
/// must reach its inbox whole, every message, as the same messages published one by one do, also when the burst
/// converts many prospects (the demo's feed): none may end in the _error queue.
/// </summary>
[NonParallelizable]
public sealed class AccountOpenedBurstTests
{
    private static readonly PersonalDataHash Hash = TestServers.Hashes;
    private const string Queue = "acquisition-account-opened-v2";

    private static DateOnly BankToday() => DateOnly.FromDateTime(DateTime.UtcNow.AddHours(8));

    private static async Task<long> CountAsync(string sql) => await TestDatabases.ScalarAsync<long>(TestSystem.Acquisition.Database, sql);

    [TestCase(1_000)]
    public async Task A_burst_of_strangers_published_at_once_reaches_the_inbox_whole(int count)
    {
        var branch = TestServers.UniqueBranch();
        var accounts = Enumerable.Range(0, count).Select(i => Account(branch, ServiceSystem.NewCustomerNumber(), $"phone-{branch}-{i}")).ToList();

        var messageIds = await PublishBatchAsync(accounts);

        await InboxHoldsAllAsync(messageIds);
    }

    /// <summary>
    /// Every account of the burst converts a prospect, the prospects spread over many lead counts (campaign, branch,
    /// channel): concurrent batches converting them must not deadlock one another into the _error queue.
    /// </summary>
    [TestCase(1_000)] // 300 deadlocked only now and then before the fix; 1,000 did every time
    public async Task A_burst_converting_prospects_published_at_once_reaches_the_inbox_whole_and_converts_each(int count)
    {
        var branch = TestServers.UniqueBranch();
        string[] channels = ["import", "lobby", "partner", "community-event"];
        var first = Random.Shared.Next(10_000_000, 89_999_999);
        var phones = Enumerable.Range(0, count).Select(i => $"139{first + i}").ToList();
        var csv = new StringBuilder("full_name,phone,id_number,branch_code,campaign_code,channel,consent_at,consent_channel,consent_wording\n");
        for (var i = 0; i < count; i++)
        {
            csv.Append($"客户{i},{phones[i]},,{branch},C{i % 13},{channels[i % channels.Length]},,,\n");
        }
        var imported = await TestSystem.Services.ImportProspectsAsync(Tokens.BranchLead(branch), csv.ToString());
        Assert.That(imported.StatusCode, Is.EqualTo(HttpStatusCode.OK), await imported.Content.ReadAsStringAsync());
        Assert.That(await CountAsync($"SELECT count(*) FROM prospects WHERE branch_code = '{branch}'"), Is.EqualTo(count));

        var accounts = phones.Select(phone => Account(branch, ServiceSystem.NewCustomerNumber(), Hash.Phone(phone))).ToList();
        var messageIds = await PublishBatchAsync(accounts);

        await InboxHoldsAllAsync(messageIds);
        Assert.That(await CountAsync($"SELECT count(*) FROM prospects WHERE branch_code = '{branch}' AND customer_id IS NOT NULL"), Is.EqualTo(count),
            "every prospect converted by its account");
    }

    private static AccountOpenedV2 Account(string branch, string number, string? phoneHash) =>
        new(CustomerIds.FromCustomerNumber(number), number, $"{number}-acct", "SAVINGS", branch, BankToday(), 1_000m, phoneHash, null, FirstAccountOfCustomer: true);

    /// <summary>Publishes the accounts at once (PublishBatch) on Acquisition's own bus, each with a message id of its own.</summary>
    private static async Task<List<Guid>> PublishBatchAsync(List<AccountOpenedV2> accounts)
    {
        await ErrorQueues.TakeAsync($"{Queue}_error"); // faults of earlier runs are not this burst's
        var messageIds = accounts.ToDictionary(a => a.CustomerId, _ => Guid.NewGuid());
        Assert.That(messageIds.Values.Distinct().Count(), Is.EqualTo(accounts.Count), "every message an id of its own");
        await TestSystem.Acquisition.Get<IBus>().PublishBatch(accounts, context => context.MessageId = messageIds[context.Message.CustomerId]);
        return [.. messageIds.Values];
    }

    /// <summary>
    /// Waits (bounded) until each message of the burst is either in the inbox or in the _error queue (taken from it as
    /// they come), then requires them all in the inbox: one faulted never arrives, and the fault says why.
    /// </summary>
    private static async Task InboxHoldsAllAsync(List<Guid> messageIds)
    {
        var ours = messageIds.ToHashSet();
        var faulted = new Dictionary<Guid, string>();
        var ids = string.Join(",", messageIds.Select(id => $"'{id}'"));
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
        }, n => n + faulted.Count >= messageIds.Count, $"each of the {messageIds.Count} messages in the inbox or the _error queue", TimeSpan.FromSeconds(90));
        Assert.That(faulted, Is.Empty,
            $"{faulted.Count} of {messageIds.Count} faulted to {Queue}_error instead of reaching the inbox ({string.Join("; ", faulted.Values.Distinct())})");
        Assert.That(handled, Is.EqualTo(messageIds.Count), "every message of the burst in the inbox");
    }
}
