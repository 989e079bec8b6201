using BankClientele.Contracts.CustomerCare;
using BankClientele.Hosting.Messaging;

namespace BankClientele.Insights.Holdings;

/// <summary>
/// Each account once (keyed by account number, so the same account under a new message id adds
/// nothing), and the branch-product-day counts only for an account that was new: one statement,
/// sent with the inbox insert in one round trip.
/// </summary>
public sealed class AccountOpenedConsumer(InsightsDbContext db) : InboxConsumer<AccountOpened, InsightsDbContext>(db)
{
    protected override IReadOnlyList<FormattableString> Statements(AccountOpened m) =>
    [
        $"""
        WITH opened AS (
            INSERT INTO analytic_accounts (account_number, customer_id, branch_code, product_code, opened_on, first_deposit, first_account_of_customer)
            VALUES ({m.AccountNumber}, {m.CustomerId}, {m.BranchCode}, {m.ProductCode}, {m.OpenedOn}, {m.FirstDeposit}, {m.FirstAccountOfCustomer})
            ON CONFLICT (account_number) DO NOTHING
            RETURNING branch_code, product_code, opened_on, first_deposit, first_account_of_customer)
        INSERT INTO branch_product_days (branch_code, product_code, day, accounts, first_accounts, first_deposits)
        SELECT branch_code, product_code, opened_on, 1, CASE WHEN first_account_of_customer THEN 1 ELSE 0 END, first_deposit FROM opened
        ON CONFLICT (branch_code, product_code, day) DO UPDATE SET
            accounts = branch_product_days.accounts + excluded.accounts,
            first_accounts = branch_product_days.first_accounts + excluded.first_accounts,
            first_deposits = branch_product_days.first_deposits + excluded.first_deposits
        """,
    ];
}
