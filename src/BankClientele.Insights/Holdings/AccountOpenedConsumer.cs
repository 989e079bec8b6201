using BankClientele.Contracts.CustomerCare;
using BankClientele.Hosting.Messaging;
using MassTransit;
using Microsoft.EntityFrameworkCore;

namespace BankClientele.Insights.Holdings;

/// <summary>
/// Each account once (keyed by account number, so the same account under a new message id adds
/// nothing), and the branch-product-day counts only for accounts that were new. A feed opens tens of
/// thousands of accounts at once: a batch is one statement.
/// </summary>
public sealed class AccountOpenedConsumer(InsightsDbContext db) : InboxBatchConsumer<AccountOpened, InsightsDbContext>(db)
{
    protected override Task HandleBatchAsync(IReadOnlyList<AccountOpened> messages, ConsumeContext<Batch<AccountOpened>> context)
    {
        var accounts = messages.Select(m => m.AccountNumber).ToArray();
        var customers = messages.Select(m => m.CustomerId).ToArray();
        var branches = messages.Select(m => m.BranchCode).ToArray();
        var products = messages.Select(m => m.ProductCode).ToArray();
        var openedOn = messages.Select(m => m.OpenedOn).ToArray();
        var deposits = messages.Select(m => m.FirstDeposit).ToArray();
        var first = messages.Select(m => m.FirstAccountOfCustomer).ToArray();
        // Keys in order (accounts, then branch-product-days), so concurrent batches lock shared rows in the same order.
        return Db.Database.ExecuteSqlAsync($"""
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
            """, context.CancellationToken);
    }
}
