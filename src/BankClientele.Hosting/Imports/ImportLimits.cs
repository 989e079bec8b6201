using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.Features;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;

namespace BankClientele.Hosting.Imports;

/// <summary>
/// <c>Imports:MaxBytes</c> and <c>Imports:MaxRows</c>: the largest body and the most rows one import
/// accepts. The defaults (256 MiB, 2,000,000 rows) take a branch's daily file many times over (a day's
/// balances of a branch are tens of thousands of rows) and each of the demo seed's files (1.8 M rows, some
/// 70 MB); whoever sends more in one file sets both explicitly (run.sh does, for the demo's services) or splits it.
/// </summary>
public sealed class ImportLimitOptions
{
    public const string Section = "Imports";

    public long MaxBytes { get; set; } = 256L * 1024 * 1024;

    public long MaxRows { get; set; } = 2_000_000;

    public static ImportLimitOptions From(IServiceProvider services) =>
        services.GetRequiredService<IConfiguration>().GetSection(Section).Get<ImportLimitOptions>() ?? new ImportLimitOptions();
}

public enum ImportFormat
{
    /// <summary>A header line, then one row per line (a quoted line break counts as a row: the limit errs on the safe side).</summary>
    Csv,

    /// <summary>A JSON array of objects, one row each.</summary>
    Json,
}

/// <summary>Thrown by the guarded body as soon as a limit is passed; the import's transaction then rolls back.</summary>
public sealed class ImportLimitExceededException(string setting, long limit)
    : IOException($"The import passed {setting} ({limit:N0}).")
{
    public string Setting { get; } = setting;
    public long Limit { get; } = limit;
}

/// <summary>
/// The one place every import endpoint (core-banking feeds, prospect lists, queue logs, market tables)
/// applies its size and row limits: 413 with a problem naming the limit, and nothing applied.
/// </summary>
public static class ImportLimits
{
    /// <summary>
    /// Runs <paramref name="import"/> over the request body, counted as it streams: a declared length over
    /// MaxBytes is refused before reading, and passing MaxBytes or MaxRows while reading aborts the import.
    /// </summary>
    public static async Task<IResult> RunAsync(HttpContext http, ImportFormat format, Func<Stream, Task<IResult>> import)
    {
        var options = ImportLimitOptions.From(http.RequestServices);
        if (http.Request.ContentLength > options.MaxBytes)
        {
            return TooLarge(new ImportLimitExceededException("Imports:MaxBytes", options.MaxBytes));
        }
        if (http.Features.Get<IHttpMaxRequestBodySizeFeature>() is { IsReadOnly: false } limit)
        {
            // The server's own default (30 MB) would cut a feed short; the guard below enforces ours.
            limit.MaxRequestBodySize = null;
        }
        await using var body = new ImportLimitStream(http.Request.Body, format, options);
        try
        {
            return await import(body);
        }
        catch (Exception e) when (Find(e) is { } exceeded)
        {
            return TooLarge(exceeded);
        }
    }

    /// <summary>For a body already bound to a list: more rows than MaxRows is the same 413.</summary>
    public static IResult? CheckRows(HttpContext http, int rows)
    {
        var options = ImportLimitOptions.From(http.RequestServices);
        return rows > options.MaxRows ? TooLarge(new ImportLimitExceededException("Imports:MaxRows", options.MaxRows)) : null;
    }

    public static IResult TooLarge(ImportLimitExceededException e) =>
        TypedResults.Problem(statusCode: StatusCodes.Status413PayloadTooLarge,
            title: "Import too large: nothing was applied",
            detail: e.Setting == "Imports:MaxRows"
                ? $"An import may hold at most {e.Limit:N0} rows ({e.Setting}); split the file."
                : $"An import may be at most {e.Limit:N0} bytes ({e.Setting}); split the file.",
            extensions: new Dictionary<string, object?> { ["code"] = Refusals.ProblemCodes.ImportTooLarge, ["field"] = "body", ["limit"] = e.Setting, ["max"] = e.Limit });

    private static ImportLimitExceededException? Find(Exception? e)
    {
        for (; e is not null; e = e.InnerException)
        {
            if (e is ImportLimitExceededException exceeded)
            {
                return exceeded;
            }
            if (e is AggregateException aggregate && aggregate.InnerExceptions.Select(Find).FirstOrDefault(x => x is not null) is { } inner)
            {
                return inner;
            }
        }
        return null;
    }
}

/// <summary>A read-only body that counts bytes and rows as they pass and throws past a limit.</summary>
internal sealed class ImportLimitStream(Stream inner, ImportFormat format, ImportLimitOptions options) : Stream
{
    private long bytes;
    private long rows;
    private byte last = (byte)'\n';

    // CSV: line breaks (the header line is not a row). JSON: objects opened directly inside the top-level array.
    private int depth;
    private bool inString;
    private bool escaped;

    public override bool CanRead => true;
    public override bool CanSeek => false;
    public override bool CanWrite => false;
    public override long Length => throw new NotSupportedException();
    public override long Position { get => bytes; set => throw new NotSupportedException(); }

    public override int Read(byte[] buffer, int offset, int count) => Count(buffer.AsSpan(offset, inner.Read(buffer, offset, count)));

    public override int Read(Span<byte> buffer) => Count(buffer[..inner.Read(buffer)]);

    public override async Task<int> ReadAsync(byte[] buffer, int offset, int count, CancellationToken ct) =>
        Count(buffer.AsSpan(offset, await inner.ReadAsync(buffer.AsMemory(offset, count), ct)));

    public override async ValueTask<int> ReadAsync(Memory<byte> buffer, CancellationToken ct = default)
    {
        var read = await inner.ReadAsync(buffer, ct);
        return Count(buffer.Span[..read]);
    }

    private int Count(ReadOnlySpan<byte> read)
    {
        if (read.Length == 0)
        {
            // A last CSV line without a line break is a row too.
            if (format == ImportFormat.Csv && bytes > 0 && last != (byte)'\n')
            {
                AddRow();
                last = (byte)'\n';
            }
            return 0;
        }
        bytes += read.Length;
        if (bytes > options.MaxBytes)
        {
            throw new ImportLimitExceededException("Imports:MaxBytes", options.MaxBytes);
        }
        if (format == ImportFormat.Csv)
        {
            var lines = read.Count((byte)'\n');
            for (var i = 0; i < lines; i++)
            {
                AddRow();
            }
        }
        else
        {
            foreach (var b in read)
            {
                CountJson(b);
            }
        }
        last = read[^1];
        return read.Length;
    }

    private void CountJson(byte b)
    {
        if (inString)
        {
            if (escaped) { escaped = false; }
            else if (b == '\\') { escaped = true; }
            else if (b == '"') { inString = false; }
            return;
        }
        switch (b)
        {
            case (byte)'"': inString = true; break;
            case (byte)'[': depth++; break;
            case (byte)'{':
                if (depth == 1) { rows++; Check(); }
                depth++;
                break;
            case (byte)']' or (byte)'}': depth--; break;
        }
    }

    // CSV: the first line is the header, so rows = lines - 1.
    private void AddRow()
    {
        rows++;
        if (rows - 1 > options.MaxRows)
        {
            throw new ImportLimitExceededException("Imports:MaxRows", options.MaxRows);
        }
    }

    private void Check()
    {
        if (rows > options.MaxRows)
        {
            throw new ImportLimitExceededException("Imports:MaxRows", options.MaxRows);
        }
    }

    public override void Flush() { }
    public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();
    public override void SetLength(long value) => throw new NotSupportedException();
    public override void Write(byte[] buffer, int offset, int count) => throw new NotSupportedException();
}
