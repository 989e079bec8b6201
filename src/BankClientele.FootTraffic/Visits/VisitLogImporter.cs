using System.Buffers.Binary;
using System.Globalization;
using System.Runtime.CompilerServices;
using BankClientele.Contracts.FootTraffic;
using BankClientele.FootTraffic.Profile;
using BankClientele.Hosting.Auth;
using BankClientele.Hosting.Customers;
using BankClientele.Hosting.Database;
using BankClientele.Hosting.Imports;
using BankClientele.Hosting.Messaging;
using BankClientele.Hosting.Privacy;
using BankClientele.Hosting.Time;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Storage;
using Npgsql;
using NpgsqlTypes;
using Sylvan.Data.Csv;
using BankClientele.Hosting.Refusals;

namespace BankClientele.FootTraffic.Visits;

/// <summary>A row of a queue log that cannot be taken, by line (1 = the header) and column.</summary>
/// <summary>A bad field of a row: one of <see cref="FieldReasons"/> (the portal words it) and the English message (the CLI prints it).</summary>
public sealed record VisitLogError(int Line, string Field, string Code, string Message, IReadOnlyDictionary<string, decimal>? Arguments = null);

/// <summary>What an import did: rows read, visits added, visits whose later events were filled in, and the errors (first 100) when it applied nothing.
/// A dry run (<see cref="DryRun"/>) did every step and rolled back; <see cref="Preview"/> holds its first rows as read.</summary>
public sealed record VisitLogResult(int Rows, int Added, int Updated, int ErrorCount, IReadOnlyList<VisitLogError> Errors,
    bool DryRun = false, IReadOnlyList<PreviewRow>? Preview = null)
{
    public bool Applied => ErrorCount == 0;
}

/// <summary>
/// Where an import's time went (the bench prints it): each phase's wall time, this process's CPU time and,
/// when <see cref="DatabaseCpu"/> is given, the database's (the bench reads the backend's, which load does not inflate).
/// </summary>
public sealed class VisitLogPhases
{
    private readonly List<(string Phase, TimeSpan Time, TimeSpan Cpu, TimeSpan DatabaseCpu)> phases = [];
    private TimeSpan lastCpu, lastDatabaseCpu;

    public Func<TimeSpan>? DatabaseCpu { get; init; }

    public IReadOnlyList<(string Phase, TimeSpan Time, TimeSpan Cpu, TimeSpan DatabaseCpu)> All => phases;

    /// <summary><c>new</c>: every ticket new, plain inserts and rollups by increment; <c>merge</c>: the general merge.</summary>
    public string Path { get; internal set; } = "";

    internal void Start()
    {
        lastCpu = System.Diagnostics.Process.GetCurrentProcess().TotalProcessorTime;
        lastDatabaseCpu = DatabaseCpu?.Invoke() ?? TimeSpan.Zero;
    }

    internal void Add(string phase, TimeSpan time)
    {
        var cpu = System.Diagnostics.Process.GetCurrentProcess().TotalProcessorTime;
        var databaseCpu = DatabaseCpu?.Invoke() ?? TimeSpan.Zero;
        phases.Add((phase, time, cpu - lastCpu, databaseCpu - lastDatabaseCpu));
        (lastCpu, lastDatabaseCpu) = (cpu, databaseCpu);
    }
}

/// <summary>
/// Imports a queue machine's day log (CSV, header row; columns in <see cref="Columns"/>): every row is
/// checked while it is copied (binary COPY) into a temporary staging table; with any bad row nothing
/// is applied; otherwise, in one transaction, new tickets are inserted, later events of known ones filled
/// in (the same log twice changes nothing), BranchVisitRecorded queued in the outbox for new identified
/// visits, and the rollups of the touched branch-days kept exact.
/// The usual log, a day's tickets none of which is stored yet, takes a cheaper path: plain inserts, and the
/// rollups counted while reading (or added from the staged rows to a day already counted); any ticket
/// already stored, or repeated in the log, takes the general merge and recomputes its branch-days from the visits.
/// </summary>
public sealed class VisitLogImporter(PersonalDataHash hashes)
{
    public const string TicketKeyIndex = "ux_branch_visits_ticket_per_day";
    public const int MaxReportedErrors = 100;

    public static readonly IReadOnlyList<string> Columns =
    [
        "branch_code", "ticket_number", "service_type", "issued_at", "called_at", "counter",
        "service_started_at", "service_ended_at", "abandoned_at", "customer_number", "phone",
    ];

    /// <param name="dryRun">Do every step and roll back (the portal's preview): nothing is applied.</param>
    public async Task<VisitLogResult> ImportAsync(ServiceDbContext db, TextReader csv, DataScope scope, CancellationToken ct, VisitLogPhases? phases = null,
        bool dryRun = false)
    {
        var preview = dryRun ? new ImportPreview(Columns) : null;
        phases?.Start();
        var clock = System.Diagnostics.Stopwatch.StartNew();
        void Phase(string name)
        {
            phases?.Add(name, clock.Elapsed);
            clock.Restart();
        }
        await using var tx = await db.Database.BeginTransactionAsync(ct);
        var connection = (NpgsqlConnection)db.Database.GetDbConnection();
        // A large log's staging table stays in memory rather than spilling the default 8 MB of temporary
        // buffers (effective only before the session's first temporary table; harmless after).
        // The merge sorts and hashes the whole log: in memory, not in spill files, for a log of a million rows.
        await using (var buffers = new NpgsqlCommand("SET temp_buffers = '256MB'; SET LOCAL work_mem = '256MB'", connection))
        {
            await buffers.ExecuteNonQueryAsync(ct);
        }
        await using (var create = new NpgsqlCommand(StagingTable, connection))
        {
            await create.ExecuteNonQueryAsync(ct);
        }

        var errors = new List<VisitLogError>();
        var errorCount = 0;
        var rows = 0;
        var ids = new V7Sequence();
        // Whether a ticket (branch, day, number) may repeat in the log: a 64-bit hash per ticket, so a repeat
        // is always seen (a rare false alarm only sends the log down the general merge).
        var tickets = new HashSet<ulong>();
        var repeats = false;
        var branchDays = new HashSet<(string Branch, DateOnly Day)>();
        (string Branch, DateOnly Day) lastBranchDay = ("", default);
        var byPhoneOnly = false;
        var tally = new RollupTally(); // the rollups of the log's rows, for the all-new path
        var customerIds = new Dictionary<string, Guid>(StringComparer.Ordinal); // a branch's regulars recur through its log
        Guid CustomerIdOf(string number)
        {
            if (!customerIds.TryGetValue(number, out var id))
            {
                customerIds[number] = id = CustomerIds.FromCustomerNumber(number);
            }
            return id;
        }
        void Bad(int line, string field, string code, string message, int? max = null)
        {
            errorCount++;
            if (errors.Count < MaxReportedErrors)
            {
                errors.Add(new VisitLogError(line, field, code, message, max is { } m ? new Dictionary<string, decimal> { ["max"] = m } : null));
            }
        }

        await using (var reader = await CsvDataReader.CreateAsync(csv, new CsvDataReaderOptions { HasHeaders = true }, ct))
        {
            var header = Enumerable.Range(0, reader.FieldCount).ToDictionary(i => reader.GetName(i).Trim().ToLowerInvariant(), i => i);
            var ordinals = new int[Columns.Count];
            for (var c = 0; c < Columns.Count; c++)
            {
                ordinals[c] = header.GetValueOrDefault(Columns[c], -1);
                if (ordinals[c] < 0 && c < 4)
                {
                    Bad(1, Columns[c], FieldReasons.MissingColumn, "required column is missing from the header");
                }
            }
            if (errorCount > 0)
            {
                return new VisitLogResult(0, 0, 0, errorCount, errors);
            }
            string? Text(int column) => ordinals[column] >= 0 && reader.GetString(ordinals[column]) is { Length: > 0 } s ? s.Trim() : null;
            // A time read from the field in place: a string only for a time not in the queue machines' format.
            DateTimeOffset? TimeAt(int column, int line, string field, bool required, DateTimeOffset? notBefore)
            {
                var text = ordinals[column] >= 0 ? reader.GetFieldSpan(ordinals[column]).Trim() : default;
                if (!text.IsEmpty && TryParseQueueTime(text, out var parsed))
                {
                    if (notBefore is { } before && parsed < before)
                    {
                        Bad(line, field, FieldReasons.BeforeEarlierEvent, "is before the ticket's earlier event");
                    }
                    return parsed;
                }
                return Time(text.IsEmpty ? null : text.ToString(), line, field, required, notBefore);
            }

            await using var copy = await connection.BeginBinaryImportAsync(CopyCommand, ct);
            var line = 1;
            while (await reader.ReadAsync(ct))
            {
                StageRow(++line);
            }

            // A row's checks and its write to the COPY: synchronous, and compiled optimised at once rather than
            // run unoptimised while the runtime's tiering catches up with a loop a million rows long.
            [MethodImpl(MethodImplOptions.AggressiveOptimization)]
            void StageRow(int line)
            {
                rows++;
                if (preview is { Wants: true })
                {
                    preview.Add(line, Text);
                }
                var branch = Text(0);
                var ticket = Text(1);
                var service = Text(2);
                if (branch is null || branch.Length > 20) { Bad(line, "branch_code", branch is null ? FieldReasons.Required : FieldReasons.TooLong, "required, at most 20 characters", branch is null ? null : 20); }
                else if (!scope.CanSeeBranch(branch)) { Bad(line, "branch_code", FieldReasons.OutOfScope, $"branch '{branch}' is outside your scope"); }
                if (ticket is null || ticket.Length > 20) { Bad(line, "ticket_number", ticket is null ? FieldReasons.Required : FieldReasons.TooLong, "required, at most 20 characters", ticket is null ? null : 20); }
                if (service is null || service.Length > 40) { Bad(line, "service_type", service is null ? FieldReasons.Required : FieldReasons.TooLong, "required, at most 40 characters", service is null ? null : 40); }
                var issued = TimeAt(3, line, "issued_at", required: true, null);
                var called = TimeAt(4, line, "called_at", required: false, issued);
                var counter = Text(5);
                if (counter is { Length: > 10 }) { Bad(line, "counter", FieldReasons.TooLong, "at most 10 characters", 10); }
                var started = TimeAt(6, line, "service_started_at", required: false, issued);
                var ended = TimeAt(7, line, "service_ended_at", required: false, started ?? issued);
                var abandoned = TimeAt(8, line, "abandoned_at", required: false, issued);
                if (abandoned is not null && started is not null) { Bad(line, "abandoned_at", FieldReasons.ServedNotAbandoned, "a ticket that was served was not abandoned"); }
                var number = Text(9);
                if (number is not null && (number.Length > 20 || !number.All(char.IsAsciiDigit))) { Bad(line, "customer_number", FieldReasons.DigitsOnly, "digits only, at most 20"); }
                var phone = Text(10);
                var phoneHash = phone is null ? null : hashes.Phone(phone);
                if (phone is not null && phoneHash is null) { Bad(line, "phone", FieldReasons.NotAPhone, "not a phone number"); }
                if (errorCount > 0)
                {
                    return; // nothing will be applied: just keep checking the rest
                }

                var day = BranchClock.DayOf(issued!.Value);
                if (lastBranchDay.Day != day || !string.Equals(lastBranchDay.Branch, branch, StringComparison.Ordinal))
                {
                    lastBranchDay = (branch!, day);
                    branchDays.Add(lastBranchDay);
                }
                repeats |= !tickets.Add(TicketHash(branch!, day, ticket!));
                byPhoneOnly |= number is null && phoneHash is not null;
                tally.Add(branch!, day, issued.Value, service!, identified: number is not null, called, started, ended, abandoned);

                // Synchronous writes: they fill Npgsql's buffer and only block when it flushes to the
                // server, where an await per field would cost more than the field itself.
                copy.StartRow();
                copy.Write(ids.Next(), NpgsqlDbType.Uuid);
                copy.Write(line, NpgsqlDbType.Integer);
                copy.Write(branch!, NpgsqlDbType.Text);
                copy.Write(ticket!, NpgsqlDbType.Text);
                copy.Write(service!, NpgsqlDbType.Text);
                copy.Write(issued.Value, NpgsqlDbType.TimestampTz);
                copy.Write(day, NpgsqlDbType.Date);
                WriteNullable(copy, called);
                WriteNullable(copy, counter);
                WriteNullable(copy, started);
                WriteNullable(copy, ended);
                WriteNullable(copy, abandoned);
                WriteNullable(copy, number is null ? null : CustomerIdOf(number));
                WriteNullable(copy, phoneHash);
            }
            if (errorCount > 0)
            {
                // Dispose without Complete cancels the COPY; the transaction is rolled back unused.
                return new VisitLogResult(rows, 0, 0, errorCount, errors);
            }
            await copy.CompleteAsync(ct);
        }

        Phase("staging");

        int added = 0, updated = 0;
        // The BranchVisitRecorded events, written in this transaction: their ids from the outbox, in the log's order.
        var outbox = new SqlOutbox(connection, (NpgsqlTransaction)tx.GetDbTransaction());
        var (anyStored, anyCounted) = repeats || rows == 0 ? (true, true) : await ProbeAsync(connection, branchDays, ct);
        var allNew = !anyStored;
        if (allNew)
        {
            // A concurrent writer may still store one of these tickets, or count one of these days, before
            // these inserts: then the savepoint is rolled back and the general merge does it.
            await tx.CreateSavepointAsync("all_new", ct);
            try
            {
                added = await InsertNewAsync(connection, outbox, byPhoneOnly, anyCounted, tally, Phase, ct);
                await tx.ReleaseSavepointAsync("all_new", ct);
            }
            catch (PostgresException e) when (e.SqlState == PostgresErrorCodes.UniqueViolation)
            {
                await tx.RollbackToSavepointAsync("all_new", ct);
                allNew = false;
            }
        }
        if (!allNew)
        {
            (added, updated) = await MergeAsync(connection, outbox, Phase, ct);
        }
        if (phases is not null) { phases.Path = allNew ? "new" : "merge"; }
        if (dryRun)
        {
            await tx.RollbackAsync(ct); // the same steps as applying, undone (no NOTIFY was sent)
            return new VisitLogResult(rows, added, updated, 0, [], DryRun: true, Preview: preview!.Rows);
        }
        await outbox.NotifyAsync(ct);
        await tx.CommitAsync(ct);
        Phase("commit");
        return new VisitLogResult(rows, added, updated, 0, []);

        DateTimeOffset? Time(string? text, int line, string field, bool required, DateTimeOffset? notBefore)
        {
            if (text is null)
            {
                if (required) { Bad(line, field, FieldReasons.Required, "required"); }
                return null;
            }
            // ISO 8601; without an offset the time is the branch's local time.
            // The queue machines' own format was tried first (TimeAt); here anything ISO 8601 .NET reads.
            if (!DateTimeOffset.TryParseExact(text, "yyyy-MM-dd'T'HH:mm:sszzz", CultureInfo.InvariantCulture, DateTimeStyles.None, out var parsed)
                && !DateTimeOffset.TryParse(text, CultureInfo.InvariantCulture, DateTimeStyles.None, out parsed))
            {
                Bad(line, field, FieldReasons.NotATime, $"'{text}' is not a date and time (ISO 8601, e.g. 2026-11-20T09:30:00+08:00)");
                return null;
            }
            if (!text.Contains('+', StringComparison.Ordinal) && !text.EndsWith('Z') && text.LastIndexOf('-') < 10)
            {
                parsed = new DateTimeOffset(parsed.DateTime, BranchClock.Offset);
            }
            parsed = parsed.ToUniversalTime();
            if (notBefore is { } earliest && parsed < earliest)
            {
                Bad(line, field, FieldReasons.BeforeEarlierEvent, "is before the ticket's earlier event");
            }
            return parsed;
        }
    }

    /// <summary>
    /// The queue machines' format, <c>yyyy-MM-ddTHH:mm:ss+hh:mm</c> exactly, read without the general parser;
    /// as UTC. False for anything else (the caller then tries the general ISO 8601 forms and reports the bad).
    /// </summary>
    public static bool TryParseQueueTime(ReadOnlySpan<char> text, out DateTimeOffset utc)
    {
        utc = default;
        if (text.Length != 25 || text[4] != '-' || text[7] != '-' || text[10] != 'T' || text[13] != ':' || text[16] != ':'
            || text[19] is not ('+' or '-') || text[22] != ':')
        {
            return false;
        }
        int year = Digits(text, 0, 4), month = Digits(text, 5, 2), day = Digits(text, 8, 2), hour = Digits(text, 11, 2),
            minute = Digits(text, 14, 2), second = Digits(text, 17, 2), offsetHours = Digits(text, 20, 2), offsetMinutes = Digits(text, 23, 2);
        if ((year | month | day | hour | minute | second | offsetHours | offsetMinutes) < 0 || year < 1 || month is < 1 or > 12
            || day < 1 || day > DateTime.DaysInMonth(year, month) || hour > 23 || minute > 59 || second > 59
            || offsetHours > 14 || offsetMinutes > 59 || offsetHours * 60 + offsetMinutes > 14 * 60)
        {
            return false;
        }
        var offset = new TimeSpan(offsetHours, offsetMinutes, 0);
        var local = new DateTime(year, month, day, hour, minute, second, DateTimeKind.Unspecified);
        var ticks = local.Ticks - (text[19] == '-' ? -offset.Ticks : offset.Ticks);
        if (ticks < DateTime.MinValue.Ticks || ticks > DateTime.MaxValue.Ticks)
        {
            return false;
        }
        utc = new DateTimeOffset(ticks, TimeSpan.Zero);
        return true;

        static int Digits(ReadOnlySpan<char> s, int start, int count)
        {
            var value = 0;
            for (var i = start; i < start + count; i++)
            {
                var d = s[i] - '0';
                if ((uint)d > 9) { return -1; }
                value = value * 10 + d;
            }
            return value;
        }
    }

    /// <summary>
    /// Whether any ticket of these branch-days is stored already (a probe of the ticket key per branch-day), and
    /// whether any of them is in the rollups yet (visits without a ticket key, such as greeter check-ins, count there too).
    /// </summary>
    private static async Task<(bool AnyStored, bool AnyCounted)> ProbeAsync(NpgsqlConnection connection, HashSet<(string Branch, DateOnly Day)> branchDays, CancellationToken ct)
    {
        await using var probe = new NpgsqlCommand("""
            SELECT EXISTS (SELECT 1 FROM unnest(@b::text[], @d::date[]) AS d(branch_code, day)
                           WHERE EXISTS (SELECT 1 FROM branch_visits v
                                         WHERE v.branch_code = d.branch_code AND v.log_date = d.day AND v.log_date IS NOT NULL)),
                   EXISTS (SELECT 1 FROM unnest(@b::text[], @d::date[]) AS d(branch_code, day)
                           WHERE EXISTS (SELECT 1 FROM traffic_days t WHERE t.branch_code = d.branch_code AND t.day = d.day))
            """, connection);
        probe.Parameters.AddWithValue("b", branchDays.Select(d => d.Branch).ToArray());
        probe.Parameters.AddWithValue("d", branchDays.Select(d => d.Day).ToArray());
        await using var reader = await probe.ExecuteReaderAsync(ct);
        await reader.ReadAsync(ct);
        return (reader.GetBoolean(0), reader.GetBoolean(1));
    }

    /// <summary>
    /// Every staged ticket is new: plain inserts of the visits and their events; the rollups of days not counted
    /// yet written from the counts taken while reading (binary COPY), or, when a day is counted already, the staged
    /// rows added to them in SQL. A day counted meanwhile by someone else fails the COPY with a unique violation.
    /// </summary>
    private static async Task<int> InsertNewAsync(NpgsqlConnection connection, SqlOutbox outbox, bool byPhoneOnly, bool daysCounted, RollupTally tally, Action<string> phase, CancellationToken ct)
    {
        if (byPhoneOnly)
        {
            await using var identify = new NpgsqlCommand(IdentifyByPhoneSql, connection) { CommandTimeout = 0 };
            await using var matched = await identify.ExecuteReaderAsync(ct);
            while (await matched.ReadAsync(ct))
            {
                tally.AddIdentified(matched.GetString(0), matched.GetFieldValue<DateOnly>(1), matched.GetInt32(2));
            }
            phase("identify");
        }
        var added = await ExecuteAsync(connection, InsertNewSql, ct);
        phase("insert");
        await outbox.CopyAsync(NewEventsSql, Recorded, ct);
        phase("events");
        if (daysCounted)
        {
            await ExecuteAsync(connection, AddToRollupsSql, ct);
        }
        else
        {
            await tally.CopyAsync(connection, ct);
        }
        phase("rollups");
        return added;
    }

    private static async Task<(int Added, int Updated)> MergeAsync(NpgsqlConnection connection, SqlOutbox outbox, Action<string> phase, CancellationToken ct)
    {
        int added = 0, updated = 0;
        await ExecuteAsync(connection, RecordedTable, ct);
        await using (var merge = new NpgsqlCommand(MergeSql, connection) { CommandTimeout = 0 }) // as long as the log needs; the request's cancellation still ends it
        {
            await using var result = await merge.ExecuteReaderAsync(ct);
            if (await result.ReadAsync(ct))
            {
                added = (int)result.GetInt64(0);
                updated = (int)result.GetInt64(1);
            }
        }
        phase("merge");
        if (added > 0)
        {
            await outbox.CopyAsync(MergedEventsSql, Recorded, ct);
            phase("events");
        }
        if (added + updated > 0)
        {
            // The touched branch-days' rollups, recomputed from their visits in the same transaction.
            await ExecuteAsync(connection, RefreshRollupsSql, ct);
            phase("rollups");
        }
        return (added, updated);
    }

    /// <summary>A visit's event from a row of <see cref="NewEventsSql"/> or <see cref="MergedEventsSql"/>.</summary>
    private static BranchVisitRecorded Recorded(NpgsqlDataReader row) => new(
        row.GetGuid(0), row.GetString(1), row.GetGuid(2), row.GetString(3), row.GetString(4), row.GetFieldValue<DateTimeOffset>(5));

    private static async Task<int> ExecuteAsync(NpgsqlConnection connection, string sql, CancellationToken ct)
    {
        await using var command = new NpgsqlCommand(sql, connection) { CommandTimeout = 0 };
        return await command.ExecuteNonQueryAsync(ct);
    }

    /// <summary>FNV-1a over the ticket's key: equal keys hash equal, which is all the repeat check relies on.</summary>
    private static ulong TicketHash(string branch, DateOnly day, string ticket)
    {
        var h = 14695981039346656037UL;
        foreach (var c in branch) { h = (h ^ c) * 1099511628211UL; }
        h = (h ^ 0xFFFF) * 1099511628211UL;
        foreach (var c in ticket) { h = (h ^ c) * 1099511628211UL; }
        return (h ^ (uint)day.DayNumber) * 1099511628211UL;
    }

    /// <summary>
    /// UUID v7 ids in write order for a whole log without a random draw per id: one v7 drawn, then its 62
    /// random low bits counted up (RFC 9562's monotonic counter method). Visit ids stay time-ordered.
    /// </summary>
    private sealed class V7Sequence
    {
        private const ulong CounterBits = 0x3FFF_FFFF_FFFF_FFFF;
        private const ulong Variant = 0x8000_0000_0000_0000;
        private readonly byte[] bytes = new byte[16];
        private ulong counter;

        public V7Sequence()
        {
            Guid.CreateVersion7().TryWriteBytes(bytes, bigEndian: true, out _);
            counter = BinaryPrimitives.ReadUInt64BigEndian(bytes.AsSpan(8)) & CounterBits;
        }

        public Guid Next()
        {
            counter = (counter + 1) & CounterBits;
            BinaryPrimitives.WriteUInt64BigEndian(bytes.AsSpan(8), counter | Variant);
            return new Guid(bytes, bigEndian: true);
        }
    }

    private static void WriteNullable(NpgsqlBinaryImporter copy, string? value)
    {
        if (value is not null) { copy.Write(value, NpgsqlDbType.Text); }
        else { copy.WriteNull(); }
    }

    private static void WriteNullable(NpgsqlBinaryImporter copy, DateTimeOffset? value)
    {
        if (value is { } v) { copy.Write(v, NpgsqlDbType.TimestampTz); }
        else { copy.WriteNull(); }
    }

    private static void WriteNullable(NpgsqlBinaryImporter copy, Guid? value)
    {
        if (value is { } v) { copy.Write(v, NpgsqlDbType.Uuid); }
        else { copy.WriteNull(); }
    }

    private static readonly string RefreshRollupsSql = TrafficRollup.RefreshSql("SELECT DISTINCT branch_code, log_date AS day FROM visit_log_staging");

    private const string StagingTable = """
        CREATE TEMP TABLE visit_log_staging (
            visit_id uuid, line int, branch_code text, ticket_number text, service_type text,
            arrived_at timestamptz, log_date date, called_at timestamptz, counter_number text,
            service_started_at timestamptz, service_ended_at timestamptz, abandoned_at timestamptz,
            customer_id uuid, phone_hash text
        ) ON COMMIT DROP
        """;

    private const string CopyCommand = """
        COPY visit_log_staging (visit_id, line, branch_code, ticket_number, service_type, arrived_at, log_date,
            called_at, counter_number, service_started_at, service_ended_at, abandoned_at, customer_id, phone_hash)
        FROM STDIN (FORMAT BINARY)
        """;

    // The all-new path. The staged rows take the customer of a matching phone first, so that the visits
    // and their events read the same identification.
    // It returns how many it identified per branch-day, for the counted rollups.
    private const string IdentifyByPhoneSql = """
        WITH matched AS (
            UPDATE visit_log_staging s SET customer_id = k.customer_id
            FROM known_customers k
            WHERE s.customer_id IS NULL AND s.phone_hash IS NOT NULL AND k.phone_hash = s.phone_hash
            RETURNING s.branch_code, s.log_date
        )
        SELECT branch_code, log_date, count(*)::int FROM matched GROUP BY 1, 2
        """;

    private const string InsertNewSql = $"""
        INSERT INTO branch_visits (id, branch_code, customer_id, ticket_number, service_type, arrived_at, log_date,
            called_at, counter_number, service_started_at, service_ended_at, abandoned_at, source)
        SELECT visit_id, branch_code, customer_id, ticket_number, service_type, arrived_at, log_date,
            called_at, counter_number, service_started_at, service_ended_at, abandoned_at, '{VisitSources.QueueLog}'
        FROM visit_log_staging
        """;

    // The all-new path's events: every identified visit, in the log's order.
    private const string NewEventsSql = """
        SELECT visit_id, branch_code, customer_id, ticket_number, service_type, arrived_at
        FROM visit_log_staging
        WHERE customer_id IS NOT NULL
        ORDER BY line
        """;

    private static readonly string AddToRollupsSql = TrafficRollup.AddSql("visit_log_staging");

    // The visits the merge added that are identified, by the line of the log they came from: the merge's events.
    private const string RecordedTable = """
        CREATE TEMP TABLE visit_log_recorded (
            line int, visit_id uuid, branch_code text, customer_id uuid, ticket_number text, service_type text, arrived_at timestamptz
        ) ON COMMIT DROP
        """;

    private const string MergedEventsSql = """
        SELECT visit_id, branch_code, customer_id, ticket_number, service_type, arrived_at
        FROM visit_log_recorded
        ORDER BY line
        """;

    // The last row of a ticket in the log wins; a phone is matched against the customer directory
    // when no customer number was given. Only rows that change something are touched. The new identified
    // visits are kept in visit_log_recorded for their events (written from the contract, MergedEventsSql).
    private const string MergeSql = $"""
        WITH rows AS (
            SELECT DISTINCT ON (s.branch_code, s.log_date, s.ticket_number) s.*,
                   COALESCE(s.customer_id, k.customer_id) AS identified
            FROM visit_log_staging s
            LEFT JOIN known_customers k ON s.customer_id IS NULL AND s.phone_hash IS NOT NULL AND k.phone_hash = s.phone_hash
            ORDER BY s.branch_code, s.log_date, s.ticket_number, s.line DESC
        ), merged AS (
            INSERT INTO branch_visits AS v (id, branch_code, customer_id, ticket_number, service_type, arrived_at, log_date,
                called_at, counter_number, service_started_at, service_ended_at, abandoned_at, source)
            SELECT visit_id, branch_code, identified, ticket_number, service_type, arrived_at, log_date,
                called_at, counter_number, service_started_at, service_ended_at, abandoned_at, '{VisitSources.QueueLog}'
            FROM rows
            ON CONFLICT (branch_code, log_date, ticket_number) WHERE log_date IS NOT NULL DO UPDATE SET
                customer_id = COALESCE(v.customer_id, excluded.customer_id),
                called_at = COALESCE(excluded.called_at, v.called_at),
                counter_number = COALESCE(excluded.counter_number, v.counter_number),
                service_started_at = COALESCE(excluded.service_started_at, v.service_started_at),
                service_ended_at = COALESCE(excluded.service_ended_at, v.service_ended_at),
                abandoned_at = COALESCE(excluded.abandoned_at, v.abandoned_at)
            WHERE (v.customer_id, v.called_at, v.counter_number, v.service_started_at, v.service_ended_at, v.abandoned_at)
                  IS DISTINCT FROM (COALESCE(v.customer_id, excluded.customer_id), COALESCE(excluded.called_at, v.called_at),
                     COALESCE(excluded.counter_number, v.counter_number), COALESCE(excluded.service_started_at, v.service_started_at),
                     COALESCE(excluded.service_ended_at, v.service_ended_at), COALESCE(excluded.abandoned_at, v.abandoned_at))
            RETURNING v.id, v.branch_code, v.customer_id, v.ticket_number, v.service_type, v.arrived_at, (xmax = 0) AS inserted
        ), recorded AS (
            INSERT INTO visit_log_recorded (line, visit_id, branch_code, customer_id, ticket_number, service_type, arrived_at)
            SELECT r.line, m.id, m.branch_code, m.customer_id, m.ticket_number, m.service_type, m.arrived_at
            FROM merged m JOIN rows r ON r.visit_id = m.id
            WHERE m.inserted AND m.customer_id IS NOT NULL
        )
        SELECT count(*) FILTER (WHERE inserted), count(*) FILTER (WHERE NOT inserted) FROM merged
        """;
}
