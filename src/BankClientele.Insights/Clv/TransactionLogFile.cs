using System.Buffers.Text;
using System.Runtime.CompilerServices;
using System.Text;
using Microsoft.Win32.SafeHandles;

namespace BankClientele.Insights.Clv;

/// <summary>
/// Reads and summarises a transaction log file in one pass at the speed of the disk: the file is cut
/// into segments of <see cref="SegmentBytes"/>, each read in one piece into a buffer its worker reuses
/// and split on line boundaries (a segment owns the lines that start in it); fields are parsed from
/// byte spans (Utf8Parser, digits by hand), customer ids looked up as bytes in per-segment tables
/// (<see cref="CustomerIdTable"/>) and each row folded into its customer's running summary
/// (<see cref="CustomerDays"/>), so no row is kept and none allocates. The segments' summaries are then
/// merged in file order, so customers are numbered in order of first appearance and bad lines are
/// reported by their line number in the file, as the line-by-line readers do. A customer whose rows
/// are not in day order (a shuffled log) is summarised again from its rows, gathered in a second pass
/// over the file for those customers alone. One transaction per line: a CSV field may be quoted but
/// may not hold a line break.
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

    /// <summary>One segment's lines: what its good rows go to (<see cref="Row"/>), its line count and its errors.</summary>
    private abstract class Segment
    {
        public long Lines;
        public readonly List<LogLineError> Errors = [];
        public long ErrorCount;

        public abstract void Row(ReadOnlySpan<byte> customer, int day, double value);

        public void Error(long line, string field, string message)
        {
            ErrorCount++;
            if (Errors.Count < 100)
            {
                Errors.Add(new LogLineError(line, field, message));
            }
        }
    }

    /// <summary>The first pass: the segment's customers in order of appearance and their days up to the calibration end.</summary>
    private sealed class SummarySegment(int endDay) : Segment
    {
        // Sized for a segment of customers with a few rows each, so that the table seldom grows (each
        // growth rehashes it, a cache miss per id).
        public readonly CustomerIdTable Ids = new(SegmentBytes / 128);
        public CustomerDays[] Days = new CustomerDays[1024];
        public long Rows;
        private int previous = -1;

        public override void Row(ReadOnlySpan<byte> customer, int day, double value)
        {
            Rows++;
            // Logs are mostly grouped by customer, so the previous row's customer is tried before the table.
            if (previous < 0 || !Ids[previous].SequenceEqual(customer))
            {
                previous = Ids.GetOrAdd(customer);
                if (previous == Days.Length)
                {
                    Array.Resize(ref Days, Days.Length * 2);
                }
            }
            // Rows after the calibration end only make the customer known (first appearance, count).
            if (day <= endDay)
            {
                Days[previous].Add(day, value);
            }
        }
    }

    /// <summary>The second pass: the rows up to the calibration end of the customers whose rows came out of day order.</summary>
    private sealed class GatherSegment(CustomerIdTable customers, bool[] wanted, int endDay) : Segment
    {
        public readonly List<(long Key, double Value)> Rows = [];

        public override void Row(ReadOnlySpan<byte> customer, int day, double value)
        {
            var c = customers.IndexOf(customer);
            if (day <= endDay && c >= 0 && wanted[c])
            {
                Rows.Add((((long)c << 32) | (uint)day, value));
            }
        }
    }

    public static CustomerSummaries Summarise(string path, TransactionLogFormat format, DateOnly calibrationEnd, double daysPerUnit)
    {
        var endDay = calibrationEnd.DayNumber;
        using var handle = File.OpenHandle(path, FileMode.Open, FileAccess.Read, FileShare.Read);
        var segments = ReadSegments(handle, format, () => new SummarySegment(endDay));

        // Merge in file order: first appearances as a line-by-line read would give them.
        var customers = new CustomerIdTable(segments.Sum(s => s.Ids.Count));
        var days = new CustomerDays[segments.Sum(s => s.Ids.Count)];
        var anyOutOfOrder = false;
        foreach (var segment in segments)
        {
            for (var k = 0; k < segment.Ids.Count; k++)
            {
                var known = customers.Count;
                var c = customers.GetOrAdd(segment.Ids[k], segment.Ids.HashOf(k));
                if (c == known)
                {
                    days[c] = segment.Days[k];
                }
                else
                {
                    days[c].Append(segment.Days[k]);
                }
                anyOutOfOrder |= days[c].OutOfOrder;
            }
        }
        if (anyOutOfOrder)
        {
            SummariseOutOfOrder(handle, format, customers, days, endDay);
        }

        var included = 0;
        for (var c = 0; c < customers.Count; c++)
        {
            included += days[c].Days > 0 ? 1 : 0;
        }
        var idIndex = new int[included];
        var frequency = new int[included];
        var recency = new double[included];
        var age = new double[included];
        var monetary = new double[included];
        var i = 0;
        for (var c = 0; c < customers.Count; c++)
        {
            ref readonly var d = ref days[c];
            if (d.Days > 0)
            {
                (idIndex[i], frequency[i], recency[i], age[i], monetary[i]) = (c, d.Repeats, (d.Last - d.First) / daysPerUnit, (endDay - d.First) / daysPerUnit, d.MeanRepeatValue);
                i++;
            }
        }
        return new CustomerSummaries(customers, idIndex, frequency, recency, age, monetary, segments.Sum(s => s.Rows));
    }

    /// <summary>Gathers the rows of the customers marked out of order and folds each one's again, sorted by day.</summary>
    private static void SummariseOutOfOrder(SafeFileHandle handle, TransactionLogFormat format, CustomerIdTable customers, CustomerDays[] days, int endDay)
    {
        var wanted = new bool[customers.Count];
        for (var c = 0; c < wanted.Length; c++)
        {
            wanted[c] = days[c].OutOfOrder;
        }
        var rows = ReadSegments(handle, format, () => new GatherSegment(customers, wanted, endDay)).SelectMany(s => s.Rows).ToArray();
        var keys = Array.ConvertAll(rows, r => r.Key);
        var values = Array.ConvertAll(rows, r => r.Value);
        Array.Sort(keys, values);
        for (var i = 0; i < keys.Length; i++)
        {
            var c = (int)(keys[i] >> 32);
            if (i == 0 || (int)(keys[i - 1] >> 32) != c)
            {
                days[c] = default;
            }
            days[c].Add((int)(uint)keys[i], values[i]);
        }
    }

    /// <summary>All the segments of the file read in parallel into segments of the given kind; any bad line fails the read.</summary>
    private static TSegment[] ReadSegments<TSegment>(SafeFileHandle handle, TransactionLogFormat format, Func<TSegment> create)
        where TSegment : Segment
    {
        var length = RandomAccess.GetLength(handle);
        var (start, headerLines, columns) = Header(handle, length, format);
        var segmentCount = (int)Math.Max(1, (length - start + SegmentBytes - 1) / SegmentBytes);
        var segments = new TSegment[segmentCount];
        Parallel.For(0, segmentCount, new ParallelOptions { MaxDegreeOfParallelism = Environment.ProcessorCount }, () => new byte[SegmentBytes + MaxLineBytes + 1], (s, _, buffer) =>
        {
            var from = start + (long)s * SegmentBytes;
            var to = Math.Min(length, from + SegmentBytes);
            segments[s] = create();
            ReadSegment(segments[s], handle, length, from, to, s == 0, buffer, columns);
            return buffer;
        }, _ => { });

        // Line numbers as a line-by-line read would give them.
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
        return segments;
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
    private static void ReadSegment(Segment segment, SafeFileHandle handle, long length, long from, long to, bool first, byte[] buffer, CsvColumns? columns)
    {
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
        segment.Row(line[fields[0]], day, value);
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
        segment.Row(id, day, value);
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
