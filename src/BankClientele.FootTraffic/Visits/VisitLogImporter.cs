using System.Buffers.Binary;
using System.Globalization;
using BankClientele.FootTraffic.Profile;
using BankClientele.Hosting.Auth;
using BankClientele.Hosting.Customers;
using BankClientele.Hosting.Database;
using BankClientele.Hosting.Privacy;
using Microsoft.EntityFrameworkCore;
using Npgsql;
using NpgsqlTypes;
using Sylvan.Data.Csv;

namespace BankClientele.FootTraffic.Visits;

/// <summary>A row of a queue log that cannot be taken, by line (1 = the header) and column.</summary>
public sealed record VisitLogError(int Line, string Field, string Message);

/// <summary>What an import did: rows read, visits added, visits whose later events were filled in, and the errors (first 100) when it applied nothing.</summary>
public sealed record VisitLogResult(int Rows, int Added, int Updated, int ErrorCount, IReadOnlyList<VisitLogError> Errors)
{
    public bool Applied => ErrorCount == 0;
}

/// <summary>
/// Imports a queue machine's day log (CSV, header row; columns in <see cref="Columns"/>): every row is
/// checked while it is copied (binary COPY) into a temporary staging table; with any bad row nothing
/// is applied; otherwise one set-based merge inserts new tickets, fills in later events of known ones
/// (the same log twice changes nothing) and queues BranchVisitRecorded for new identified visits in the
/// outbox, all in one transaction.
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

    public async Task<VisitLogResult> ImportAsync(ServiceDbContext db, TextReader csv, DataScope scope, CancellationToken ct)
    {
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
        var customerIds = new Dictionary<string, Guid>(StringComparer.Ordinal); // a branch's regulars recur through its log
        Guid CustomerIdOf(string number)
        {
            if (!customerIds.TryGetValue(number, out var id))
            {
                customerIds[number] = id = CustomerIds.FromCustomerNumber(number);
            }
            return id;
        }
        void Bad(int line, string field, string message)
        {
            errorCount++;
            if (errors.Count < MaxReportedErrors)
            {
                errors.Add(new VisitLogError(line, field, message));
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
                    Bad(1, Columns[c], "required column is missing from the header");
                }
            }
            if (errorCount > 0)
            {
                return new VisitLogResult(0, 0, 0, errorCount, errors);
            }
            string? Text(int column) => ordinals[column] >= 0 && reader.GetString(ordinals[column]) is { Length: > 0 } s ? s.Trim() : null;

            await using var copy = await connection.BeginBinaryImportAsync(CopyCommand, ct);
            var line = 1;
            while (await reader.ReadAsync(ct))
            {
                line++;
                rows++;
                var branch = Text(0);
                var ticket = Text(1);
                var service = Text(2);
                if (branch is null || branch.Length > 20) { Bad(line, "branch_code", "required, at most 20 characters"); }
                else if (!scope.CanSeeBranch(branch)) { Bad(line, "branch_code", $"branch '{branch}' is outside your scope"); }
                if (ticket is null || ticket.Length > 20) { Bad(line, "ticket_number", "required, at most 20 characters"); }
                if (service is null || service.Length > 40) { Bad(line, "service_type", "required, at most 40 characters"); }
                var issued = Time(Text(3), line, "issued_at", required: true, null);
                var called = Time(Text(4), line, "called_at", required: false, issued);
                var counter = Text(5);
                if (counter is { Length: > 10 }) { Bad(line, "counter", "at most 10 characters"); }
                var started = Time(Text(6), line, "service_started_at", required: false, issued);
                var ended = Time(Text(7), line, "service_ended_at", required: false, started ?? issued);
                var abandoned = Time(Text(8), line, "abandoned_at", required: false, issued);
                if (abandoned is not null && started is not null) { Bad(line, "abandoned_at", "a ticket that was served was not abandoned"); }
                var number = Text(9);
                if (number is not null && (number.Length > 20 || !number.All(char.IsAsciiDigit))) { Bad(line, "customer_number", "digits only, at most 20"); }
                var phone = Text(10);
                var phoneHash = phone is null ? null : hashes.Phone(phone);
                if (phone is not null && phoneHash is null) { Bad(line, "phone", "not a phone number"); }
                if (errorCount > 0)
                {
                    continue; // nothing will be applied: just keep checking the rest
                }

                // Synchronous writes: they fill Npgsql's buffer and only block when it flushes to the
                // server, where an await per field would cost more than the field itself.
                copy.StartRow();
                copy.Write(ids.Next(), NpgsqlDbType.Uuid);
                copy.Write(ids.Next(), NpgsqlDbType.Uuid);
                copy.Write(line, NpgsqlDbType.Integer);
                copy.Write(branch!, NpgsqlDbType.Text);
                copy.Write(ticket!, NpgsqlDbType.Text);
                copy.Write(service!, NpgsqlDbType.Text);
                copy.Write(issued!.Value, NpgsqlDbType.TimestampTz);
                copy.Write(BranchTime.Day(issued.Value), NpgsqlDbType.Date);
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

        int added = 0, updated = 0;
        await using (var merge = new NpgsqlCommand(MergeSql, connection) { CommandTimeout = 0 }) // as long as the log needs; the request's cancellation still ends it
        {
            await using var result = await merge.ExecuteReaderAsync(ct);
            if (await result.ReadAsync(ct))
            {
                added = (int)result.GetInt64(0);
                updated = (int)result.GetInt64(1);
            }
        }
        if (added + updated > 0)
        {
            // The touched branch-days' rollups, recomputed from their visits in the same transaction.
            await using var refresh = new NpgsqlCommand(RefreshRollupsSql, connection) { CommandTimeout = 0 };
            await refresh.ExecuteNonQueryAsync(ct);
        }
        if (added > 0)
        {
            await using var notify = new NpgsqlCommand($"NOTIFY {ServiceDbContext.OutboxChannel}", connection);
            await notify.ExecuteNonQueryAsync(ct);
        }
        await tx.CommitAsync(ct);
        return new VisitLogResult(rows, added, updated, 0, []);

        DateTimeOffset? Time(string? text, int line, string field, bool required, DateTimeOffset? notBefore)
        {
            if (text is null)
            {
                if (required) { Bad(line, field, "required"); }
                return null;
            }
            // ISO 8601; without an offset the time is the branch's local time.
            // The queue machines' own format first (fast), then anything ISO 8601 .NET reads.
            if (!DateTimeOffset.TryParseExact(text, "yyyy-MM-dd'T'HH:mm:sszzz", CultureInfo.InvariantCulture, DateTimeStyles.None, out var parsed)
                && !DateTimeOffset.TryParse(text, CultureInfo.InvariantCulture, DateTimeStyles.None, out parsed))
            {
                Bad(line, field, $"'{text}' is not a date and time (ISO 8601, e.g. 2026-11-20T09:30:00+08:00)");
                return null;
            }
            if (!text.Contains('+', StringComparison.Ordinal) && !text.EndsWith('Z') && text.LastIndexOf('-') < 10)
            {
                parsed = new DateTimeOffset(parsed.DateTime, BranchTime.Offset);
            }
            parsed = parsed.ToUniversalTime();
            if (notBefore is { } earliest && parsed < earliest)
            {
                Bad(line, field, "is before the ticket's earlier event");
            }
            return parsed;
        }
    }

    /// <summary>
    /// UUID v7 ids in write order for a whole log without a random draw per id: one v7 drawn, then its 62
    /// random low bits counted up (RFC 9562's monotonic counter method). Visit and outbox ids stay time-ordered.
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
            visit_id uuid, event_id uuid, line int, branch_code text, ticket_number text, service_type text,
            arrived_at timestamptz, log_date date, called_at timestamptz, counter_number text,
            service_started_at timestamptz, service_ended_at timestamptz, abandoned_at timestamptz,
            customer_id uuid, phone_hash text
        ) ON COMMIT DROP
        """;

    private const string CopyCommand = """
        COPY visit_log_staging (visit_id, event_id, line, branch_code, ticket_number, service_type, arrived_at, log_date,
            called_at, counter_number, service_started_at, service_ended_at, abandoned_at, customer_id, phone_hash)
        FROM STDIN (FORMAT BINARY)
        """;

    // The last row of a ticket in the log wins; a phone is matched against the customer directory
    // when no customer number was given. Only rows that change something are touched.
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
        ), events AS (
            INSERT INTO outbox_messages (id, message_type, body, created_at, attempts)
            SELECT r.event_id, 'BankClientele.Contracts.FootTraffic.BranchVisitRecorded',
                   jsonb_build_object('visitId', m.id, 'branchCode', m.branch_code, 'customerId', m.customer_id,
                       'ticketNumber', m.ticket_number, 'serviceType', m.service_type, 'arrivedAt', m.arrived_at),
                   now(), 0
            FROM merged m JOIN rows r ON r.visit_id = m.id
            WHERE m.inserted AND m.customer_id IS NOT NULL
            RETURNING 1
        )
        SELECT count(*) FILTER (WHERE inserted), count(*) FILTER (WHERE NOT inserted) FROM merged
        """;
}
