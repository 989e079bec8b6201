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
    int Rows, int Inserted, int Merged, int ExistingCustomers, int ErrorCount, IReadOnlyList<ImportError> Errors, double Seconds,
    IReadOnlyDictionary<string, double>? Phases = null)
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
        "city", "community", "income_band",
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
        // The merge sorts and hashes the whole file a few times: in memory, not in spill files.
        await ExecuteAsync(connection, "SET LOCAL work_mem = '128MB'", ct);
        await ExecuteAsync(connection, """
            CREATE TEMP TABLE import_rows (
                line int NOT NULL, grp int NOT NULL, full_name text NOT NULL, phone text NOT NULL, id_number text,
                phone_hash text, id_hash text, branch_code text NOT NULL, campaign_code text, channel text NOT NULL,
                referral_code text, district text, age_band text, occupation text, tags text,
                consent_at timestamptz, consent_channel text, consent_wording text, financial_consent_wording text,
                city text, community text, income_band text
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
                "district, age_band, occupation, tags, consent_at, consent_channel, consent_wording, financial_consent_wording, city, community, income_band) FROM STDIN (FORMAT BINARY)", ct);
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
                var city = Checked("city", 40);
                var community = Checked("community", 60);
                var incomeBand = Checked("income_band", 20);
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
                await copy.WriteAsync(line, NpgsqlDbType.Integer, ct); // its own group until a later row joins it to an earlier one
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
                await WriteAsync(copy, city, ct);
                await WriteAsync(copy, community, ct);
                await WriteAsync(copy, incomeBand, ct);
            }
            if (errorCount > 0)
            {
                // Disposing without Complete cancels the COPY; the transaction rolls back.
                return new ImportResult(rows, 0, 0, 0, errorCount, errors, clock.Elapsed.TotalSeconds);
            }
            await copy.CompleteAsync(ct);
        }

        // The groups, now that every row is read: a second COPY of the (line, group line) pairs of the
        // rows in another row's group (the duplicates, a few), not of every row.
        await ExecuteAsync(connection, "CREATE TEMP TABLE import_groups (line int PRIMARY KEY, grp int NOT NULL) ON COMMIT DROP", ct);
        await using (var copy = await connection.BeginBinaryImportAsync("COPY import_groups (line, grp) FROM STDIN (FORMAT BINARY)", ct))
        {
            for (var i = 0; i < lines.Count; i++)
            {
                var group = groups.GroupOf(i);
                if (group == i)
                {
                    continue;
                }
                await copy.StartRowAsync(ct);
                await copy.WriteAsync(lines[i], NpgsqlDbType.Integer, ct);
                await copy.WriteAsync(lines[group], NpgsqlDbType.Integer, ct);
            }
            await copy.CompleteAsync(ct);
        }
        var phases = new Dictionary<string, double> { ["read-check-copy"] = Math.Round(clock.Elapsed.TotalSeconds, 3) };
        var (inserted, existingCustomers) = await MergeAsync(connection, options.StaffId, now, phases, ct);
        var commit = Stopwatch.StartNew();
        await tx.CommitAsync(ct);
        phases["commit"] = Math.Round(commit.Elapsed.TotalSeconds, 3);
        var applied = rows - existingCustomers;
        return new ImportResult(rows, inserted, applied - inserted, existingCustomers, 0, [], clock.Elapsed.TotalSeconds, phases);
    }

    /// <summary>The set-based part; returns the new prospects and the rows left out as existing customers.</summary>
    private static async Task<(int Inserted, int ExistingCustomers)> MergeAsync(
        NpgsqlConnection connection, string staffId, DateTimeOffset now, Dictionary<string, double> phases, CancellationToken ct)
    {
        async Task<int> Timed(string phase, string sql, params (string Name, object Value)[] parameters)
        {
            var clock = Stopwatch.StartNew();
            var count = await ExecuteAsync(connection, sql, ct, parameters);
            phases[phase] = Math.Round(clock.Elapsed.TotalSeconds, 3);
            return count;
        }
        await Timed("group", """
            UPDATE import_rows r SET grp = g.grp FROM import_groups g WHERE g.line = r.line;
            CREATE INDEX ON import_rows (grp);
            ANALYZE import_rows;
            """);
        await Timed("exclude-customers", """
            -- A group with any row of an existing customer is left out entirely.
            CREATE TEMP TABLE import_excluded ON COMMIT DROP AS
                SELECT DISTINCT r.grp FROM import_rows r
                WHERE EXISTS (SELECT 1 FROM existing_customers e WHERE e.phone_hash = r.phone_hash)
                   OR (r.id_hash IS NOT NULL AND EXISTS (SELECT 1 FROM existing_customers e WHERE e.id_number_hash = r.id_hash));
            """);
        var excluded = await Timed("exclude-customers-delete", "DELETE FROM import_rows r USING import_excluded x WHERE x.grp = r.grp");
        await Timed("match", """
            -- Each group's prospect: the earliest existing prospect it matches, else a new one.
            CREATE TEMP TABLE import_match ON COMMIT DROP AS
                SELECT DISTINCT ON (grp) grp, id AS prospect_id, false AS is_new FROM (
                    SELECT r.grp, p.id, p.created_at FROM import_rows r JOIN prospects p ON p.phone_hash = r.phone_hash
                    UNION ALL
                    SELECT r.grp, p.id, p.created_at FROM import_rows r JOIN prospects p ON p.id_number_hash = r.id_hash) m
                ORDER BY grp, created_at;
            -- New ids in file order (time-ordered like UUID v7): the primary key and the touches' index
            -- grow at their right edge instead of splitting pages all over.
            INSERT INTO import_match (grp, prospect_id, is_new)
                SELECT g.grp, (@prospect_ids || lpad(to_hex(row_number() OVER (ORDER BY g.grp)), 8, '0'))::uuid, true
                FROM (SELECT DISTINCT r.grp FROM import_rows r) g
                WHERE NOT EXISTS (SELECT 1 FROM import_match m WHERE m.grp = g.grp);
            CREATE UNIQUE INDEX ON import_match (grp);
            """, ("prospect_ids", TimeOrderedPrefix()));
        await Timed("people", """
            -- What each group says: its first row's name and phone, the first known of the rest, its last
            -- campaign. The rows come sorted by group and line and are aggregated in that order: one sort
            -- for all, rather than one per ordered aggregate. A new prospect's consents are this file's
            -- (all given), so its current consent is known here.
            CREATE TEMP TABLE import_people ON COMMIT DROP AS
                SELECT grp, prospect_id, is_new, names[1] AS full_name, phones[1] AS phone, phone_hashes[1] AS phone_hash,
                       id_numbers[1] AS id_number, id_hashes[1] AS id_hash, branches[1] AS branch_code, channels[1] AS channel,
                       campaigns[cardinality(campaigns)] AS campaign_code, referral_codes[1] AS referral_code, districts[1] AS district,
                       age_bands[1] AS age_band, occupations[1] AS occupation, tag_lists[1] AS tags, cities[1] AS city,
                       communities[1] AS community, income_bands[1] AS income_band, marketing_consent, financial_data_consent
                FROM (
                    SELECT r.grp, r.prospect_id, r.is_new,
                           array_agg(r.full_name) AS names, array_agg(r.phone) AS phones, array_agg(r.phone_hash) AS phone_hashes,
                           array_agg(r.id_number) FILTER (WHERE r.id_number IS NOT NULL) AS id_numbers,
                           array_agg(r.id_hash) FILTER (WHERE r.id_hash IS NOT NULL) AS id_hashes,
                           array_agg(r.branch_code) AS branches, array_agg(r.channel) AS channels,
                           array_agg(r.campaign_code) FILTER (WHERE r.campaign_code IS NOT NULL) AS campaigns,
                           array_agg(r.referral_code) FILTER (WHERE r.referral_code IS NOT NULL) AS referral_codes,
                           array_agg(r.district) FILTER (WHERE r.district IS NOT NULL) AS districts,
                           array_agg(r.age_band) FILTER (WHERE r.age_band IS NOT NULL) AS age_bands,
                           array_agg(r.occupation) FILTER (WHERE r.occupation IS NOT NULL) AS occupations,
                           array_agg(r.tags) FILTER (WHERE r.tags IS NOT NULL) AS tag_lists,
                           array_agg(r.city) FILTER (WHERE r.city IS NOT NULL) AS cities,
                           array_agg(r.community) FILTER (WHERE r.community IS NOT NULL) AS communities,
                           array_agg(r.income_band) FILTER (WHERE r.income_band IS NOT NULL) AS income_bands,
                           bool_or(r.consent_wording IS NOT NULL) AS marketing_consent,
                           bool_or(r.financial_consent_wording IS NOT NULL) AS financial_data_consent
                    FROM (SELECT r.*, m.prospect_id, m.is_new FROM import_rows r JOIN import_match m ON m.grp = r.grp ORDER BY r.grp, r.line) r
                    GROUP BY r.grp, r.prospect_id, r.is_new) g;
            """);
        var inserted = await Timed("insert-prospects", """
            INSERT INTO prospects (id, full_name, phone, id_number, phone_hash, id_number_hash, branch_code, campaign_code, channel,
                                   referral_code, district, age_band, occupation, tags, city, community, income_band, stage, created_at, created_by,
                                   marketing_consent, financial_data_consent)
            SELECT prospect_id, full_name, phone, id_number, phone_hash, id_hash, branch_code, campaign_code, channel,
                   referral_code, district, age_band, occupation, tags, city, community, income_band, 'New', @now, @staff,
                   marketing_consent, financial_data_consent
            FROM import_people WHERE is_new
            """, ("now", now), ("staff", staffId));
        await Timed("update-prospects", """
            UPDATE prospects p SET
                id_number = coalesce(p.id_number, i.id_number), id_number_hash = coalesce(p.id_number_hash, i.id_hash),
                phone_hash = coalesce(p.phone_hash, i.phone_hash), campaign_code = coalesce(i.campaign_code, p.campaign_code),
                referral_code = coalesce(p.referral_code, i.referral_code), district = coalesce(p.district, i.district),
                age_band = coalesce(p.age_band, i.age_band), occupation = coalesce(p.occupation, i.occupation),
                tags = coalesce(p.tags, i.tags), city = coalesce(p.city, i.city), community = coalesce(p.community, i.community),
                income_band = coalesce(p.income_band, i.income_band)
            FROM import_people i WHERE NOT i.is_new AND p.id = i.prospect_id;
            """);
        await Timed("touches", """
            INSERT INTO prospect_touches (id, prospect_id, channel, campaign_code, branch_code, staff_id, at)
            SELECT (@touch_ids || lpad(to_hex(row_number() OVER (ORDER BY r.line)), 8, '0'))::uuid, m.prospect_id, r.channel,
                   r.campaign_code, r.branch_code, NULL, coalesce(r.consent_at, @now)
            FROM import_rows r JOIN import_match m ON m.grp = r.grp;
            """, ("now", now), ("touch_ids", TimeOrderedPrefix()));
        await Timed("consents", """
            INSERT INTO prospect_consents (id, prospect_id, kind, given, channel, wording, at, recorded_by)
            SELECT (@consent_ids || lpad(to_hex(row_number() OVER (ORDER BY c.line, c.kind)), 8, '0'))::uuid,
                   c.prospect_id, c.kind, true, c.consent_channel, c.wording, c.consent_at, @staff
            FROM (SELECT r.line, m.prospect_id, 'marketing' AS kind, r.consent_channel, r.consent_wording AS wording, r.consent_at
                  FROM import_rows r JOIN import_match m ON m.grp = r.grp WHERE r.consent_wording IS NOT NULL
                  UNION ALL
                  SELECT r.line, m.prospect_id, 'financial-data', r.consent_channel, r.financial_consent_wording, r.consent_at
                  FROM import_rows r JOIN import_match m ON m.grp = r.grp WHERE r.financial_consent_wording IS NOT NULL) c;
            """, ("staff", staffId), ("consent_ids", TimeOrderedPrefix()));
        await Timed("current-consent", """
            -- A known prospect's current consent is the latest given or withdrawn: a withdrawal after the
            -- list's consent still stands. (New prospects got theirs on insert.)
            UPDATE prospects p SET marketing_consent = x.marketing, financial_data_consent = x.financial
            FROM (SELECT prospect_id,
                         coalesce(bool_or(given) FILTER (WHERE kind = 'marketing'), false) AS marketing,
                         coalesce(bool_or(given) FILTER (WHERE kind = 'financial-data'), false) AS financial
                  FROM (SELECT DISTINCT ON (c.prospect_id, c.kind) c.prospect_id, c.kind, c.given
                        FROM prospect_consents c
                        WHERE c.prospect_id IN (SELECT i.prospect_id FROM import_people i WHERE NOT i.is_new AND i.marketing_consent)
                        ORDER BY c.prospect_id, c.kind, c.at DESC, c.id) latest
                  GROUP BY prospect_id) x
            WHERE p.id = x.prospect_id
              AND (p.marketing_consent, p.financial_data_consent) IS DISTINCT FROM (x.marketing, x.financial);
            """);
        return (inserted, excluded);
    }

    /// <summary>
    /// The first 24 hex digits of a batch of time-ordered UUIDs (48-bit milliseconds, version 7, 40
    /// random bits); the SQL appends an 8-digit counter.
    /// </summary>
    private static string TimeOrderedPrefix()
    {
        var ms = DateTimeOffset.UtcNow.ToUnixTimeMilliseconds();
        var random = System.Security.Cryptography.RandomNumberGenerator.GetHexString(10, lowercase: true);
        return $"{ms:x12}7{random[..3]}8{random[3..]}";
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
}
