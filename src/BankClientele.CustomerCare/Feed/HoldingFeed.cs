using BankClientele.Contracts.CustomerCare;
using BankClientele.Hosting.Customers;
using BankClientele.Hosting.Time;
using BankClientele.Hosting.Messaging;
using BankClientele.Hosting.Privacy;
using Npgsql;
using NpgsqlTypes;
using BankClientele.Hosting.Refusals;

namespace BankClientele.CustomerCare.Feed;

/// <summary>
/// The holdings file: accounts and products with their balance. An account not seen before is
/// published as AccountOpenedV2 (the first of a customer who had none is their first account:
/// Acquisition converts the matching prospect). The event names the account by its keyed hash,
/// never by its number.
/// </summary>
public sealed class HoldingFeed(PersonalDataHash hashes) : FeedKind
{
    private const int Account = 0, Number = 1, Product = 2, OpenedOn = 3, MaturesOn = 4, Balance = 5;

    public override string Name => "holdings";

    public override IReadOnlyList<string> Columns { get; } = ["account_number", "customer_number", "product_code", "opened_on", "matures_on", "balance"];

    public override IReadOnlyList<string> RequiredColumns { get; } = ["account_number", "customer_number", "product_code", "opened_on", "balance"];

    public override string StagingTable => "feed_holdings";

    public override string CreateStagingSql => """
        CREATE TEMP TABLE feed_holdings (
            line int NOT NULL, account_number text NOT NULL, customer_number text NOT NULL, customer_id uuid NOT NULL,
            product_code text NOT NULL, opened_on date NOT NULL, matures_on date, balance numeric(18,2) NOT NULL) ON COMMIT DROP
        """;

    public override string StagingColumns => "line, account_number, customer_number, customer_id, product_code, opened_on, matures_on, balance";

    public override async ValueTask<bool> WriteAsync(FieldReader row, IFeedRow source, NpgsqlBinaryImporter? writer, CancellationToken ct)
    {
        var account = row.Text(Account, 40, required: true);
        if (account is not null && !account.All(char.IsAsciiLetterOrDigit))
        {
            row.Fail(Account, FieldReasons.LettersAndDigitsOnly, "Letters and digits only.");
        }
        var number = row.Text(Number, 30, required: true);
        var product = row.Text(Product, 40, required: true);
        var opened = row.Date(OpenedOn, required: true);
        if (opened > BranchClock.System.Today)
        {
            row.Fail(OpenedOn, FieldReasons.InTheFuture, $"{opened:yyyy-MM-dd} is in the future.");
        }
        var matures = row.Date(MaturesOn);
        if (matures is not null && opened is not null && matures <= opened)
        {
            row.Fail(MaturesOn, FieldReasons.NotAfterOpening, $"{matures:yyyy-MM-dd} is not after the opening date {opened:yyyy-MM-dd}.");
        }
        var balance = row.Amount(Balance);
        if (!row.Ok || writer is null)
        {
            return row.Ok;
        }
        await writer.StartRowAsync(ct);
        await writer.WriteAsync(row.Line, NpgsqlDbType.Integer, ct);
        await writer.WriteAsync(account!, NpgsqlDbType.Text, ct);
        await writer.WriteAsync(number!, NpgsqlDbType.Text, ct);
        await writer.WriteAsync(CustomerId(number!), NpgsqlDbType.Uuid, ct);
        await writer.WriteAsync(product!, NpgsqlDbType.Text, ct);
        await writer.WriteAsync(opened!.Value, NpgsqlDbType.Date, ct);
        await CustomerFeed.WriteNullableAsync(writer, matures, ct);
        await writer.WriteAsync(balance, NpgsqlDbType.Numeric, ct);
        return true;
    }

    // A file repeats a customer's number on many rows (a year of balances): hash each number once.
    private readonly Dictionary<string, Guid> ids = new(StringComparer.Ordinal);

    private Guid CustomerId(string number)
    {
        if (!ids.TryGetValue(number, out var id))
        {
            id = CustomerIds.FromCustomerNumber(number);
            ids[number] = id;
        }
        return id;
    }

    public override string ValidationSql => """
        SELECT line, 'account_number' AS field, 'Appears more than once in the file (first on line ' || first || ').' AS message, 'duplicate' AS code
        FROM (SELECT line, min(line) OVER (PARTITION BY account_number) AS first FROM feed_holdings) AS d
        WHERE line > first
        UNION ALL
        SELECT s.line, 'customer_number', 'No customer ' || s.customer_number || ' in the book: import the customers first.', 'unknown'
        FROM feed_holdings s WHERE NOT EXISTS (SELECT 1 FROM customers c WHERE c.id = s.customer_id)
        UNION ALL
        SELECT s.line, 'account_number', 'The account belongs to another customer.', 'duplicate'
        FROM feed_holdings s JOIN holdings h ON h.account_number = s.account_number WHERE h.customer_id <> s.customer_id
        """;

    public override async Task<MergeCounts> MergeAsync(NpgsqlConnection connection, NpgsqlTransaction transaction, SqlOutbox outbox, CancellationToken ct)
    {
        // Before the merge: the earliest new account of each customer who holds none yet is their first.
        await FeedSql.ExecuteAsync(connection, transaction, $"""
            CREATE TEMP TABLE feed_first_accounts ON COMMIT DROP AS
            SELECT DISTINCT ON (s.customer_id) s.customer_id, s.account_number, s.opened_on
            FROM feed_holdings s
            WHERE NOT EXISTS (SELECT 1 FROM holdings h WHERE h.customer_id = s.customer_id)
            ORDER BY s.customer_id, s.opened_on, s.account_number;
            CREATE TEMP TABLE feed_merged ON COMMIT DROP AS SELECT NULL::text AS account_number, false AS inserted LIMIT 0;
            WITH merged AS (
                INSERT INTO holdings AS h (account_number, customer_id, product_code, opened_on, matures_on, balance)
                SELECT account_number, customer_id, product_code, opened_on, matures_on, balance FROM feed_holdings
                ON CONFLICT (account_number) DO UPDATE SET
                    product_code = EXCLUDED.product_code, opened_on = EXCLUDED.opened_on,
                    matures_on = EXCLUDED.matures_on, balance = EXCLUDED.balance
                WHERE (h.product_code, h.opened_on, h.matures_on, h.balance)
                      IS DISTINCT FROM (EXCLUDED.product_code, EXCLUDED.opened_on, EXCLUDED.matures_on, EXCLUDED.balance)
                RETURNING h.account_number, (h.xmax = 0) AS inserted)
            INSERT INTO feed_merged SELECT account_number, inserted FROM merged;
            -- A customer of the feed gets their first account and joins the bank when they opened it.
            UPDATE customers c SET account_number = f.account_number, joined_at = f.opened_on::timestamp AT TIME ZONE '{BranchClock.SqlZone}'
            FROM feed_first_accounts f WHERE c.id = f.customer_id AND c.account_number = ''
            """, ct);
        var counts = await FeedSql.CountsAsync(connection, transaction, "feed_merged", ct);
        await outbox.CopyAsync("""
            SELECT c.id, c.customer_number, s.account_number, s.product_code, c.branch_code, s.opened_on,
                   s.balance, c.phone_hash, c.id_number_hash, f.account_number IS NOT NULL
            FROM feed_merged m
            JOIN feed_holdings s ON s.account_number = m.account_number
            JOIN customers c ON c.id = s.customer_id
            LEFT JOIN feed_first_accounts f ON f.account_number = s.account_number
            WHERE m.inserted
            ORDER BY s.opened_on, s.account_number
            """, row => new AccountOpenedV2(
                row.GetGuid(0), row.GetString(1), hashes.AccountNumber(row.GetString(2))!, row.GetString(3), row.GetString(4), row.GetFieldValue<DateOnly>(5),
                row.GetDecimal(6), row.IsDBNull(7) ? null : row.GetString(7), row.IsDBNull(8) ? null : row.GetString(8), row.GetBoolean(9)), ct);
        return counts;
    }
}
