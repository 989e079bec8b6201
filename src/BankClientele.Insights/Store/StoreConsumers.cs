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
/// A branch's balances of one day (one chunk of them), stored set-based: the chunk's columns go
/// to PostgreSQL as arrays and are unnested into one INSERT … ON CONFLICT, then the branch-day
/// total is recomputed from the stored rows, so a re-sent chunk replaces rather than adds. The
/// day's grouped uplift rows are queued for the regrouper, not written here: regrouping a branch's
/// days together costs a fraction of one chunk at a time while a year of balances pours in.
/// </summary>
public sealed class DailyBalancesConsumer(InsightsDbContext db) : InboxConsumer<DailyBalancesRecorded, InsightsDbContext>(db)
{
    protected override async Task HandleAsync(DailyBalancesRecorded message, ConsumeContext<DailyBalancesRecorded> context)
    {
        var ct = context.CancellationToken;
        if (!message.IsWellFormed())
        {
            throw new InvalidOperationException($"DailyBalancesRecorded {message.BranchCode} {message.Date}: its columns are missing or of different lengths.");
        }
        var (ids, deposits, wealth) = (message.CustomerIds, message.Deposits, message.Wealth);
        await Db.Database.ExecuteSqlAsync($"""
            INSERT INTO daily_balances (customer_id, day, branch_code, deposit, wealth)
            SELECT b.id, {message.Date}, {message.BranchCode}, b.deposit, b.wealth
            FROM unnest({ids}::uuid[], {deposits}::numeric[], {wealth}::numeric[]) AS b(id, deposit, wealth)
            ON CONFLICT (customer_id, day) DO UPDATE SET
                branch_code = excluded.branch_code, deposit = excluded.deposit, wealth = excluded.wealth
            """, ct);
        var joinedEarlier = await UpliftStore.RecordFirstBalancesAsync(Db, message.Date, ids, ct);
        // Chunks of one branch-day consumed at once would each sum without the other's rows: one at a time.
        await UpliftStore.LockBranchAsync(Db, message.BranchCode, ct);
        await Db.Database.ExecuteSqlAsync($"""
            INSERT INTO branch_daily_deposits (branch_code, day, customers, deposit, wealth)
            SELECT {message.BranchCode}, {message.Date}, count(*), coalesce(sum(deposit), 0), coalesce(sum(wealth), 0)
            FROM daily_balances WHERE branch_code = {message.BranchCode} AND day = {message.Date}
            ON CONFLICT (branch_code, day) DO UPDATE SET
                customers = excluded.customers, deposit = excluded.deposit, wealth = excluded.wealth
            """, ct);
        // The grouped rows follow in the regrouper, a branch's landed days at a time.
        await UpliftStore.MarkPendingAsync(Db, message.BranchCode, message.Date, ct);
        if (joinedEarlier)
        {
            await UpliftStore.MarkStaleAsync(Db, message.BranchCode, ct);
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
