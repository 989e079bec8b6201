using System.Diagnostics;
using Npgsql;
using BankClientele.Hosting.Imports;
using BankClientele.Hosting.Messaging;
using BankClientele.Hosting.Refusals;

namespace BankClientele.CustomerCare.Feed;

/// <summary>What an import did. <see cref="Events"/> counts the events written to the outbox;
/// <see cref="Phases"/>: seconds per step (stage, check, and the merge's own steps), to see where an import's time goes.
/// A dry run (<see cref="DryRun"/>) ran every step and rolled back: the counts are what applying would do,
/// <see cref="Preview"/> the first rows as read.</summary>
public sealed record FeedImportResult(string Feed, int Rows, int Inserted, int Updated, int Unchanged, int Events, double Seconds,
    IReadOnlyDictionary<string, double>? Phases = null, bool DryRun = false, IReadOnlyList<PreviewRow>? Preview = null);

/// <summary>Rows a merge wrote: new, and changed; the rest of the file was already there.</summary>
public sealed record MergeCounts(int Inserted, int Updated);

/// <summary>
/// One kind of feed (customers, holdings, balances): its columns, how a row is read into the
/// staging table, the checks that need the whole file, and the set-based merge with its events.
/// </summary>
public abstract class FeedKind
{
    /// <summary>customers, holdings or balances (the route and the CLI's word).</summary>
    public abstract string Name { get; }

    /// <summary>CSV header names (snake_case); JSON uses them in camelCase.</summary>
    public abstract IReadOnlyList<string> Columns { get; }

    /// <summary>The columns a file must have.</summary>
    public abstract IReadOnlyList<string> RequiredColumns { get; }

    /// <summary>Creates the session's staging table (dropped on commit) with a <c>line</c> column first.</summary>
    public abstract string StagingTable { get; }

    public abstract string CreateStagingSql { get; }

    /// <summary>The staging columns, in the order <see cref="WriteAsync"/> writes them (line first).</summary>
    public abstract string StagingColumns { get; }

    /// <summary>Reads and checks a row; when it is good and <paramref name="writer"/> is given, writes it.</summary>
    public abstract ValueTask<bool> WriteAsync(FieldReader row, IFeedRow source, NpgsqlBinaryImporter? writer, CancellationToken ct);

    /// <summary>Checks over the whole staged file (duplicates, unknown customers): rows of (line, field, message).</summary>
    public abstract string ValidationSql { get; }

    public abstract Task<MergeCounts> MergeAsync(NpgsqlConnection connection, NpgsqlTransaction transaction, SqlOutbox outbox, CancellationToken ct);

    /// <summary>Seconds per step of this import (a kind is made per import).</summary>
    public Dictionary<string, double> Phases { get; } = new(StringComparer.Ordinal);

    private readonly Stopwatch lap = Stopwatch.StartNew();

    /// <summary>Records the time since the last mark under <paramref name="phase"/>.</summary>
    public void Mark(string phase)
    {
        Phases[phase] = Math.Round(Phases.GetValueOrDefault(phase) + lap.Elapsed.TotalSeconds, 3);
        lap.Restart();
    }
}

/// <summary>The file was refused: nothing of it was applied.</summary>
public sealed class FeedRejectedException(FeedErrors errors, string? detail = null) : Exception(detail ?? "The feed has bad rows.")
{
    public FeedErrors Errors { get; } = errors;
}

/// <summary>
/// Loads a feed in one transaction: rows are read and checked as they stream in and copied
/// (Npgsql binary COPY) into a staging table; checks over the whole file run set-based; then the
/// merge (INSERT ... ON CONFLICT DO UPDATE ... WHERE something changed) and its events in the
/// outbox. A file with a bad row is refused whole.
/// </summary>
public sealed class FeedImporter(NpgsqlDataSource dataSource)
{
    /// <param name="dryRun">Run every step (read, check, merge, events) and roll back: nothing is applied,
    /// and the answer says what applying would do. The same code as the real import, so the two cannot disagree.</param>
    public async Task<FeedImportResult> ImportAsync(FeedKind kind, IAsyncEnumerable<IFeedRow> rows, Func<IReadOnlyList<string>>? missingColumns, CancellationToken ct,
        bool dryRun = false)
    {
        var preview = dryRun ? new ImportPreview(kind.Columns) : null;
        var clock = Stopwatch.StartNew();
        kind.Mark("start");
        await using var connection = await dataSource.OpenConnectionAsync(ct);
        await using var transaction = await connection.BeginTransactionAsync(ct);
        // The merges sort and aggregate whole files: keep that in memory. Event bodies (a balances
        // message is ~200 kB) are TOASTed: lz4 compresses them several times faster than the default pglz.
        await using (var create = new NpgsqlCommand(
            $"SET LOCAL work_mem = '256MB'; SET LOCAL default_toast_compression = 'lz4'; {kind.CreateStagingSql}", connection, transaction))
        {
            await create.ExecuteNonQueryAsync(ct);
        }

        var errors = new FeedErrors();
        var count = 0;
        var writer = await connection.BeginBinaryImportAsync($"COPY {kind.StagingTable} ({kind.StagingColumns}) FROM STDIN (FORMAT BINARY)", ct);
        try
        {
            await foreach (var source in rows.WithCancellation(ct))
            {
                if (count == 0)
                {
                    CheckColumns(kind, missingColumns, errors);
                }
                count++;
                if (preview is { Wants: true })
                {
                    preview.Add(source.Line, i => source[i]);
                }
                // After the first bad row nothing more is copied, but every row is still checked and counted.
                var good = await kind.WriteAsync(new FieldReader(source, kind.Columns, errors), source, errors.Any ? null : writer, ct);
                if (!good && writer is not null)
                {
                    await writer.DisposeAsync(); // cancels the COPY
                    writer = null;
                }
            }
            if (count == 0)
            {
                CheckColumns(kind, missingColumns, errors);
            }
            if (writer is null)
            {
                throw new FeedRejectedException(errors);
            }
            await writer.CompleteAsync(ct);
            kind.Mark("stage");
        }
        finally
        {
            if (writer is not null)
            {
                await writer.DisposeAsync();
            }
        }

        await CheckStagedAsync(kind, connection, transaction, errors, ct);
        kind.Mark("check");
        var outbox = new SqlOutbox(connection, transaction);
        var merged = await kind.MergeAsync(connection, transaction, outbox, ct);
        if (dryRun)
        {
            // Rolled back: the staged rows, the merge and its outbox rows go; a NOTIFY is only sent on commit.
            kind.Mark("merge");
            await transaction.RollbackAsync(ct);
            kind.Phases.Remove("start");
            return new FeedImportResult(kind.Name, count, merged.Inserted, merged.Updated, count - merged.Inserted - merged.Updated, outbox.Written,
                clock.Elapsed.TotalSeconds, kind.Phases, DryRun: true, Preview: preview!.Rows);
        }
        await outbox.NotifyAsync(ct);
        kind.Mark("merge");
        await transaction.CommitAsync(ct);
        kind.Mark("commit");
        kind.Phases.Remove("start");
        return new FeedImportResult(kind.Name, count, merged.Inserted, merged.Updated, count - merged.Inserted - merged.Updated, outbox.Written,
            clock.Elapsed.TotalSeconds, kind.Phases);
    }

    /// <summary>A required column absent from the header is one error (on line 1), not one per row.</summary>
    private static void CheckColumns(FeedKind kind, Func<IReadOnlyList<string>>? missingColumns, FeedErrors errors)
    {
        var required = (missingColumns?.Invoke() ?? []).Intersect(kind.RequiredColumns).ToList();
        if (required.Count > 0)
        {
            foreach (var column in required)
            {
                errors.Add(1, column, FieldReasons.MissingColumn, "The header has no such column.");
            }
            throw new FeedRejectedException(errors, $"The file lacks the column(s) {string.Join(", ", required)}.");
        }
    }

    private static async Task CheckStagedAsync(FeedKind kind, NpgsqlConnection connection, NpgsqlTransaction transaction, FeedErrors errors, CancellationToken ct)
    {
        await using (var analyze = new NpgsqlCommand($"ANALYZE {kind.StagingTable}", connection, transaction))
        {
            await analyze.ExecuteNonQueryAsync(ct);
        }
        await using var check = new NpgsqlCommand($"SELECT line, field, message, code FROM ({kind.ValidationSql}) AS e ORDER BY line, field", connection, transaction);
        check.CommandTimeout = 0;
        await using (var reader = await check.ExecuteReaderAsync(ct))
        {
            while (await reader.ReadAsync(ct))
            {
                errors.Add(reader.GetInt32(0), reader.GetString(1), reader.GetString(3), reader.GetString(2));
            }
        }
        if (errors.Any)
        {
            throw new FeedRejectedException(errors);
        }
    }
}
