using BankClientele.Contracts.CustomerCare;
using BankClientele.Hosting.Time;
using BankClientele.Hosting.Customers;
using BankClientele.Hosting.Privacy;
using BankClientele.Hosting.Messaging;
using Npgsql;
using NpgsqlTypes;
using BankClientele.Hosting.Refusals;

namespace BankClientele.CustomerCare.Feed;

/// <summary>
/// The customers file: one row per customer, keyed by the core-banking customer number. A new
/// customer is published as CustomerRegistered; phone and ID number travel only as keyed hashes.
/// </summary>
public sealed class CustomerFeed(PersonalDataHash hashes) : FeedKind, IDisposable
{
    // One HMAC context for the whole file (a kind is made per import, read on one thread).
    private readonly PersonalDataHash.Hasher hasher = hashes.CreateHasher();

    private const int Number = 0, FullName = 1, Gender = 2, BirthDate = 3, IdType = 4, IdNumber = 5, Phone = 6, City = 7,
        District = 8, Branch = 9, Occupation = 10, RiskLevel = 11, RiskAssessedOn = 12, Tags = 13;

    public const string ResidentIdType = "ID";

    public override string Name => "customers";

    /// <summary>
    /// A branch lead imports into their own branch only: set from the caller's data scope; null for
    /// head office and administrators (every branch). Checked on each row and, for customers the book
    /// already holds, against the branch they are in now (a lead may not move another branch's customer).
    /// </summary>
    public string? OnlyBranch { get; set; }

    public override IReadOnlyList<string> Columns { get; } =
    [
        "customer_number", "full_name", "gender", "birth_date", "id_type", "id_number", "phone", "city", "district",
        "branch_code", "occupation", "risk_level", "risk_assessed_on", "tags",
    ];

    public override IReadOnlyList<string> RequiredColumns { get; } = ["customer_number", "full_name", "phone", "branch_code"];

    public override string StagingTable => "feed_customers";

    public override string CreateStagingSql => """
        CREATE TEMP TABLE feed_customers (
            line int NOT NULL, id uuid NOT NULL, customer_number text NOT NULL, full_name text NOT NULL, gender text,
            birth_date date, id_type text, id_number text, phone text NOT NULL, city text, district text,
            branch_code text NOT NULL, occupation text, risk_level int, risk_assessed_on date, tags text[] NOT NULL,
            phone_hash text, id_number_hash text) ON COMMIT DROP
        """;

    public override string StagingColumns =>
        "line, id, customer_number, full_name, gender, birth_date, id_type, id_number, phone, city, district, branch_code, " +
        "occupation, risk_level, risk_assessed_on, tags, phone_hash, id_number_hash";

    public override async ValueTask<bool> WriteAsync(FieldReader row, IFeedRow source, NpgsqlBinaryImporter? writer, CancellationToken ct)
    {
        var number = row.Text(Number, 30, required: true);
        if (number is not null && !number.All(char.IsAsciiLetterOrDigit))
        {
            row.Fail(Number, FieldReasons.LettersAndDigitsOnly, "Letters and digits only.");
        }
        var name = row.Text(FullName, 100, required: true);
        var gender = row.Text(Gender, 10) switch
        {
            null => null,
            "M" or "m" or "男" => "M",
            "F" or "f" or "女" => "F",
            var other => Invalid(row, Gender, FieldReasons.NotOneOf, $"'{other}' is not a gender: M or F (男/女)."),
        };
        var today = BranchClock.System.Today;
        var birth = row.Date(BirthDate);
        if (birth is { } b && (b > today || b.Year < 1900))
        {
            row.Fail(BirthDate, FieldReasons.ImplausibleBirthDate, $"{b:yyyy-MM-dd} is not a plausible birth date.");
        }
        var idNumber = row.Text(IdNumber, 40);
        var idType = row.Text(IdType, 20) ?? (idNumber is null ? null : ResidentIdType);
        if (idNumber is not null && idType is ResidentIdType or "身份证" && !IsResidentId(idNumber))
        {
            row.Fail(IdNumber, FieldReasons.NotAnIdNumber, "Not a resident ID number: 17 digits and a check character (GB 11643).");
        }
        var phone = row.Text(Phone, 30, required: true);
        if (phone is not null && PersonalDataHash.NormalisePhone(phone) is null)
        {
            row.Fail(Phone, FieldReasons.NotAPhone, "Not a phone number: at least 7 digits.");
        }
        var city = row.Text(City, 40);
        var district = row.Text(District, 40);
        var branch = row.Text(Branch, 20, required: true);
        if (branch is not null && OnlyBranch is not null && branch != OnlyBranch)
        {
            row.Fail(Branch, FieldReasons.OutOfScope, $"Branch '{branch}' is outside your scope: you may import into {OnlyBranch} only.");
        }
        var occupation = row.Text(Occupation, 60);
        int? risk = row.Text(RiskLevel, 2) switch
        {
            null => null,
            ['C' or 'c', var d and >= '1' and <= '5'] => d - '0',
            [var d and >= '1' and <= '5'] => d - '0',
            var other => InvalidLevel(row, FieldReasons.NotOneOf, $"'{other}' is not a risk level: C1 to C5."),
        };
        var assessed = row.Date(RiskAssessedOn, required: risk is not null);
        if (assessed > today)
        {
            row.Fail(RiskAssessedOn, FieldReasons.InTheFuture, $"{assessed:yyyy-MM-dd} is in the future.");
        }
        // Tags are free text: a card, account, ID or mobile number typed into one is stored masked.
        var tags = row.Text(Tags, 500) is { } t ? FreeText.MaskNumbers(t)!.Split('|', StringSplitOptions.TrimEntries | StringSplitOptions.RemoveEmptyEntries) : [];
        if (!row.Ok || writer is null)
        {
            return row.Ok;
        }

        await writer.StartRowAsync(ct);
        await writer.WriteAsync(row.Line, NpgsqlDbType.Integer, ct);
        await writer.WriteAsync(CustomerIds.FromCustomerNumber(number!), NpgsqlDbType.Uuid, ct);
        await writer.WriteAsync(number!, NpgsqlDbType.Text, ct);
        await writer.WriteAsync(name!, NpgsqlDbType.Text, ct);
        await WriteNullableAsync(writer, gender, ct);
        await WriteNullableAsync(writer, birth, ct);
        await WriteNullableAsync(writer, idType, ct);
        await WriteNullableAsync(writer, idNumber, ct);
        await writer.WriteAsync(phone!, NpgsqlDbType.Text, ct);
        await WriteNullableAsync(writer, city, ct);
        await WriteNullableAsync(writer, district, ct);
        await writer.WriteAsync(branch!, NpgsqlDbType.Text, ct);
        await WriteNullableAsync(writer, occupation, ct);
        if (risk is { } level)
        {
            await writer.WriteAsync(level, NpgsqlDbType.Integer, ct);
        }
        else
        {
            await writer.WriteNullAsync(ct);
        }
        await WriteNullableAsync(writer, assessed, ct);
        await writer.WriteAsync(tags, NpgsqlDbType.Array | NpgsqlDbType.Text, ct);
        await WriteNullableAsync(writer, hasher.Phone(phone), ct);
        await WriteNullableAsync(writer, hasher.IdNumber(idNumber), ct);
        return true;
    }

    public override string ValidationSql => OnlyBranch is null ? Duplicates : Duplicates + """

        UNION ALL
        SELECT f.line, 'customer_number', 'Belongs to another branch (' || c.branch_code || '): outside your scope.', 'out-of-scope'
        FROM feed_customers f JOIN customers c ON c.customer_number = f.customer_number
        WHERE c.branch_code <> f.branch_code
        """;

    private const string Duplicates = """
        SELECT line, 'customer_number' AS field, 'Appears more than once in the file (first on line ' || first || ').' AS message, 'duplicate' AS code
        FROM (SELECT line, customer_number, min(line) OVER (PARTITION BY customer_number) AS first FROM feed_customers) AS d
        WHERE line > first
        """;

    public override async Task<MergeCounts> MergeAsync(NpgsqlConnection connection, NpgsqlTransaction transaction, SqlOutbox outbox, CancellationToken ct)
    {
        if (await InsertNewAsync(connection, transaction, outbox, ct) is { } inserted)
        {
            return inserted;
        }
        // A customer known from a conversion keeps its manager, prospect, first account and join date.
        const string merge = """
            CREATE TEMP TABLE feed_merged ON COMMIT DROP AS SELECT NULL::uuid AS id, false AS inserted LIMIT 0;
            WITH merged AS (
                INSERT INTO customers AS c (id, customer_number, full_name, phone, branch_code, account_number, initial_deposit,
                    joined_at, gender, birth_date, id_type, id_number, city, district, occupation, risk_level, risk_assessed_on,
                    tags, tier, average_assets, deposit_balance, wealth_balance, phone_hash, id_number_hash)
                SELECT id, customer_number, full_name, phone, branch_code, '', 0, now(), gender, birth_date, id_type, id_number,
                    city, district, occupation, risk_level, risk_assessed_on, tags, 'Mass', 0, 0, 0, phone_hash, id_number_hash
                FROM feed_customers
                ON CONFLICT (customer_number) DO UPDATE SET
                    full_name = EXCLUDED.full_name, phone = EXCLUDED.phone, branch_code = EXCLUDED.branch_code,
                    gender = EXCLUDED.gender, birth_date = EXCLUDED.birth_date, id_type = EXCLUDED.id_type,
                    id_number = EXCLUDED.id_number, city = EXCLUDED.city, district = EXCLUDED.district,
                    occupation = EXCLUDED.occupation, risk_level = EXCLUDED.risk_level,
                    risk_assessed_on = EXCLUDED.risk_assessed_on, tags = EXCLUDED.tags,
                    phone_hash = EXCLUDED.phone_hash, id_number_hash = EXCLUDED.id_number_hash
                WHERE (c.full_name, c.phone, c.branch_code, c.gender, c.birth_date, c.id_type, c.id_number, c.city, c.district,
                       c.occupation, c.risk_level, c.risk_assessed_on, c.tags, c.phone_hash, c.id_number_hash)
                      IS DISTINCT FROM
                      (EXCLUDED.full_name, EXCLUDED.phone, EXCLUDED.branch_code, EXCLUDED.gender, EXCLUDED.birth_date,
                       EXCLUDED.id_type, EXCLUDED.id_number, EXCLUDED.city, EXCLUDED.district, EXCLUDED.occupation,
                       EXCLUDED.risk_level, EXCLUDED.risk_assessed_on, EXCLUDED.tags, EXCLUDED.phone_hash, EXCLUDED.id_number_hash)
                RETURNING c.id, (c.xmax = 0) AS inserted)
            INSERT INTO feed_merged SELECT id, inserted FROM merged
            """;
        await FeedSql.ExecuteAsync(connection, transaction, merge, ct);
        var counts = await FeedSql.CountsAsync(connection, transaction, "feed_merged", ct);
        var registeredAt = DateTimeOffset.UtcNow;
        await outbox.CopyAsync("""
            SELECT c.id, c.customer_number, c.branch_code, c.phone_hash, c.id_number_hash, c.tier
            FROM feed_merged m JOIN customers c ON c.id = m.id
            WHERE m.inserted
            ORDER BY c.customer_number
            """, row => Registered(row, registeredAt), ct);
        return counts;
    }

    /// <summary>
    /// A file of customers the book holds none of (a first load, a new branch) goes in by a plain
    /// INSERT, published from the staged rows: no per-row conflict check and no copy of what was
    /// written. A customer converted meanwhile breaks the key; the savepoint then sends the file
    /// down the general merge. Null when the file is not all new.
    /// </summary>
    private async Task<MergeCounts?> InsertNewAsync(NpgsqlConnection connection, NpgsqlTransaction transaction, SqlOutbox outbox, CancellationToken ct)
    {
        await using (var probe = new NpgsqlCommand(
            "SELECT EXISTS (SELECT 1 FROM feed_customers f JOIN customers c ON c.customer_number = f.customer_number)", connection, transaction))
        {
            if ((bool)(await probe.ExecuteScalarAsync(ct))!)
            {
                return null;
            }
        }
        Mark("merge.probe");
        await transaction.SaveAsync("new_customers", ct);
        try
        {
            var rows = await FeedSql.ExecuteAsync(connection, transaction, """
                INSERT INTO customers (id, customer_number, full_name, phone, branch_code, account_number, initial_deposit,
                    joined_at, gender, birth_date, id_type, id_number, city, district, occupation, risk_level, risk_assessed_on,
                    tags, tier, average_assets, deposit_balance, wealth_balance, phone_hash, id_number_hash)
                SELECT id, customer_number, full_name, phone, branch_code, '', 0, now(), gender, birth_date, id_type, id_number,
                    city, district, occupation, risk_level, risk_assessed_on, tags, 'Mass', 0, 0, 0, phone_hash, id_number_hash
                FROM feed_customers
                """, ct);
            Mark("merge.customers");
            var registeredAt = DateTimeOffset.UtcNow;
            await outbox.CopyAsync("""
                SELECT id, customer_number, branch_code, phone_hash, id_number_hash, 'Mass'
                FROM feed_customers
                ORDER BY customer_number
                """, row => Registered(row, registeredAt), ct);
            Mark("merge.events");
            await transaction.ReleaseAsync("new_customers", ct);
            return new MergeCounts(rows, 0);
        }
        catch (PostgresException e) when (e.SqlState == PostgresErrorCodes.UniqueViolation)
        {
            await transaction.RollbackAsync("new_customers", ct);
            return null;
        }
    }

    /// <summary>The event of a customer row (id, number, branch, phone hash, ID number hash, tier).</summary>
    private static CustomerRegistered Registered(NpgsqlDataReader row, DateTimeOffset registeredAt) => new(
        row.GetGuid(0), row.GetString(1), row.GetString(2),
        row.IsDBNull(3) ? null : row.GetString(3), row.IsDBNull(4) ? null : row.GetString(4), row.GetString(5), registeredAt);

    public void Dispose() => hasher.Dispose();

    /// <summary>GB 11643: 17 digits and a check character (0-9 or X).</summary>
    public static bool IsResidentId(string id)
    {
        if (id.Length != 18 || id.AsSpan(0, 17).ContainsAnyExceptInRange('0', '9'))
        {
            return false;
        }
        int[] weights = [7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2];
        var sum = 0;
        for (var i = 0; i < 17; i++)
        {
            sum += (id[i] - '0') * weights[i];
        }
        return "10X98765432"[sum % 11] == char.ToUpperInvariant(id[17]);
    }

    private static string? Invalid(FieldReader row, int column, string code, string message)
    {
        row.Fail(column, code, message);
        return null;
    }

    private static int? InvalidLevel(FieldReader row, string code, string message)
    {
        row.Fail(RiskLevel, code, message);
        return null;
    }

    internal static async Task WriteNullableAsync(NpgsqlBinaryImporter writer, string? value, CancellationToken ct)
    {
        if (value is null)
        {
            await writer.WriteNullAsync(ct);
        }
        else
        {
            await writer.WriteAsync(value, NpgsqlDbType.Text, ct);
        }
    }

    internal static async Task WriteNullableAsync(NpgsqlBinaryImporter writer, DateOnly? value, CancellationToken ct)
    {
        if (value is { } date)
        {
            await writer.WriteAsync(date, NpgsqlDbType.Date, ct);
        }
        else
        {
            await writer.WriteNullAsync(ct);
        }
    }
}
