using System.Diagnostics;
using System.Threading.Channels;
using BankClientele.Contracts.Acquisition;
using BankClientele.Hosting.Imports;
using BankClientele.Hosting.Messaging;
using BankClientele.Hosting.Privacy;
using Npgsql;
using NpgsqlTypes;
using Sylvan.Data.Csv;
using BankClientele.Hosting.Refusals;
using BankClientele.Acquisition.Campaigns;

namespace BankClientele.Acquisition.Import;

/// <summary>A bad field of a row: one of <see cref="FieldReasons"/> (the portal words it) and the English message (the CLI prints it).</summary>
public sealed record ImportError(int Line, string Field, string Code, string Message, IReadOnlyDictionary<string, decimal>? Arguments = null);

public sealed record ImportResult(
    int Rows, int Inserted, int Merged, int ExistingCustomers, int ErrorCount, IReadOnlyList<ImportError> Errors, double Seconds,
    IReadOnlyDictionary<string, double>? Phases = null, bool DryRun = false, IReadOnlyList<PreviewRow>? Preview = null)
{
    public bool Applied => ErrorCount == 0;
}

/// <param name="MayUseBranch">Whether the caller may import prospects of a branch (their data scope).</param>
/// <param name="DryRun">Run every step and roll back (the portal's preview): the answer is what applying would do.</param>
public sealed record ImportOptions(string StaffId, Func<string, bool> MayUseBranch, string DefaultChannel = "import", bool DryRun = false);

/// <summary>
/// Imports a prospect list (CSV with a header row): each row is read with Sylvan and checked, hashed
/// and streamed by binary COPY into a staging table; duplicates within the file are grouped as it is
/// read; then a few set-based statements match the groups to existing prospects and customers, insert
/// the new prospects, fill the known ones and add every row as a touch (and its consents). All in one
/// transaction: any bad row and nothing is applied.
/// </summary>
public static class ProspectImporter
{
    public const int MaxReportedErrors = 100;

    public static readonly IReadOnlyList<string> Columns =
    [
        "full_name", "phone", "id_number", "branch_code", "campaign_code", "channel", "referral_code", "district", "age_band",
        "occupation", "tags", "consent_at", "consent_channel", "consent_wording", "financial_consent_wording",
        "city", "community", "income_band",
    ];

    private const int BatchSize = 1024;

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
        // Each row carries its prospect's id (its group's first row's, new) and its touch's id, made
        // here rather than by the SQL; the merge replaces the prospect id of a group matching a known one.
        await ExecuteAsync(connection, """
            CREATE TEMP TABLE import_rows (
                line int NOT NULL, grp int NOT NULL, is_first bool NOT NULL, prospect_id uuid NOT NULL, touch_id uuid NOT NULL,
                full_name text NOT NULL, phone text NOT NULL, id_number text,
                phone_hash text, id_hash text, branch_code text NOT NULL, campaign_code text, channel text NOT NULL,
                referral_code text, district text, age_band text, occupation text, tags text,
                consent_at timestamptz, consent_channel text, consent_wording text, financial_consent_wording text,
                city text, community text, income_band text
            ) ON COMMIT DROP
            """, ct);

        var now = DateTimeOffset.UtcNow;
        var staging = new Staging();
        var foreignCampaigns = await CampaignsOutsideAsync(connection, options.MayUseBranch, ct);
        ImportRowReader rows;
        using (var reader = new StreamReader(csv, leaveOpen: true))
        await using (var csvReader = await CsvDataReader.CreateAsync(reader, new CsvDataReaderOptions { HasHeaders = true, BufferSize = 1 << 16 }, ct))
        using (rows = new ImportRowReader(csvReader, options, hash, now)
        {
            Preview = options.DryRun ? new ImportPreview(Columns) : null,
            ForeignCampaigns = foreignCampaigns,
        })
        {
            if (!rows.CheckHeader())
            {
                return new ImportResult(0, 0, 0, 0, rows.ErrorCount, rows.Errors, clock.Elapsed.TotalSeconds);
            }
            await using var copy = await connection.BeginBinaryImportAsync(
                "COPY import_rows (line, grp, is_first, prospect_id, touch_id, full_name, phone, id_number, phone_hash, id_hash, branch_code, campaign_code, channel, referral_code, " +
                "district, age_band, occupation, tags, consent_at, consent_channel, consent_wording, financial_consent_wording, city, community, income_band) FROM STDIN (FORMAT BINARY)", ct);
            // Reading, checking, hashing and grouping on one thread, the COPY on another: a list's rows
            // are handed over in batches (recycled), so the two halves of the work overlap.
            using var stop = CancellationTokenSource.CreateLinkedTokenSource(ct);
            var filled = Channel.CreateBounded<Batch>(new BoundedChannelOptions(4) { SingleReader = true, SingleWriter = true });
            var free = Channel.CreateUnbounded<Batch>(new UnboundedChannelOptions { SingleReader = true, SingleWriter = true });
            for (var i = 0; i < 6; i++)
            {
                free.Writer.TryWrite(new Batch());
            }
            var reading = Task.Run(() => ReadAllAsync(rows, staging, filled.Writer, free.Reader, stop.Token), CancellationToken.None);
            try
            {
                await foreach (var batch in filled.Reader.ReadAllAsync(ct))
                {
                    for (var i = 0; i < batch.Count; i++)
                    {
                        await WriteRowAsync(copy, batch.Rows[i], ct);
                    }
                    free.Writer.TryWrite(batch);
                }
                await reading;
            }
            finally
            {
                stop.Cancel();
                try { await reading; } catch (OperationCanceledException) { } // already thrown above when it mattered
            }
            if (rows.ErrorCount > 0)
            {
                // Disposing without Complete cancels the COPY; the transaction rolls back.
                return new ImportResult(rows.Line - 1, 0, 0, 0, rows.ErrorCount, rows.Errors, clock.Elapsed.TotalSeconds);
            }
            await copy.CompleteAsync(ct);
        }
        var rowCount = rows.Line - 1;

        // A row written before a later row joined its group to an earlier one (a phone of one and the
        // ID number of another) moves to that group: rare, so only those rows are sent again.
        var moved = staging.Moved().ToList();
        if (moved.Count > 0)
        {
            await ExecuteAsync(connection, "CREATE TEMP TABLE import_moved (line int NOT NULL, grp int NOT NULL, prospect_id uuid NOT NULL) ON COMMIT DROP", ct);
            await using (var copy = await connection.BeginBinaryImportAsync("COPY import_moved (line, grp, prospect_id) FROM STDIN (FORMAT BINARY)", ct))
            {
                foreach (var (line, group) in moved)
                {
                    await copy.StartRowAsync(ct);
                    await copy.WriteAsync(line, NpgsqlDbType.Integer, ct);
                    await copy.WriteAsync(group, NpgsqlDbType.Integer, ct);
                    await copy.WriteAsync(staging.ProspectIds.For(group), NpgsqlDbType.Uuid, ct);
                }
                await copy.CompleteAsync(ct);
            }
            await ExecuteAsync(connection, "UPDATE import_rows r SET grp = m.grp, is_first = false, prospect_id = m.prospect_id FROM import_moved m WHERE m.line = r.line", ct);
        }
        var phases = new Dictionary<string, double> { ["read-check-copy"] = Math.Round(clock.Elapsed.TotalSeconds, 3) };
        var (inserted, existingCustomers) = await MergeAsync(connection, options.StaffId, now, phases, ct);
        var applied = rowCount - existingCustomers;
        if (!options.DryRun)
        {
            var events = Stopwatch.StartNew();
            await PublishNewProspectsAsync(connection, tx, now, ct);
            phases["events"] = Math.Round(events.Elapsed.TotalSeconds, 3);
        }
        // Conversions wait from here to the commit only (LeadStageCountDeltas).
        await UpdateKnownProspectsAsync(connection, phases, ct);
        if (options.DryRun)
        {
            await tx.RollbackAsync(ct); // the same steps as applying, undone
            return new ImportResult(rowCount, inserted, applied - inserted, existingCustomers, 0, [], clock.Elapsed.TotalSeconds, phases,
                DryRun: true, Preview: rows.Preview!.Rows);
        }
        var commit = Stopwatch.StartNew();
        await tx.CommitAsync(ct);
        phases["commit"] = Math.Round(commit.Elapsed.TotalSeconds, 3);
        return new ImportResult(rowCount, inserted, applied - inserted, existingCustomers, 0, [], clock.Elapsed.TotalSeconds, phases);
    }

    /// <summary>
    /// The rows' groups as they are staged: each row gets its group's first line and that row's
    /// (new) prospect id, and its own touch id.
    /// </summary>
    private sealed class Staging
    {
        private readonly DuplicateGroups groups = new();
        private readonly List<int> lines = [];
        private readonly List<int> rootsWhenStaged = [];
        private readonly TimeOrderedIds touchIds = new();

        public TimeOrderedIds ProspectIds { get; } = new();

        public void Assign(ImportRow row)
        {
            var index = groups.Add(row.PhoneHash, row.IdHash);
            var root = groups.GroupOf(index);
            lines.Add(row.Line);
            rootsWhenStaged.Add(root);
            row.Group = lines[root];
            row.ProspectId = ProspectIds.For(row.Group);
            row.TouchId = touchIds.For(row.Line);
        }

        /// <summary>The rows whose group was joined to an earlier one after they were staged: (line, group's first line).</summary>
        public IEnumerable<(int Line, int Group)> Moved()
        {
            for (var i = 0; i < lines.Count; i++)
            {
                var root = groups.GroupOf(i);
                if (root != rootsWhenStaged[i])
                {
                    yield return (lines[i], lines[root]);
                }
            }
        }
    }

    private sealed class Batch
    {
        public readonly ImportRow[] Rows = Enumerable.Range(0, BatchSize).Select(_ => new ImportRow()).ToArray();
        public int Count;
    }

    private static async Task ReadAllAsync(ImportRowReader rows, Staging staging, ChannelWriter<Batch> filled, ChannelReader<Batch> free, CancellationToken ct)
    {
        try
        {
            var batch = await free.ReadAsync(ct);
            batch.Count = 0;
            ImportRowReader.ReadResult result;
            while ((result = await rows.ReadAsync(batch.Rows[batch.Count], ct)) != ImportRowReader.ReadResult.End)
            {
                if (result != ImportRowReader.ReadResult.Row)
                {
                    continue;
                }
                staging.Assign(batch.Rows[batch.Count]);
                if (++batch.Count == BatchSize)
                {
                    await filled.WriteAsync(batch, ct);
                    batch = await free.ReadAsync(ct);
                    batch.Count = 0;
                }
            }
            if (batch.Count > 0 && rows.ErrorCount == 0)
            {
                await filled.WriteAsync(batch, ct);
            }
            filled.Complete();
        }
        catch (Exception e)
        {
            filled.Complete(e);
            throw;
        }
    }

    private static async Task WriteRowAsync(NpgsqlBinaryImporter copy, ImportRow row, CancellationToken ct)
    {
        await copy.StartRowAsync(ct);
        await copy.WriteAsync(row.Line, NpgsqlDbType.Integer, ct);
        await copy.WriteAsync(row.Group, NpgsqlDbType.Integer, ct);
        await copy.WriteAsync(row.Group == row.Line, NpgsqlDbType.Boolean, ct);
        await copy.WriteAsync(row.ProspectId, NpgsqlDbType.Uuid, ct);
        await copy.WriteAsync(row.TouchId, NpgsqlDbType.Uuid, ct);
        await copy.WriteAsync(row.FullName, NpgsqlDbType.Text, ct);
        await copy.WriteAsync(row.Phone, NpgsqlDbType.Text, ct);
        await WriteAsync(copy, row.IdNumber, ct);
        await WriteAsync(copy, row.PhoneHash, ct);
        await WriteAsync(copy, row.IdHash, ct);
        await copy.WriteAsync(row.BranchCode, NpgsqlDbType.Text, ct);
        await WriteAsync(copy, row.CampaignCode, ct);
        await copy.WriteAsync(row.Channel, NpgsqlDbType.Text, ct);
        await WriteAsync(copy, row.ReferralCode, ct);
        await WriteAsync(copy, row.District, ct);
        await WriteAsync(copy, row.AgeBand, ct);
        await WriteAsync(copy, row.Occupation, ct);
        await WriteAsync(copy, row.Tags, ct);
        if (row.ConsentAt is { } at) { await copy.WriteAsync(at, NpgsqlDbType.TimestampTz, ct); } else { await copy.WriteNullAsync(ct); }
        await WriteAsync(copy, row.ConsentChannel, ct);
        await WriteAsync(copy, row.ConsentWording, ct);
        await WriteAsync(copy, row.FinancialConsentWording, ct);
        await WriteAsync(copy, row.City, ct);
        await WriteAsync(copy, row.Community, ct);
        await WriteAsync(copy, row.IncomeBand, ct);
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
        // The leads' counts move at the end, in one statement (LeadStageCountDeltas): until then no counts row is held.
        await ExecuteAsync(connection, LeadStageCountDeltas.DeferSql, ct);
        // import_rows is not analyzed: the plans (hash joins against the small tables below, analyzed)
        // come out the same without its statistics, and sampling a million rows is not free.
        await Timed("exclude-customers", """
            -- A group with any row of an existing customer is left out entirely.
            CREATE TEMP TABLE import_excluded ON COMMIT DROP AS
                SELECT r.grp FROM import_rows r JOIN existing_customers e ON e.phone_hash = r.phone_hash
                UNION
                SELECT r.grp FROM import_rows r JOIN existing_customers e ON e.id_number_hash = r.id_hash;
            ANALYZE import_excluded;
            """);
        var excluded = await Timed("exclude-customers-delete", "DELETE FROM import_rows r USING import_excluded x WHERE x.grp = r.grp");
        await Timed("match", """
            -- Each group matching known prospects merges into the earliest of them; the others are new.
            CREATE TEMP TABLE import_match ON COMMIT DROP AS
                SELECT DISTINCT ON (grp) grp, id AS prospect_id FROM (
                    SELECT r.grp, p.id, p.created_at FROM import_rows r JOIN prospects p ON p.phone_hash = r.phone_hash
                    UNION ALL
                    SELECT r.grp, p.id, p.created_at FROM import_rows r JOIN prospects p ON p.id_number_hash = r.id_hash) m
                ORDER BY grp, created_at;
            ANALYZE import_match;
            """);
        await Timed("later-rows", """
            -- What the later rows of a group of several add to its first row: the first known value of
            -- each field, the last campaign, any consent. They come sorted by group and line and are
            -- aggregated in that order: one sort for all, rather than one per ordered aggregate.
            CREATE TEMP TABLE import_later ON COMMIT DROP AS
                SELECT grp,
                       (array_agg(id_number) FILTER (WHERE id_number IS NOT NULL))[1] AS id_number,
                       (array_agg(id_hash) FILTER (WHERE id_hash IS NOT NULL))[1] AS id_hash,
                       (array_agg(campaign_code) FILTER (WHERE campaign_code IS NOT NULL))[count(campaign_code)] AS campaign_code,
                       (array_agg(referral_code) FILTER (WHERE referral_code IS NOT NULL))[1] AS referral_code,
                       (array_agg(district) FILTER (WHERE district IS NOT NULL))[1] AS district,
                       (array_agg(age_band) FILTER (WHERE age_band IS NOT NULL))[1] AS age_band,
                       (array_agg(occupation) FILTER (WHERE occupation IS NOT NULL))[1] AS occupation,
                       (array_agg(tags) FILTER (WHERE tags IS NOT NULL))[1] AS tags,
                       (array_agg(city) FILTER (WHERE city IS NOT NULL))[1] AS city,
                       (array_agg(community) FILTER (WHERE community IS NOT NULL))[1] AS community,
                       (array_agg(income_band) FILTER (WHERE income_band IS NOT NULL))[1] AS income_band,
                       bool_or(consent_wording IS NOT NULL) AS marketing_consent,
                       bool_or(financial_consent_wording IS NOT NULL) AS financial_data_consent
                FROM (SELECT * FROM import_rows WHERE NOT is_first ORDER BY grp, line) r
                GROUP BY grp;
            ANALYZE import_later;
            """);
        var inserted = await Timed("insert-prospects", $"""
            -- A new prospect's consents are this file's (all given), so its current consent is known here.
            -- In file order, as their ids: the primary key grows at its right edge.
            INSERT INTO prospects (id, full_name, phone, id_number, phone_hash, id_number_hash, branch_code, campaign_code, channel,
                                   referral_code, district, age_band, occupation, tags, city, community, income_band, stage, created_at, created_by,
                                   marketing_consent, financial_data_consent)
            SELECT prospect_id, full_name, phone, id_number, phone_hash, id_hash, branch_code, campaign_code, channel,
                   referral_code, district, age_band, occupation, tags, city, community, income_band, 'New', @now, @staff,
                   marketing_consent, financial_data_consent
            FROM ({People}) i
            WHERE NOT EXISTS (SELECT 1 FROM import_match m WHERE m.grp = i.grp)
            """, ("now", now), ("staff", staffId));
        await Timed("touches", """
            INSERT INTO prospect_touches (id, prospect_id, channel, campaign_code, branch_code, staff_id, at)
            SELECT r.touch_id, coalesce(m.prospect_id, r.prospect_id), r.channel, r.campaign_code, r.branch_code, NULL, coalesce(r.consent_at, @now)
            FROM import_rows r LEFT JOIN import_match m ON m.grp = r.grp;
            """, ("now", now));
        await Timed("consents", """
            -- Ids from the line (two per line: marketing, financial data), in file order.
            INSERT INTO prospect_consents (id, prospect_id, kind, given, channel, wording, at, recorded_by)
            SELECT (@consent_ids || lpad(to_hex(r.line * 2 + k.n), 8, '0'))::uuid, coalesce(m.prospect_id, r.prospect_id),
                   k.kind, true, r.consent_channel, k.wording, r.consent_at, @staff
            FROM import_rows r LEFT JOIN import_match m ON m.grp = r.grp
            CROSS JOIN LATERAL (VALUES (0, 'marketing', r.consent_wording), (1, 'financial-data', r.financial_consent_wording)) k (n, kind, wording)
            WHERE r.consent_wording IS NOT NULL AND k.wording IS NOT NULL;
            """, ("staff", staffId), ("consent_ids", TimeOrderedIds.NewPrefix()));
        return (inserted, excluded);
    }

    /// <summary>A group's person: its first row, completed by its later rows.</summary>
    private const string People = """
        SELECT r.grp, r.prospect_id, r.full_name, r.phone, coalesce(r.id_number, l.id_number) AS id_number, r.phone_hash,
               coalesce(r.id_hash, l.id_hash) AS id_hash, r.branch_code, coalesce(l.campaign_code, r.campaign_code) AS campaign_code,
               r.channel, coalesce(r.referral_code, l.referral_code) AS referral_code, coalesce(r.district, l.district) AS district,
               coalesce(r.age_band, l.age_band) AS age_band, coalesce(r.occupation, l.occupation) AS occupation,
               coalesce(r.tags, l.tags) AS tags, coalesce(r.city, l.city) AS city, coalesce(r.community, l.community) AS community,
               coalesce(r.income_band, l.income_band) AS income_band,
               r.consent_wording IS NOT NULL OR coalesce(l.marketing_consent, false) AS marketing_consent,
               r.financial_consent_wording IS NOT NULL OR coalesce(l.financial_data_consent, false) AS financial_data_consent
        FROM import_rows r LEFT JOIN import_later l ON l.grp = r.grp
        WHERE r.is_first
        """;

    /// <summary>
    /// The writes that lock what conversions also write: the known prospects the list names (row locks) and the
    /// deferred lead counts. Under <see cref="LeadStageCountLock"/>, the conversions' lock, taken before the first of
    /// them: a conversion never holds what the import waits for, nor the reverse, and each waits for the other's commit only.
    /// </summary>
    private static async Task UpdateKnownProspectsAsync(NpgsqlConnection connection, Dictionary<string, double> phases, CancellationToken ct)
    {
        async Task<int> Timed(string phase, string sql)
        {
            var clock = Stopwatch.StartNew();
            var count = await ExecuteAsync(connection, sql, ct);
            phases[phase] = Math.Round(clock.Elapsed.TotalSeconds, 3);
            return count;
        }
        await Timed("lead-counts-lock", LeadStageCountLock.Sql);
        await Timed("update-prospects", $"""
            UPDATE prospects p SET
                id_number = coalesce(p.id_number, i.id_number), id_number_hash = coalesce(p.id_number_hash, i.id_hash),
                phone_hash = coalesce(p.phone_hash, i.phone_hash), campaign_code = coalesce(i.campaign_code, p.campaign_code),
                referral_code = coalesce(p.referral_code, i.referral_code), district = coalesce(p.district, i.district),
                age_band = coalesce(p.age_band, i.age_band), occupation = coalesce(p.occupation, i.occupation),
                tags = coalesce(p.tags, i.tags), city = coalesce(p.city, i.city), community = coalesce(p.community, i.community),
                income_band = coalesce(p.income_band, i.income_band)
            FROM ({People}) i JOIN import_match m ON m.grp = i.grp
            WHERE p.id = m.prospect_id;
            """);
        await Timed("current-consent", """
            -- A known prospect's current consent is the latest given or withdrawn: a withdrawal after the
            -- list's consent still stands. (New prospects got theirs on insert.)
            UPDATE prospects p SET marketing_consent = x.marketing, financial_data_consent = x.financial
            FROM (SELECT prospect_id,
                         coalesce(bool_or(given) FILTER (WHERE kind = 'marketing'), false) AS marketing,
                         coalesce(bool_or(given) FILTER (WHERE kind = 'financial-data'), false) AS financial
                  FROM (SELECT DISTINCT ON (c.prospect_id, c.kind) c.prospect_id, c.kind, c.given
                        FROM prospect_consents c
                        WHERE c.prospect_id IN (SELECT m.prospect_id FROM import_match m JOIN import_rows r ON r.grp = m.grp
                                                WHERE r.consent_wording IS NOT NULL)
                        ORDER BY c.prospect_id, c.kind, c.at DESC, c.id) latest
                  GROUP BY prospect_id) x
            WHERE p.id = x.prospect_id
              AND (p.marketing_consent, p.financial_data_consent) IS DISTINCT FROM (x.marketing, x.financial);
            """);
        await Timed("lead-counts", LeadStageCountDeltas.ApplySql);
    }

    /// <summary>New prospects per <see cref="ProspectsRecorded"/>: a list of a million makes a couple of hundred events, not a million.</summary>
    private const int RecordedChunk = 5_000;

    /// <summary>
    /// The new prospects (the first rows of the groups no known prospect matched: the ones inserted above) as
    /// <see cref="ProspectsRecorded"/>, one per branch and <see cref="RecordedChunk"/> ids, into the outbox in the
    /// import's transaction.
    /// </summary>
    private static async Task PublishNewProspectsAsync(NpgsqlConnection connection, NpgsqlTransaction transaction, DateTimeOffset now, CancellationToken ct)
    {
        var outbox = new SqlOutbox(connection, transaction);
        await outbox.CopyAsync($"""
            SELECT branch_code, array_agg(prospect_id ORDER BY prospect_id) FROM (
                SELECT r.branch_code, r.prospect_id,
                       (row_number() OVER (PARTITION BY r.branch_code ORDER BY r.prospect_id) - 1) / {RecordedChunk} AS chunk
                FROM import_rows r
                WHERE r.is_first AND NOT EXISTS (SELECT 1 FROM import_match m WHERE m.grp = r.grp)) n
            GROUP BY branch_code, chunk
            ORDER BY branch_code, chunk
            """, row => new ProspectsRecorded(row.GetString(0), row.GetFieldValue<Guid[]>(1), now), ct);
        await outbox.NotifyAsync(ct);
    }

    /// <summary>
    /// The codes of campaigns run by branches outside the caller's scope: a row may not credit one (a code no
    /// campaign has stays a free tag). Campaigns are few (thousands), so they are read whole.
    /// </summary>
    private static async Task<HashSet<string>> CampaignsOutsideAsync(NpgsqlConnection connection, Func<string, bool> mayUseBranch, CancellationToken ct)
    {
        var outside = new HashSet<string>(StringComparer.Ordinal);
        await using var command = new NpgsqlCommand("SELECT code, branch_code FROM campaigns", connection);
        await using var reader = await command.ExecuteReaderAsync(ct);
        while (await reader.ReadAsync(ct))
        {
            if (!mayUseBranch(reader.GetString(1)))
            {
                outside.Add(reader.GetString(0));
            }
        }
        return outside;
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

/// <summary>
/// Time-ordered UUIDs for one batch (48-bit milliseconds, version 7, 40 random bits, then a 32-bit
/// counter): ids made in counter order sort in that order, so an index on them grows at its right edge.
/// </summary>
internal sealed class TimeOrderedIds
{
    private readonly byte[] bytes = Convert.FromHexString(NewPrefix() + "00000000");

    /// <summary>The first 24 hex digits; the counter is appended (SQL: <c>lpad(to_hex(n), 8, '0')</c>).</summary>
    public static string NewPrefix()
    {
        var ms = DateTimeOffset.UtcNow.ToUnixTimeMilliseconds();
        var random = System.Security.Cryptography.RandomNumberGenerator.GetHexString(10, lowercase: true);
        return $"{ms:x12}7{random[..3]}8{random[3..]}";
    }

    public Guid For(int counter)
    {
        Span<byte> id = stackalloc byte[16];
        bytes.CopyTo(id);
        System.Buffers.Binary.BinaryPrimitives.WriteInt32BigEndian(id[12..], counter);
        return new Guid(id, bigEndian: true);
    }
}
