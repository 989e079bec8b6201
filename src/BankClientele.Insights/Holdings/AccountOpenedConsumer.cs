using BankClientele.Contracts.CustomerCare;
using BankClientele.Hosting.Messaging;
using BankClientele.Hosting.Privacy;
using MassTransit;
using Microsoft.EntityFrameworkCore;

namespace BankClientele.Insights.Holdings;

/// <summary>
/// Each account once (keyed by the account's hash, so the same account under a new message id adds
/// nothing), and the branch-product-day counts only for accounts that were new. A feed opens tens of
/// thousands of accounts at once: a batch is one statement.
/// </summary>
public sealed class AccountOpenedV2Consumer(InsightsDbContext db) : InboxBatchConsumer<AccountOpenedV2, InsightsDbContext>(db)
{
    protected override Task HandleBatchAsync(IReadOnlyList<AccountOpenedV2> messages, ConsumeContext<Batch<AccountOpenedV2>> context) =>
        AnalyticAccounts.AddAsync(Db, messages, context.CancellationToken);
}

#pragma warning disable CS0618 // reads the old contract, queued before the upgrade
/// <summary>AccountOpened queued before the upgrade, keyed by the same hash as its V2.</summary>
public sealed class AccountOpenedConsumer(InsightsDbContext db, PersonalDataHash hashes) : InboxBatchConsumer<AccountOpened, InsightsDbContext>(db)
{
    protected override Task HandleBatchAsync(IReadOnlyList<AccountOpened> messages, ConsumeContext<Batch<AccountOpened>> context) =>
        AnalyticAccounts.AddAsync(Db, [.. messages.Select(m => m.ToV2(hashes))], context.CancellationToken);
}
#pragma warning restore CS0618

internal static class AnalyticAccounts
{
    /// <summary>
    /// The analytic_accounts.account_number column (40 characters) holds the account's hash, never
    /// the number: its first 40 hex digits (160 bits) are as unique a key as the whole.
    /// </summary>
    public static Task AddAsync(InsightsDbContext db, IReadOnlyList<AccountOpenedV2> messages, CancellationToken ct)
    {
        var accounts = messages.Select(m => m.AccountNumberHash.Length > 40 ? m.AccountNumberHash[..40] : m.AccountNumberHash).ToArray();
        var customers = messages.Select(m => m.CustomerId).ToArray();
        var branches = messages.Select(m => m.BranchCode).ToArray();
        var products = messages.Select(m => m.ProductCode).ToArray();
        var openedOn = messages.Select(m => m.OpenedOn).ToArray();
        var deposits = messages.Select(m => m.FirstDeposit).ToArray();
        var first = messages.Select(m => m.FirstAccountOfCustomer).ToArray();
        // Keys in order (accounts, then branch-product-days), so concurrent batches lock shared rows in the same order.
        return db.Database.ExecuteSqlAsync($"""
            WITH opened AS (
                INSERT INTO analytic_accounts (account_number, customer_id, branch_code, product_code, opened_on, first_deposit, first_account_of_customer)
                SELECT DISTINCT ON (account) account, customer, branch, product, opened_on, deposit, first
                FROM unnest({accounts}::text[], {customers}::uuid[], {branches}::text[], {products}::text[], {openedOn}::date[], {deposits}::numeric[], {first}::boolean[])
                     WITH ORDINALITY AS m(account, customer, branch, product, opened_on, deposit, first, n)
                ORDER BY account, n
                ON CONFLICT (account_number) DO NOTHING
                RETURNING branch_code, product_code, opened_on, first_deposit, first_account_of_customer)
            INSERT INTO branch_product_days (branch_code, product_code, day, accounts, first_accounts, first_deposits)
            SELECT branch_code, product_code, opened_on, count(*), count(*) FILTER (WHERE first_account_of_customer), sum(first_deposit)
            FROM opened GROUP BY branch_code, product_code, opened_on ORDER BY branch_code, product_code, opened_on
            ON CONFLICT (branch_code, product_code, day) DO UPDATE SET
                accounts = branch_product_days.accounts + excluded.accounts,
                first_accounts = branch_product_days.first_accounts + excluded.first_accounts,
                first_deposits = branch_product_days.first_deposits + excluded.first_deposits
            """, ct);
    }
}
