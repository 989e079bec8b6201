using System.Diagnostics;
using System.Globalization;
using System.Text.RegularExpressions;
using BankClientele.Hosting.Privacy;
using Npgsql;
using NpgsqlTypes;
using Sylvan.Data.Csv;

namespace BankClientele.Acquisition.Import;

public sealed record ImportError(int Line, string Field, string Message);

public sealed record ImportResult(
    int Rows, int Inserted, int Merged, int ExistingCustomers, int ErrorCount, IReadOnlyList<ImportError> Errors, double Seconds)
{
    public bool Applied => ErrorCount == 0;
}

/// <param name="MayUseBranch">Whether the caller may import prospects of a branch (their data scope).</param>
public sealed record ImportOptions(string StaffId, Func<string, bool> MayUseBranch, string DefaultChannel = "import");

/// <summary>
/// Imports a prospect list (CSV with a header row): each row is read with Sylvan and checked, hashed
/// and streamed by binary COPY into a staging table; duplicates within the file are grouped as it is
/// read; then a few set-based statements match the groups to existing prospects and customers, insert
/// the new prospects, fill the known ones and add every row as a touch (and its consents). All in one
/// transaction: any bad row and nothing is applied.
/// </summary>
public static partial class ProspectImporter
{
    public const int MaxReportedErrors = 100;

    public static readonly IReadOnlyList<string> Columns =
    [
        "full_name", "phone", "id_number", "branch_code", "campaign_code", "channel", "referral_code", "district", "age_band",
        "occupation", "tags", "consent_at", "consent_channel", "consent_wording", "financial_consent_wording",
    ];

    private static readonly string[] Required = ["full_name", "phone", "branch_code"];
    private static readonly HashSet<string> Channels = ["import", "staff", "lobby", "community-event", "partner", "online"];

    [GeneratedRegex(@"^\+?[0-9 -]{7,24}$")]
    private static partial Regex PhonePattern();

    [GeneratedRegex("^[0-9]{15}([0-9]{2}[0-9Xx])?$")]
    private static partial Regex IdPattern();

    public static async Task<ImportResult> ImportAsync(
        NpgsqlConnection connection, Stream csv, PersonalDataHash hash, ImportOptions options, CancellationToken ct)
    {
        var clock = Stopwatch.StartNew();
        if (connection.State != System.Data.ConnectionState.Open)
        {
            await connection.OpenAsync(ct);
        }
        await using var tx = await connection.BeginTransactionAsync(ct);
        await ExecuteAsync(connection, """
            CREATE TEMP TABLE import_rows (
                line int NOT NULL, grp int NOT NULL, full_name text NOT NULL, phone text NOT NULL, id_number text,
                phone_hash text, id_hash text, branch_code text NOT NULL, campaign_code text, channel text NOT NULL,
                referral_code text, district text, age_band text, occupation text, tags text,
                consent_at timestamptz, consent_channel text, consent_wording text, financial_consent_wording text
            ) ON COMMIT DROP
            """, ct);

        var errors = new List<ImportError>();
        var errorCount = 0;
        var groups = new DuplicateGroups();
        var lines = new List<int>();
        void Fail(int line, string field, string message)
        {
            errorCount++;
            if (errors.Count < MaxReportedErrors)
            {
                errors.Add(new ImportError(line, field, message));
            }
        }

        var rows = 0;
        var now = DateTimeOffset.UtcNow;
        using (var reader = new StreamReader(csv, leaveOpen: true))
        await using (var csvReader = await CsvDataReader.CreateAsync(reader, new CsvDataReaderOptions { HasHeaders = true, BufferSize = 1 << 16 }, ct))
        {
            var ordinals = Columns.ToDictionary(c => c, c => TryOrdinal(csvReader, c));
            foreach (var column in Required.Where(c => ordinals[c] < 0))
            {
                Fail(1, column, $"The header has no '{column}' column (columns: {string.Join(", ", Columns)}).");
            }
            if (errorCount > 0)
            {
                return new ImportResult(0, 0, 0, 0, errorCount, errors, clock.Elapsed.TotalSeconds);
            }
            string? Field(string name, int max)
            {
                var ordinal = ordinals[name];
                if (ordinal < 0 || ordinal >= csvReader.FieldCount)
                {
                    return null;
                }
                var value = csvReader.GetString(ordinal).Trim();
                return value.Length == 0 ? null : value.Length > max ? value[..max] + "\0" : value;
            }

            await using var copy = await connection.BeginBinaryImportAsync(
                "COPY import_rows (line, grp, full_name, phone, id_number, phone_hash, id_hash, branch_code, campaign_code, channel, referral_code, " +
                "district, age_band, occupation, tags, consent_at, consent_channel, consent_wording, financial_consent_wording) FROM STDIN (FORMAT BINARY)", ct);
            var line = 1;
            while (await csvReader.ReadAsync(ct))
            {
                line++;
                rows++;
                var before = errorCount;
                string? Checked(string name, int max, bool required = false)
                {
                    var value = Field(name, max);
                    if (value is null && required)
                    {
                        Fail(line, name, $"{name} is required.");
                    }
                    else if (value is not null && value.EndsWith('\0'))
                    {
                        Fail(line, name, $"{name} is longer than {max} characters.");
                        return null;
                    }
                    return value;
                }
                var fullName = Checked("full_name", 100, required: true);
                var phone = Checked("phone", 30, required: true);
                var idNumber = Checked("id_number", 30);
                var branch = Checked("branch_code", 20, required: true);
                var campaign = Checked("campaign_code", 40);
                var channel = Checked("channel", 30) ?? options.DefaultChannel;
                var referral = Checked("referral_code", 40);
                var district = Checked("district", 40);
                var ageBand = Checked("age_band", 20);
                var occupation = Checked("occupation", 40);
                var tags = Checked("tags", 200);
                var consentAtText = Checked("consent_at", 40);
                var consentChannel = Checked("consent_channel", 30);
                var consentWording = Checked("consent_wording", 1000);
                var financialWording = Checked("financial_consent_wording", 1000);
                if (phone is not null && !PhonePattern().IsMatch(phone))
                {
                    Fail(line, "phone", "phone must be 7 to 20 digits.");
                }
                if (idNumber is not null && !IdPattern().IsMatch(idNumber))
                {
                    Fail(line, "id_number", "id_number must be a 15 or 18 character resident ID.");
                }
                if (branch is not null && !options.MayUseBranch(branch))
                {
                    Fail(line, "branch_code", $"branch {branch} is outside your data scope.");
                }
                if (!Channels.Contains(channel))
                {
                    Fail(line, "channel", $"channel must be one of {string.Join(", ", Channels)}.");
                }
                DateTimeOffset? consentAt = null;
                if (consentAtText is not null)
                {
                    if (DateTimeOffset.TryParse(consentAtText, CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal, out var parsed) && parsed <= now.AddMinutes(5))
                    {
                        consentAt = parsed.ToUniversalTime();
                    }
                    else
                    {
                        Fail(line, "consent_at", "consent_at must be an ISO 8601 time, not in the future.");
                    }
                }
                if ((consentWording is not null || financialWording is not null) && (consentAt is null || consentChannel is null))
                {
                    Fail(line, consentAt is null ? "consent_at" : "consent_channel", "A consent needs its time (consent_at) and channel (consent_channel), as PIPL asks.");
                }
                if (consentWording is null && financialWording is not null)
                {
                    Fail(line, "financial_consent_wording", "Consent to use financial data is separate from, and needs, marketing consent (consent_wording).");
                }
                if (errorCount > before || errorCount > 0)
                {
                    continue; // once a row is bad nothing is applied: just keep checking the rest
                }
                var phoneHash = hash.Phone(phone);
                var idHash = hash.IdNumber(idNumber);
                groups.Add(phoneHash, idHash);
                lines.Add(line);
                await copy.StartRowAsync(ct);
                await copy.WriteAsync(line, NpgsqlDbType.Integer, ct);
                await copy.WriteAsync(0, NpgsqlDbType.Integer, ct); // the group is known once the whole file is read
                await copy.WriteAsync(fullName!, NpgsqlDbType.Text, ct);
                await copy.WriteAsync(phone!, NpgsqlDbType.Text, ct);
                await WriteAsync(copy, idNumber, ct);
                await WriteAsync(copy, phoneHash, ct);
                await WriteAsync(copy, idHash, ct);
                await copy.WriteAsync(branch!, NpgsqlDbType.Text, ct);
                await WriteAsync(copy, campaign, ct);
                await copy.WriteAsync(channel, NpgsqlDbType.Text, ct);
                await WriteAsync(copy, referral, ct);
                await WriteAsync(copy, district, ct);
                await WriteAsync(copy, ageBand, ct);
                await WriteAsync(copy, occupation, ct);
                await WriteAsync(copy, tags, ct);
                if (consentAt is { } at) { await copy.WriteAsync(at, NpgsqlDbType.TimestampTz, ct); } else { await copy.WriteNullAsync(ct); }
                await WriteAsync(copy, consentChannel, ct);
                await WriteAsync(copy, consentWording, ct);
                await WriteAsync(copy, financialWording, ct);
            }
            if (errorCount > 0)
            {
                // Disposing without Complete cancels the COPY; the transaction rolls back.
                return new ImportResult(rows, 0, 0, 0, errorCount, errors, clock.Elapsed.TotalSeconds);
            }
            await copy.CompleteAsync(ct);
        }

        // The groups, now that every row is read: a second COPY of (line, group line) pairs.
        await ExecuteAsync(connection, "CREATE TEMP TABLE import_groups (line int PRIMARY KEY, grp int NOT NULL) ON COMMIT DROP", ct);
        await using (var copy = await connection.BeginBinaryImportAsync("COPY import_groups (line, grp) FROM STDIN (FORMAT BINARY)", ct))
        {
            for (var i = 0; i < lines.Count; i++)
            {
                await copy.StartRowAsync(ct);
                await copy.WriteAsync(lines[i], NpgsqlDbType.Integer, ct);
                await copy.WriteAsync(lines[groups.GroupOf(i)], NpgsqlDbType.Integer, ct);
            }
            await copy.CompleteAsync(ct);
        }
        var (inserted, existingCustomers) = await MergeAsync(connection, options.StaffId, now, ct);
        await tx.CommitAsync(ct);
        var applied = rows - existingCustomers;
        return new ImportResult(rows, inserted, applied - inserted, existingCustomers, 0, [], clock.Elapsed.TotalSeconds);
    }

    /// <summary>The set-based part; returns the new prospects and the rows left out as existing customers.</summary>
    private static async Task<(int Inserted, int ExistingCustomers)> MergeAsync(NpgsqlConnection connection, string staffId, DateTimeOffset now, CancellationToken ct)
    {
        await ExecuteAsync(connection, """
            UPDATE import_rows r SET grp = g.grp FROM import_groups g WHERE g.line = r.line;
            CREATE INDEX ON import_rows (grp);
            ANALYZE import_rows;
            -- A group with any row of an existing customer is left out entirely.
            CREATE TEMP TABLE import_excluded ON COMMIT DROP AS
                SELECT DISTINCT r.grp FROM import_rows r
                WHERE EXISTS (SELECT 1 FROM existing_customers e WHERE e.phone_hash = r.phone_hash)
                   OR (r.id_hash IS NOT NULL AND EXISTS (SELECT 1 FROM existing_customers e WHERE e.id_number_hash = r.id_hash));
            DELETE FROM import_rows r USING import_excluded x WHERE x.grp = r.grp;
            -- Each group's prospect: the earliest existing prospect it matches, else a new one.
            CREATE TEMP TABLE import_match ON COMMIT DROP AS
                SELECT DISTINCT ON (grp) grp, id AS prospect_id, false AS is_new FROM (
                    SELECT r.grp, p.id, p.created_at FROM import_rows r JOIN prospects p ON p.phone_hash = r.phone_hash
                    UNION ALL
                    SELECT r.grp, p.id, p.created_at FROM import_rows r JOIN prospects p ON p.id_number_hash = r.id_hash) m
                ORDER BY grp, created_at;
            INSERT INTO import_match (grp, prospect_id, is_new)
                SELECT g.grp, gen_random_uuid(), true FROM (SELECT DISTINCT r.grp FROM import_rows r) g
                WHERE NOT EXISTS (SELECT 1 FROM import_match m WHERE m.grp = g.grp);
            CREATE UNIQUE INDEX ON import_match (grp);
            -- What each group says: its first row's name and phone, the first known of the rest, its last campaign.
            CREATE TEMP TABLE import_people ON COMMIT DROP AS
                SELECT m.grp, m.prospect_id, m.is_new,
                       (array_agg(r.full_name ORDER BY r.line))[1] AS full_name,
                       (array_agg(r.phone ORDER BY r.line))[1] AS phone,
                       (array_agg(r.phone_hash ORDER BY r.line))[1] AS phone_hash,
                       (array_agg(r.id_number ORDER BY r.line) FILTER (WHERE r.id_number IS NOT NULL))[1] AS id_number,
                       (array_agg(r.id_hash ORDER BY r.line) FILTER (WHERE r.id_hash IS NOT NULL))[1] AS id_hash,
                       (array_agg(r.branch_code ORDER BY r.line))[1] AS branch_code,
                       (array_agg(r.channel ORDER BY r.line))[1] AS channel,
                       (array_agg(r.campaign_code ORDER BY r.line DESC) FILTER (WHERE r.campaign_code IS NOT NULL))[1] AS campaign_code,
                       (array_agg(r.referral_code ORDER BY r.line) FILTER (WHERE r.referral_code IS NOT NULL))[1] AS referral_code,
                       (array_agg(r.district ORDER BY r.line) FILTER (WHERE r.district IS NOT NULL))[1] AS district,
                       (array_agg(r.age_band ORDER BY r.line) FILTER (WHERE r.age_band IS NOT NULL))[1] AS age_band,
                       (array_agg(r.occupation ORDER BY r.line) FILTER (WHERE r.occupation IS NOT NULL))[1] AS occupation,
                       (array_agg(r.tags ORDER BY r.line) FILTER (WHERE r.tags IS NOT NULL))[1] AS tags
                FROM import_rows r JOIN import_match m ON m.grp = r.grp
                GROUP BY m.grp, m.prospect_id, m.is_new;
            """, ct);
        var inserted = await ExecuteAsync(connection, """
            INSERT INTO prospects (id, full_name, phone, id_number, phone_hash, id_number_hash, branch_code, campaign_code, channel,
                                   referral_code, district, age_band, occupation, tags, stage, created_at, created_by,
                                   marketing_consent, financial_data_consent)
            SELECT prospect_id, full_name, phone, id_number, phone_hash, id_hash, branch_code, campaign_code, channel,
                   referral_code, district, age_band, occupation, tags, 'New', @now, @staff, false, false
            FROM import_people WHERE is_new
            """, ct, ("now", now), ("staff", staffId));
        await ExecuteAsync(connection, """
            UPDATE prospects p SET
                id_number = coalesce(p.id_number, i.id_number), id_number_hash = coalesce(p.id_number_hash, i.id_hash),
                phone_hash = coalesce(p.phone_hash, i.phone_hash), campaign_code = coalesce(i.campaign_code, p.campaign_code),
                referral_code = coalesce(p.referral_code, i.referral_code), district = coalesce(p.district, i.district),
                age_band = coalesce(p.age_band, i.age_band), occupation = coalesce(p.occupation, i.occupation),
                tags = coalesce(p.tags, i.tags)
            FROM import_people i WHERE NOT i.is_new AND p.id = i.prospect_id;
            INSERT INTO prospect_touches (id, prospect_id, channel, campaign_code, branch_code, staff_id, at)
            SELECT gen_random_uuid(), m.prospect_id, r.channel, r.campaign_code, r.branch_code, NULL, coalesce(r.consent_at, @now)
            FROM import_rows r JOIN import_match m ON m.grp = r.grp;
            INSERT INTO prospect_consents (id, prospect_id, kind, given, channel, wording, at, recorded_by)
            SELECT gen_random_uuid(), m.prospect_id, 'marketing', true, r.consent_channel, r.consent_wording, r.consent_at, @staff
            FROM import_rows r JOIN import_match m ON m.grp = r.grp WHERE r.consent_wording IS NOT NULL
            UNION ALL
            SELECT gen_random_uuid(), m.prospect_id, 'financial-data', true, r.consent_channel, r.financial_consent_wording, r.consent_at, @staff
            FROM import_rows r JOIN import_match m ON m.grp = r.grp WHERE r.financial_consent_wording IS NOT NULL;
            -- The current consent is the latest given or withdrawn: a withdrawal after the list's consent still stands.
            UPDATE prospects p SET
                marketing_consent = coalesce((SELECT c.given FROM prospect_consents c WHERE c.prospect_id = p.id AND c.kind = 'marketing' ORDER BY c.at DESC, c.id LIMIT 1), false),
                financial_data_consent = coalesce((SELECT c.given FROM prospect_consents c WHERE c.prospect_id = p.id AND c.kind = 'financial-data' ORDER BY c.at DESC, c.id LIMIT 1), false)
            WHERE p.id IN (SELECT m.prospect_id FROM import_match m JOIN import_rows r ON r.grp = m.grp WHERE r.consent_wording IS NOT NULL);
            """, ct, ("now", now), ("staff", staffId));
        var excluded = await ScalarAsync(connection, "SELECT count(*) FROM import_groups g JOIN import_excluded x ON x.grp = g.grp", ct);
        return (inserted, (int)excluded);
    }

    private static int TryOrdinal(CsvDataReader reader, string name)
    {
        for (var i = 0; i < reader.FieldCount; i++)
        {
            if (string.Equals(reader.GetName(i).Trim(), name, StringComparison.OrdinalIgnoreCase))
            {
                return i;
            }
        }
        return -1;
    }

    private static Task WriteAsync(NpgsqlBinaryImporter copy, string? value, CancellationToken ct) =>
        value is null ? copy.WriteNullAsync(ct) : copy.WriteAsync(value, NpgsqlDbType.Text, ct);

    private static async Task<int> ExecuteAsync(NpgsqlConnection connection, string sql, CancellationToken ct, params (string Name, object Value)[] parameters)
    {
        await using var command = new NpgsqlCommand(sql, connection) { CommandTimeout = 600 };
        foreach (var (name, value) in parameters)
        {
            command.Parameters.AddWithValue(name, value);
        }
        return await command.ExecuteNonQueryAsync(ct);
    }

    private static async Task<long> ScalarAsync(NpgsqlConnection connection, string sql, CancellationToken ct)
    {
        await using var command = new NpgsqlCommand(sql, connection) { CommandTimeout = 600 };
        return (long)(await command.ExecuteScalarAsync(ct))!;
    }
}
