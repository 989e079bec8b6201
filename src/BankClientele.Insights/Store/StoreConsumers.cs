using BankClientele.Contracts.Acquisition;
using BankClientele.Contracts.CustomerCare;
using BankClientele.Hosting.Messaging;
using BankClientele.Insights.BranchStats;
using MassTransit;
using Microsoft.EntityFrameworkCore;

namespace BankClientele.Insights.Store;

internal static class CustomerBook
{
    /// <summary>
    /// Records the customer once and counts them in the branch only the first time, whichever of
    /// CustomerRegistered and ProspectConverted arrives first.
    /// </summary>
    public static async Task AddAsync(InsightsDbContext db, Guid customerId, string customerNumber, string branchCode, DateTimeOffset at, CancellationToken ct)
    {
        var inserted = await db.Database.ExecuteSqlAsync($"""
            INSERT INTO analytic_customers (customer_id, customer_number, branch_code, first_seen_at)
            VALUES ({customerId}, {customerNumber}, {branchCode}, {at})
            ON CONFLICT (customer_id) DO NOTHING
            """, ct);
        if (inserted == 1)
        {
            await BranchStatisticsCounter.AddAsync(db, branchCode, 1, 0, 0, ct);
        }
    }
}

/// <summary>Converted prospects into the customer book (and, the first time, their branch's count).</summary>
public sealed class CustomerCountV2Consumer(InsightsDbContext db) : InboxConsumer<ProspectConvertedV2, InsightsDbContext>(db)
{
    // A converted prospect also arrives as CustomerRegistered: the book records and counts them once.
    protected override Task HandleAsync(ProspectConvertedV2 message, ConsumeContext<ProspectConvertedV2> context) =>
        CustomerBook.AddAsync(Db, message.CustomerId, message.CustomerNumber ?? message.CustomerId.ToString(), message.BranchCode, message.ConvertedAt, context.CancellationToken);
}

#pragma warning disable CS0618 // reads the old contract, queued before the upgrade (ids and codes only)
public sealed class CustomerCountConsumer(InsightsDbContext db) : InboxConsumer<ProspectConverted, InsightsDbContext>(db)
{
    protected override Task HandleAsync(ProspectConverted message, ConsumeContext<ProspectConverted> context) =>
        CustomerBook.AddAsync(Db, message.CustomerId, message.CustomerNumber ?? message.CustomerId.ToString(), message.BranchCode, message.ConvertedAt, context.CancellationToken);
}
#pragma warning restore CS0618

/// <summary>
/// The customer book from CustomerCare's registrations. A feed registers thousands at once: a batch is
/// one statement that records the customers not seen before and counts only those in their branches.
/// </summary>
public sealed class CustomerRegisteredConsumer(InsightsDbContext db) : InboxBatchConsumer<CustomerRegistered, InsightsDbContext>(db)
{
    protected override Task HandleBatchAsync(IReadOnlyList<CustomerRegistered> messages, ConsumeContext<Batch<CustomerRegistered>> context)
    {
        var ids = messages.Select(m => m.CustomerId).ToArray();
        var numbers = messages.Select(m => m.CustomerNumber).ToArray();
        var branches = messages.Select(m => m.BranchCode).ToArray();
        var at = messages.Select(m => m.RegisteredAt.ToUniversalTime()).ToArray();
        // Keys in order (customers, then branches), so concurrent batches lock shared rows in the same order.
        return Db.Database.ExecuteSqlAsync($"""
            WITH added AS (
                INSERT INTO analytic_customers (customer_id, customer_number, branch_code, first_seen_at)
                SELECT DISTINCT ON (id) id, number, branch, at
                FROM unnest({ids}::uuid[], {numbers}::text[], {branches}::text[], {at}::timestamptz[]) WITH ORDINALITY AS m(id, number, branch, at, n)
                ORDER BY id, n
                ON CONFLICT (customer_id) DO NOTHING
                RETURNING branch_code)
            INSERT INTO branch_statistics (branch_code, customers, assignments, visits, updated_at)
            SELECT branch_code, count(*), 0, 0, now() FROM added GROUP BY branch_code ORDER BY branch_code
            ON CONFLICT (branch_code) DO UPDATE SET
                customers = branch_statistics.customers + excluded.customers, updated_at = excluded.updated_at
            """, context.CancellationToken);
    }
}

/// <summary>
/// Branch-days of balances, several chunks a transaction (<see cref="BulkBatchConsumerDefinition{TConsumer}"/>): the feed
/// sends a branch's days one after another, so a batch is mostly the same customers on consecutive days, and one insert
/// sorted by the key (customer, day) writes each customer's index page once for all of them.
/// </summary>
public sealed class DailyBalancesConsumer(InsightsDbContext db) : InboxBatchConsumer<DailyBalancesRecorded, InsightsDbContext>(db)
{
    protected override async Task HandleBatchAsync(IReadOnlyList<DailyBalancesRecorded> messages, ConsumeContext<Batch<DailyBalancesRecorded>> context)
    {
        var ct = context.CancellationToken;
        if (messages.FirstOrDefault(m => !m.IsWellFormed()) is { } malformed)
        {
            // The batch then goes message by message, and this one alone to the _error queue.
            throw new InvalidOperationException($"DailyBalancesRecorded {malformed.BranchCode} {malformed.Date}: its columns are missing or of different lengths.");
        }
        var balances = BalanceColumns.Of(messages, MessageIds);
        // Nearly always days not stored yet (the feed's next days): a plain insert, a third cheaper than an upsert. When
        // any of them is stored already (a re-sent or corrected feed), it is undone and the upsert decides which wins.
        var transaction = Db.Database.CurrentTransaction!;
        await transaction.CreateSavepointAsync("new_balances", ct);
        try
        {
            await StoreAsync(balances, upsert: false, ct);
        }
        catch (Npgsql.PostgresException e) when (e.SqlState == Npgsql.PostgresErrorCodes.UniqueViolation)
        {
            await transaction.RollbackToSavepointAsync("new_balances", ct);
            await StoreAsync(balances, upsert: true, ct);
        }
        var joinedEarlier = await UpliftStore.RecordFirstBalancesAsync(Db, balances.Ids, balances.Days, ct);
        // Chunks of one branch-day in two transactions would each sum without the other's rows: a branch at a time,
        // its lock taken in code order (two batches never wait on each other in a circle).
        var branchDays = messages.Select(m => (m.BranchCode, m.Date)).Distinct().ToArray();
        var branches = branchDays.Select(d => d.BranchCode).Distinct().Order(StringComparer.Ordinal).ToArray();
        foreach (var branch in branches)
        {
            await UpliftStore.LockBranchAsync(Db, branch, ct);
        }
        var dayBranches = branchDays.Select(d => d.BranchCode).ToArray();
        var dayDates = branchDays.Select(d => d.Date).ToArray();
        await Db.Database.ExecuteSqlAsync($"""
            INSERT INTO branch_daily_deposits (branch_code, day, customers, deposit, wealth)
            SELECT p.branch_code, p.day, count(b.customer_id), coalesce(sum(b.deposit), 0), coalesce(sum(b.wealth), 0)
            FROM unnest({dayBranches}::text[], {dayDates}::date[]) AS p(branch_code, day)
            LEFT JOIN daily_balances b ON b.branch_code = p.branch_code AND b.day = p.day
            GROUP BY p.branch_code, p.day
            ON CONFLICT (branch_code, day) DO UPDATE SET
                customers = excluded.customers, deposit = excluded.deposit, wealth = excluded.wealth
            """, ct);
        // The grouped rows follow in the regrouper, a branch's landed days at a time.
        await UpliftStore.MarkPendingAsync(Db, dayBranches, dayDates, ct);
        if (joinedEarlier)
        {
            await UpliftStore.MarkStaleAsync(Db, branches, ct);
        }
    }

    /// <summary>
    /// Writes the batch's balances in key order (customer, day). Message ids are time-ordered (the outbox's order): of two
    /// balances of one customer and day, the newer message's wins, in this batch and, with <paramref name="upsert"/>,
    /// against the stored one, whatever order the messages arrive in (two batches run at once).
    /// </summary>
    private Task StoreAsync(BalanceColumns balances, bool upsert, CancellationToken ct) =>
        Db.Database.ExecuteSqlRawAsync(upsert ? InsertOrUpdate : InsertNew,
            [balances.Ids, balances.Days, balances.Branches, balances.Deposits, balances.Wealth, balances.MessageIds], ct);

    private const string InsertNew = """
        INSERT INTO daily_balances (customer_id, day, branch_code, deposit, wealth, message_id)
        SELECT DISTINCT ON (b.id, b.day) b.id, b.day, b.branch, b.deposit, b.wealth, b.message_id
        FROM unnest({0}::uuid[], {1}::date[], {2}::text[], {3}::numeric[], {4}::numeric[], {5}::uuid[])
             AS b(id, day, branch, deposit, wealth, message_id)
        ORDER BY b.id, b.day, b.message_id DESC
        """;

    private const string InsertOrUpdate = InsertNew + """

        ON CONFLICT (customer_id, day) DO UPDATE SET
            branch_code = excluded.branch_code, deposit = excluded.deposit, wealth = excluded.wealth, message_id = excluded.message_id
        WHERE daily_balances.message_id IS NULL OR daily_balances.message_id <= excluded.message_id
        """;

    /// <summary>A batch's balances as columns, one row per customer and day, with the id of the message each came in.</summary>
    private sealed record BalanceColumns(Guid[] Ids, DateOnly[] Days, string[] Branches, decimal[] Deposits, decimal[] Wealth, Guid[] MessageIds)
    {
        public static BalanceColumns Of(IReadOnlyList<DailyBalancesRecorded> messages, IReadOnlyList<Guid> messageIds)
        {
            var total = messages.Sum(m => m.CustomerIds.Length);
            var columns = new BalanceColumns(new Guid[total], new DateOnly[total], new string[total], new decimal[total], new decimal[total], new Guid[total]);
            var at = 0;
            for (var n = 0; n < messages.Count; n++)
            {
                var message = messages[n];
                var length = message.CustomerIds.Length;
                message.CustomerIds.CopyTo(columns.Ids, at);
                message.Deposits.CopyTo(columns.Deposits, at);
                message.Wealth.CopyTo(columns.Wealth, at);
                Array.Fill(columns.Days, message.Date, at, length);
                Array.Fill(columns.Branches, message.BranchCode, at, length);
                Array.Fill(columns.MessageIds, messageIds[n], at, length);
                at += length;
            }
            return columns;
        }
    }
}

/// <summary>A campaign's treated and control customers (a chunk of them), for its difference-in-differences.</summary>
public sealed class CampaignAudienceConsumer(InsightsDbContext db) : InboxConsumer<CampaignAudienceAssigned, InsightsDbContext>(db)
{
    protected override async Task HandleAsync(CampaignAudienceAssigned message, ConsumeContext<CampaignAudienceAssigned> context)
    {
        var ids = message.Treated.Concat(message.Control).ToArray();
        var treated = message.Treated.Select(_ => true).Concat(message.Control.Select(_ => false)).ToArray();
        await Db.Database.ExecuteSqlAsync($"""
            INSERT INTO campaign_audience (campaign_code, customer_id, branch_code, treated, starts_on)
            SELECT {message.CampaignCode}, a.id, {message.BranchCode}, a.treated, {message.StartsOn}
            FROM unnest({ids}::uuid[], {treated}::boolean[]) AS a(id, treated)
            ON CONFLICT (campaign_code, customer_id) DO UPDATE SET treated = excluded.treated, starts_on = excluded.starts_on
            """, context.CancellationToken);
        // The campaign's arms are grouped rows of the uplift store: rebuilt for the branch by the job.
        await UpliftStore.MarkStaleAsync(Db, message.BranchCode, context.CancellationToken);
    }
}
