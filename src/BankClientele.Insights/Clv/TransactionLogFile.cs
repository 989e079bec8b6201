using System.Buffers.Text;
using System.Runtime.CompilerServices;
using System.Text;
using Microsoft.Win32.SafeHandles;

namespace BankClientele.Insights.Clv;

/// <summary>
/// Reads a transaction log file at the speed of the disk: the file is cut into segments of
/// <see cref="SegmentBytes"/>, each read in one piece into a buffer its worker reuses and split on
/// line boundaries (a segment owns the lines that start in it); fields are parsed from byte spans
/// (Utf8Parser, digits by hand) and customer ids looked up as bytes in per-segment tables
/// (<see cref="CustomerIdTable"/>), so a row allocates nothing. The segments are then
/// merged in file order, so customers are numbered in order of first appearance and bad lines are
/// reported by their line number in the file, as the line-by-line readers do. One transaction per
/// line: a CSV field may be quoted but may not hold a line break.
/// </summary>
internal static class TransactionLogFile
{
    public const int SegmentBytes = 8 << 20;

    /// <summary>The longest line a segment reads past its end to finish its last line.</summary>
    private const int MaxLineBytes = 64 << 10;

    private sealed record CsvColumns(int Customer, int Date, int Value)
    {
        public int Needed => Math.Max(Customer, Math.Max(Date, Value)) + 1;
    }

    /// <summary>What one segment read: its customers in order of appearance, its rows (local customer, day) and values, its errors.</summary>
    private sealed class Segment
    {
        public readonly CustomerIdTable Ids = new();
        public TransactionLog.Chunk Rows = null!;
        public long Lines;
        public readonly List<LogLineError> Errors = [];
        public long ErrorCount;
        private int previous = -1;

        public void Add(int customer, int day, double value) => Rows.Add(((long)customer << 32) | (uint)day, value);

        public void Error(long line, string field, string message)
        {
            ErrorCount++;
            if (Errors.Count < 100)
            {
                Errors.Add(new LogLineError(line, field, message));
            }
        }

        /// <summary>Logs are mostly grouped by customer, so the previous row's customer is tried before the table.</summary>
        public int Customer(ReadOnlySpan<byte> id)
        {
            if (previous < 0 || !Ids[previous].SequenceEqual(id))
            {
                previous = Ids.GetOrAdd(id);
            }
            return previous;
        }
    }

    public static (string[] Ids, List<TransactionLog.Chunk> Chunks) Read(string path, TransactionLogFormat format)
    {
        using var handle = File.OpenHandle(path, FileMode.Open, FileAccess.Read, FileShare.Read);
        var length = RandomAccess.GetLength(handle);
        var (start, headerLines, columns) = Header(handle, length, format);
        var segmentCount = (int)Math.Max(1, (length - start + SegmentBytes - 1) / SegmentBytes);
        var segments = new Segment[segmentCount];
        Parallel.For(0, segmentCount, new ParallelOptions { MaxDegreeOfParallelism = Environment.ProcessorCount }, () => new byte[SegmentBytes + MaxLineBytes + 1], (s, _, buffer) =>
        {
            var from = start + (long)s * SegmentBytes;
            var to = Math.Min(length, from + SegmentBytes);
            segments[s] = ReadSegment(handle, length, from, to, s == 0, buffer, columns);
            return buffer;
        }, _ => { });

        // Merge in file order: line numbers and first appearances as a line-by-line read would give them.
        var errors = new List<LogLineError>();
        long errorCount = 0, lineOffset = headerLines;
        foreach (var segment in segments)
        {
            errorCount += segment.ErrorCount;
            errors.AddRange(segment.Errors.Take(100 - errors.Count).Select(e => e with { Line = e.Line + lineOffset }));
            lineOffset += segment.Lines;
        }
        if (errorCount > 0)
        {
            throw new TransactionLogException(errors, errorCount);
        }
        var table = new CustomerIdTable(segments.Sum(s => s.Ids.Count));
        var remaps = new int[segmentCount][];
        foreach (var (segment, s) in segments.Select((segment, s) => (segment, s)))
        {
            var remap = remaps[s] = new int[segment.Ids.Count];
            for (var c = 0; c < remap.Length; c++)
            {
                remap[c] = table.GetOrAdd(segment.Ids[c]);
            }
        }
        // One string per customer (not per row), decoded in parallel; the segments' rows renumbered in place.
        var ids = new string[table.Count];
        Parallel.For(0, ids.Length, k => ids[k] = Encoding.UTF8.GetString(table[k]));
        Parallel.For(0, segmentCount, s =>
        {
            var remap = remaps[s];
            var rows = segments[s].Rows;
            var keys = rows.Keys.AsSpan(0, rows.Rows);
            for (var i = 0; i < keys.Length; i++)
            {
                keys[i] = ((long)remap[(int)(keys[i] >> 32)] << 32) | (uint)keys[i];
            }
        });
        return (ids, [.. segments.Select(s => s.Rows)]);
    }

    /// <summary>Skips a byte-order mark; for CSV reads the header line and finds the customer, date and value columns.</summary>
    private static (long Start, long HeaderLines, CsvColumns? Columns) Header(SafeFileHandle handle, long length, TransactionLogFormat format)
    {
        var head = new byte[(int)Math.Min(length, MaxLineBytes)];
        var read = RandomAccess.Read(handle, head, 0);
        var bytes = head.AsSpan(0, read);
        var start = bytes.StartsWith("\uFEFF"u8) ? 3 : 0;
        if (format == TransactionLogFormat.Cdnow)
        {
            return (start, 0, null);
        }
        var end = bytes[start..].IndexOf((byte)'\n');
        var line = end < 0 ? bytes[start..] : bytes.Slice(start, end);
        var names = Encoding.UTF8.GetString(line.TrimEnd((byte)'\r')).Split(',').Select(n => n.Trim().Trim('"')).ToList();
        int Column(params string[] wanted)
        {
            foreach (var name in wanted)
            {
                var i = names.FindIndex(n => string.Equals(n, name, StringComparison.OrdinalIgnoreCase));
                if (i >= 0)
                {
                    return i;
                }
            }
            throw new TransactionLogException([new LogLineError(1, wanted[0], $"the header has no column {string.Join(" or ", wanted)}")], 1);
        }
        var columns = new CsvColumns(Column("customer", "customer_id", "customerId"), Column("date"), Column("value", "amount"));
        return (end < 0 ? length : start + end + 1, 1, columns);
    }

    // Optimised from the first call: a command reads one file, and a parse loop left to tier 0 runs several times slower until it is promoted.
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static Segment ReadSegment(SafeFileHandle handle, long length, long from, long to, bool first, byte[] buffer, CsvColumns? columns)
    {
        var segment = new Segment();
        // One byte before the segment tells whether it starts on a line; up to MaxLineBytes after it finish its last line.
        var readFrom = first ? from : from - 1;
        var readTo = Math.Min(length, to + MaxLineBytes);
        var read = 0;
        while (read < readTo - readFrom)
        {
            var n = RandomAccess.Read(handle, buffer.AsSpan(read, (int)(readTo - readFrom) - read), readFrom + read);
            if (n == 0)
            {
                break;
            }
            read += n;
        }
        var data = buffer.AsSpan(0, read);
        var position = 0;
        if (!first)
        {
            // The line that straddles the boundary belongs to the previous segment.
            var newline = data.IndexOf((byte)'\n');
            position = newline < 0 ? read : newline + 1;
        }
        var limit = (int)(to - readFrom);
        // Sized once by the segment's line count (a vectorised count), so its rows are never copied to grow.
        var capacity = (position < limit ? data[position..limit].Count((byte)'\n') : 0) + 1;
        segment.Rows = new TransactionLog.Chunk(new long[capacity], new double[capacity]);
        Span<Range> fields = stackalloc Range[8];
        while (position < limit)
        {
            var rest = data[position..];
            var newline = rest.IndexOf((byte)'\n');
            if (newline < 0 && readTo < length)
            {
                segment.Lines++;
                segment.Error(segment.Lines, "line", $"longer than {MaxLineBytes:N0} bytes");
                break;
            }
            var line = newline < 0 ? rest : rest[..newline];
            position += newline < 0 ? rest.Length : newline + 1;
            segment.Lines++;
            if (line.Trim(" \t\r"u8).IsEmpty)
            {
                continue;
            }
            if (columns is null)
            {
                CdnowLine(segment, line.TrimEnd((byte)'\r'), fields);
            }
            else
            {
                CsvLine(segment, line.TrimEnd((byte)'\r'), columns);
            }
        }
        return segment;
    }

    /// <summary>id [sample id] yyyyMMdd quantity value, separated by spaces or tabs.</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static void CdnowLine(Segment segment, ReadOnlySpan<byte> line, Span<Range> fields)
    {
        var count = 0;
        var i = 0;
        while (i < line.Length)
        {
            while (i < line.Length && line[i] is (byte)' ' or (byte)'\t')
            {
                i++;
            }
            if (i == line.Length)
            {
                break;
            }
            var begin = i;
            while (i < line.Length && line[i] is not ((byte)' ' or (byte)'\t'))
            {
                i++;
            }
            if (count < fields.Length)
            {
                fields[count] = begin..i;
            }
            count++;
        }
        if (count == 0)
        {
            return;
        }
        if (count is not (4 or 5))
        {
            segment.Error(segment.Lines, "line", $"expected 4 or 5 whitespace-separated fields, found {count}");
            return;
        }
        var dateField = line[fields[count - 3]];
        if (!CompactDate(dateField, out var day))
        {
            segment.Error(segment.Lines, "date", $"'{Encoding.UTF8.GetString(dateField)}' is not a yyyyMMdd date");
            return;
        }
        var valueField = line[fields[count - 1]];
        if (!Value(valueField, out var value))
        {
            segment.Error(segment.Lines, "value", $"'{Encoding.UTF8.GetString(valueField)}' is not a non-negative number");
            return;
        }
        segment.Add(segment.Customer(line[fields[0]]), day, value);
    }

    /// <summary>A CSV row: the customer, date (yyyy-MM-dd or yyyyMMdd) and value columns, fields trimmed, quotes honoured.</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static void CsvLine(Segment segment, ReadOnlySpan<byte> line, CsvColumns columns)
    {
        ReadOnlySpan<byte> id = default, date = default, valueText = default;
        var quotedId = false;
        var field = 0;
        var i = 0;
        while (field < columns.Needed && i <= line.Length)
        {
            var begin = i;
            var quoted = false;
            if (i < line.Length && line[i] == '"')
            {
                // A quoted field: to the closing quote ("" is a quote inside it).
                quoted = true;
                i++;
                while (i < line.Length && !(line[i] == '"' && (i + 1 == line.Length || line[i + 1] != '"')))
                {
                    i += line[i] == '"' ? 2 : 1;
                }
                i++;
            }
            var comma = line[Math.Min(i, line.Length)..].IndexOf((byte)',');
            var end = comma < 0 ? line.Length : i + comma;
            var text = line[begin..end].Trim(" \t"u8);
            if (field == columns.Customer)
            {
                id = text;
                quotedId = quoted;
            }
            else if (field == columns.Date)
            {
                date = text.Trim((byte)'"');
            }
            else if (field == columns.Value)
            {
                valueText = text.Trim((byte)'"');
            }
            field++;
            i = end + 1;
        }
        if (quotedId)
        {
            id = Unquote(id);
        }
        if (id.IsEmpty)
        {
            segment.Error(segment.Lines, "customer", "empty");
            return;
        }
        if (!(CompactDate(date, out var day) || IsoDate(date, out day)))
        {
            segment.Error(segment.Lines, "date", $"'{Encoding.UTF8.GetString(date)}' is not a yyyy-MM-dd date");
            return;
        }
        if (!Value(valueText, out var value))
        {
            segment.Error(segment.Lines, "value", $"'{Encoding.UTF8.GetString(valueText)}' is not a non-negative number");
            return;
        }
        segment.Add(segment.Customer(id), day, value);
    }

    private static ReadOnlySpan<byte> Unquote(ReadOnlySpan<byte> quoted)
    {
        var inner = quoted.Length >= 2 ? quoted[1..^1] : quoted;
        return inner.IndexOf("\"\""u8) < 0 ? inner : Encoding.UTF8.GetBytes(Encoding.UTF8.GetString(inner).Replace("\"\"", "\"", StringComparison.Ordinal));
    }

    private static bool Value(ReadOnlySpan<byte> text, out double value) =>
        Utf8Parser.TryParse(text, out value, out var consumed) && consumed == text.Length && double.IsFinite(value) && value >= 0;

    private static bool CompactDate(ReadOnlySpan<byte> text, out int day)
    {
        day = 0;
        return text.Length == 8 && Digits(text[..4], out var y) && Digits(text.Slice(4, 2), out var m) && Digits(text.Slice(6, 2), out var d) && Day(y, m, d, out day);
    }

    private static bool IsoDate(ReadOnlySpan<byte> text, out int day)
    {
        day = 0;
        return text.Length == 10 && text[4] == '-' && text[7] == '-'
               && Digits(text[..4], out var y) && Digits(text.Slice(5, 2), out var m) && Digits(text.Slice(8, 2), out var d) && Day(y, m, d, out day);
    }

    private static bool Digits(ReadOnlySpan<byte> text, out int value)
    {
        value = 0;
        foreach (var b in text)
        {
            if (b is < (byte)'0' or > (byte)'9')
            {
                return false;
            }
            value = value * 10 + (b - '0');
        }
        return true;
    }

    private static bool Day(int year, int month, int day, out int dayNumber)
    {
        dayNumber = 0;
        if (year < 1 || month is < 1 or > 12 || day < 1 || day > DateTime.DaysInMonth(year, month))
        {
            return false;
        }
        dayNumber = new DateOnly(year, month, day).DayNumber;
        return true;
    }
}
