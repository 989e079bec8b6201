using System.Buffers.Text;
using System.Numerics;
using System.Runtime.CompilerServices;
using System.Runtime.Intrinsics;
using System.Text;
using Microsoft.Win32.SafeHandles;

namespace BankClientele.Insights.Clv;

/// <summary>
/// Reads and summarises a transaction log file in one pass at the speed of the disk: the file is cut
/// into segments of <see cref="SegmentBytes"/>, each read a chunk at a time into a buffer its worker
/// reuses and split on line boundaries (a segment owns the lines that start in it); fields are parsed from
/// byte spans (Utf8Parser, digits by hand) and each row folded into its customer's running summary
/// (<see cref="CustomerDays"/>), so no row is kept and none allocates. A log grouped by customer in
/// increasing id order (as CDNOW's and the simulated ones are) needs no hashing at all: each run of rows
/// is a new customer, and the segments are stitched where a customer's rows cross a boundary. Any
/// other order is found out as it is read, and its ids are looked up as bytes in per-segment tables
/// (<see cref="CustomerIdTable"/>) merged in file order. Either way customers are numbered in order of
/// first appearance and bad lines are reported by their line number in the file, as the line-by-line
/// readers do. A customer whose rows
/// are not in day order (a shuffled log) is summarised again from its rows, gathered in a second pass
/// over the file for those customers alone. One transaction per line: a CSV field may be quoted but
/// may not hold a line break.
/// </summary>
internal static class TransactionLogFile
{
    public const int SegmentBytes = 8 << 20;

    /// <summary>The longest line a segment reads past its end to finish its last line.</summary>
    private const int MaxLineBytes = 64 << 10;

    /// <summary>
    /// What a worker reads at a time: its buffer is reused from segment to segment and small, because
    /// every page of freshly allocated memory costs a page fault, which on a virtual machine costs more
    /// than parsing the page.
    /// </summary>
    private const int ChunkBytes = 1 << 20;

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

    /// <summary>
    /// The first pass: the segment's customers in order of appearance and their days up to the
    /// calibration end. While each new run of rows brings an id greater than the last (a log grouped by
    /// customer in increasing id order), every run is a new customer and its id is only appended; once
    /// that order breaks, the ids are hashed and looked up from then on.
    /// </summary>
    private sealed class SummarySegment(int endDay) : Segment
    {
        // Sized for a segment of customers with a row or two each, so that nothing grows (a copy and more
        // memory touched): the memory of customers never seen is allocated but never touched.
        public readonly CustomerIdTable Ids = new(SegmentBytes / 32, indexed: false);
        // Uninitialised, each customer's days cleared as it is added: memory the collector hands back
        // from earlier garbage would otherwise be cleared in full for the few customers a segment has.
        public CustomerDays[] Days = GC.AllocateUninitializedArray<CustomerDays>(SegmentBytes / 32);
        public long Rows;
        public IdOrder Order = IdOrder.Both;
        private int previous = -1;

        [MethodImpl(MethodImplOptions.AggressiveOptimization)]
        public override void Row(ReadOnlySpan<byte> customer, int day, double value)
        {
            Rows++;
            // The previous row's customer is tried first: a grouped log changes customer every few rows.
            if (previous < 0 || !Ids[previous].SequenceEqual(customer))
            {
                previous = NewRun(customer);
            }
            // Rows after the calibration end only make the customer known (first appearance, count).
            if (day <= endDay)
            {
                Days[previous].Add(day, value);
            }
        }

        [MethodImpl(MethodImplOptions.NoInlining | MethodImplOptions.AggressiveOptimization)]
        private int NewRun(ReadOnlySpan<byte> customer)
        {
            if (!Ids.Indexed && previous >= 0)
            {
                Order &= Increasing(Ids[previous], customer);
                if (Order == IdOrder.None)
                {
                    Ids.Index();
                }
            }
            var known = Ids.Count;
            var k = Ids.Indexed ? Ids.GetOrAdd(customer) : Ids.Append(customer);
            if (k == known)
            {
                if (k == Days.Length)
                {
                    Array.Resize(ref Days, Days.Length * 2);
                }
                Days[k] = default;
            }
            return k;
        }
    }

    /// <summary>The orders in which a sequence of ids may increase: byte by byte, or by length and then byte by byte (as numbers do).</summary>
    [Flags]
    private enum IdOrder
    {
        None = 0,
        Lexicographic = 1,
        ByLength = 2,
        Both = 3,
    }

    private static IdOrder Increasing(ReadOnlySpan<byte> earlier, ReadOnlySpan<byte> later)
    {
        var c = earlier.SequenceCompareTo(later);
        return (c < 0 ? IdOrder.Lexicographic : IdOrder.None)
            | (earlier.Length < later.Length || (earlier.Length == later.Length && c < 0) ? IdOrder.ByLength : IdOrder.None);
    }

    /// <summary>The second pass: the rows up to the calibration end of the customers whose rows came out of day order.</summary>
    private sealed class GatherSegment(CustomerIdTable wanted, int endDay) : Segment
    {
        public readonly List<(long Key, double Value)> Rows = [];

        public override void Row(ReadOnlySpan<byte> customer, int day, double value)
        {
            var w = day <= endDay ? wanted.IndexOf(customer) : -1;
            if (w >= 0)
            {
                Rows.Add((((long)w << 32) | (uint)day, value));
            }
        }
    }

    public static CustomerSummaries Summarise(string path, TransactionLogFormat format, DateOnly calibrationEnd, double daysPerUnit)
    {
        var endDay = calibrationEnd.DayNumber;
        using var handle = File.OpenHandle(path, FileMode.Open, FileAccess.Read, FileShare.Read);
        var segments = ReadSegments(handle, format, () => new SummarySegment(endDay));
        var (customers, parts) = Stitched(segments) ?? Merged(segments);

        // Per part, in parallel: how many customers it includes and whether any came out of day order.
        var included = new int[parts.Count];
        var outOfOrder = new bool[parts.Count];
        Parallel.For(0, parts.Count, p => (included[p], outOfOrder[p]) = Count(parts[p]));
        if (outOfOrder.Any(o => o))
        {
            SummariseOutOfOrder(handle, format, customers, parts, endDay);
        }
        return new CustomerSummaries(customers, parts, included.Sum(), segments.Sum(s => s.Rows), endDay, daysPerUnit);
    }

    /// <summary>The part's customers with a transaction by the calibration end, and whether any came out of day order.</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static (int Included, bool OutOfOrder) Count(CustomerDaysPart part)
    {
        var (count, any) = (0, false);
        for (var k = part.Skip; k < part.Count; k++)
        {
            count += part.Days[k].Days > 0 ? 1 : 0;
            any |= part.Days[k].OutOfOrder;
        }
        return (count, any);
    }

    /// <summary>
    /// The segments' customers joined without hashing, when the whole log is grouped by customer in
    /// increasing id order (each segment's runs, and each segment's first run after the previous one's
    /// last): a run continuing over a boundary is appended to its customer; null otherwise.
    /// </summary>
    private static (CustomerIds Customers, List<CustomerDaysPart> Parts)? Stitched(SummarySegment[] segments)
    {
        var order = IdOrder.Both;
        SummarySegment? previous = null;
        foreach (var segment in segments)
        {
            if (segment.Ids.Indexed)
            {
                return null;
            }
            order &= segment.Order;
            if (segment.Ids.Count == 0)
            {
                continue;
            }
            if (previous is not null)
            {
                var last = previous.Ids[previous.Ids.Count - 1];
                var first = segment.Ids[0];
                if (!last.SequenceEqual(first))
                {
                    order &= Increasing(last, first);
                }
            }
            previous = segment;
        }
        if (order == IdOrder.None)
        {
            return null;
        }
        var parts = new List<CustomerDaysPart>(segments.Length);
        var tables = new List<(CustomerIdTable, int)>(segments.Length);
        var customers = 0;
        // The part holding the latest customer: a run over one or more boundaries is appended to it.
        (SummarySegment Segment, int K)? owner = null;
        foreach (var segment in segments.Where(s => s.Ids.Count > 0))
        {
            var skip = 0;
            if (owner is { } o && o.Segment.Ids[o.K].SequenceEqual(segment.Ids[0]))
            {
                o.Segment.Days[o.K].Append(segment.Days[0]);
                skip = 1;
            }
            parts.Add(new CustomerDaysPart(segment.Days, segment.Ids.Count, skip, customers));
            tables.Add((segment.Ids, skip));
            customers += segment.Ids.Count - skip;
            if (segment.Ids.Count > skip)
            {
                owner = (segment, segment.Ids.Count - 1);
            }
        }
        return (new CustomerIds(tables), parts);
    }

    /// <summary>
    /// The segments' customers joined through one table, in file order (first appearances as a
    /// line-by-line read would give them), for a log in any order; the customers as parts of 64 Ki.
    /// </summary>
    private static (CustomerIds Customers, List<CustomerDaysPart> Parts) Merged(SummarySegment[] segments)
    {
        Parallel.ForEach(segments, s => s.Ids.Index());
        var total = segments.Sum(s => s.Ids.Count);
        var customers = new CustomerIdTable(total);
        var days = new CustomerDays[total];
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
            }
        }
        const int PartSize = 1 << 16;
        var parts = new List<CustomerDaysPart>();
        for (var from = 0; from < customers.Count; from += PartSize)
        {
            var count = Math.Min(customers.Count, from + PartSize);
            parts.Add(new CustomerDaysPart(days, count, from, from));
        }
        return (new CustomerIds([(customers, 0)]), parts);
    }

    /// <summary>Gathers the rows of the customers marked out of order and folds each one's again, sorted by day.</summary>
    private static void SummariseOutOfOrder(SafeFileHandle handle, TransactionLogFormat format, CustomerIds customers, List<CustomerDaysPart> parts, int endDay)
    {
        var wanted = new CustomerIdTable();
        var owners = new List<(CustomerDays[] Days, int K)>();
        foreach (var part in parts)
        {
            for (var k = part.Skip; k < part.Count; k++)
            {
                if (part.Days[k].OutOfOrder)
                {
                    wanted.GetOrAdd(customers[part.Customer(k)]);
                    owners.Add((part.Days, k));
                }
            }
        }
        var rows = ReadSegments(handle, format, () => new GatherSegment(wanted, endDay)).SelectMany(s => s.Rows).ToArray();
        var keys = Array.ConvertAll(rows, r => r.Key);
        var values = Array.ConvertAll(rows, r => r.Value);
        Array.Sort(keys, values);
        for (var i = 0; i < keys.Length; i++)
        {
            var (days, k) = owners[(int)(keys[i] >> 32)];
            if (i == 0 || keys[i - 1] >> 32 != keys[i] >> 32)
            {
                days[k] = default;
            }
            days[k].Add((int)(uint)keys[i], values[i]);
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
        Parallel.For(0, segmentCount, new ParallelOptions { MaxDegreeOfParallelism = Environment.ProcessorCount }, () => new byte[ChunkBytes + MaxLineBytes], (s, _, buffer) =>
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
        var readTo = Math.Min(length, to + MaxLineBytes);
        // The segment goes through the buffer a chunk at a time, a line cut by a chunk's end carried over to the next.
        var bufferStart = first ? from : from - 1; // the file offset of buffer[0]
        var filled = 0;
        var position = 0;
        var skipping = !first; // the line that straddles the boundary belongs to the previous segment
        Span<Range> fields = stackalloc Range[8];
        while (bufferStart + position < to || skipping)
        {
            if (columns is null && !skipping && filled - position >= Vector256<byte>.Count && ShortCdnowLine(segment, buffer.AsSpan(position, Vector256<byte>.Count)) is > 0 and var taken)
            {
                position += taken;
                continue;
            }
            var newline = buffer.AsSpan(position, filled - position).IndexOf((byte)'\n');
            var readAll = bufferStart + filled == readTo;
            if (newline < 0 && !readAll)
            {
                if (skipping)
                {
                    position = filled; // the rest of a long line the previous segment reports
                }
                else if (position == 0 && filled == buffer.Length)
                {
                    segment.Lines++;
                    segment.Error(segment.Lines, "line", $"longer than {MaxLineBytes:N0} bytes");
                    return;
                }
                buffer.AsSpan(position, filled - position).CopyTo(buffer);
                (bufferStart, filled, position) = (bufferStart + position, filled - position, 0);
                var n = RandomAccess.Read(handle, buffer.AsSpan(filled, (int)Math.Min(buffer.Length - filled, readTo - bufferStart - filled)), bufferStart + filled);
                if (n == 0)
                {
                    // The file is shorter than it was: what was read is all there is.
                    readTo = bufferStart + filled;
                }
                filled += n;
                continue;
            }
            var rest = buffer.AsSpan(position, filled - position);
            if (skipping)
            {
                skipping = false;
                position = newline < 0 ? filled : position + newline + 1;
                continue;
            }
            if (newline < 0 && readTo < length)
            {
                segment.Lines++;
                segment.Error(segment.Lines, "line", $"longer than {MaxLineBytes:N0} bytes");
                return;
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

    /// <summary>
    /// A CDNOW line of the usual shape read from the 32 bytes at its start, a few vector instructions
    /// finding its end and its fields: it ends within them, and its 4 or 5 fields are separated by
    /// single spaces or tabs, with none at either end. Returns the bytes it took (the newline
    /// included), or 0 for any other line, or one with a bad field, which the general parse then reads
    /// (and reports). Most logs are all such lines, and the general parse spends more on finding the
    /// line and splitting it byte by byte than on the fields.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static int ShortCdnowLine(Segment segment, ReadOnlySpan<byte> window)
    {
        var bytes = Vector256.Create(window);
        var newlines = Vector256.Equals(bytes, Vector256.Create((byte)'\n')).ExtractMostSignificantBits();
        if (newlines == 0)
        {
            return 0;
        }
        var length = BitOperations.TrailingZeroCount(newlines);
        var end = length > 0 && window[length - 1] == '\r' ? length - 1 : length;
        if (end == 0)
        {
            return 0;
        }
        var separators = (Vector256.Equals(bytes, Vector256.Create((byte)' ')) | Vector256.Equals(bytes, Vector256.Create((byte)'\t'))).ExtractMostSignificantBits()
                         & ((1u << end) - 1);
        var count = BitOperations.PopCount(separators);
        if (count is not (3 or 4) || (separators & (1u | (1u << (end - 1)) | (separators >> 1))) != 0)
        {
            return 0;
        }
        // Fields: id [sample id] date quantity value; the date is the third from the end.
        var first = BitOperations.TrailingZeroCount(separators);
        separators &= separators - 1;
        var second = BitOperations.TrailingZeroCount(separators);
        separators &= separators - 1;
        var third = BitOperations.TrailingZeroCount(separators);
        var (dateFrom, dateTo, valueFrom) = count == 3 ? (first + 1, second, third + 1) : (second + 1, third, BitOperations.TrailingZeroCount(separators & (separators - 1)) + 1);
        var date = window[dateFrom..dateTo];
        var value = window[valueFrom..end];
        if (!CompactDate(date, out var day) || !Value(value, out var amount))
        {
            return 0;
        }
        segment.Lines++;
        segment.Row(window[..first], day, amount);
        return length + 1;
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

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static bool Value(ReadOnlySpan<byte> text, out double value) =>
        PlainDecimal(text, out value)
        || (Utf8Parser.TryParse(text, out value, out var consumed) && consumed == text.Length && double.IsFinite(value) && value >= 0);

    // The helpers of the parse loops are inlined into them: called on their own, they would start at tier 0
    // and a one-off read of a file would run most of its rows through that slow code.
    private static readonly double[] PowersOfTen = [1, 1e1, 1e2, 1e3, 1e4, 1e5, 1e6, 1e7, 1e8, 1e9, 1e10, 1e11, 1e12, 1e13, 1e14, 1e15];

    /// <summary>
    /// Digits with at most one point between them and at most 15 digits in all, as amounts are written:
    /// the digits as an integer divided by a power of ten. Both are exact doubles (below 2^53 and 10^22),
    /// so the one division rounds correctly, to the double Utf8Parser would give, at a fraction of its
    /// cost; anything else (a sign, an exponent, more digits) is left to it.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static bool PlainDecimal(ReadOnlySpan<byte> text, out double value)
    {
        value = 0;
        if (text.IsEmpty || text.Length > 16)
        {
            return false;
        }
        long mantissa = 0;
        var point = -1;
        for (var i = 0; i < text.Length; i++)
        {
            var digit = (uint)(text[i] - '0');
            if (digit <= 9)
            {
                mantissa = mantissa * 10 + digit;
            }
            else if (text[i] == '.' && point < 0 && i > 0 && i < text.Length - 1)
            {
                point = i;
            }
            else
            {
                return false;
            }
        }
        if (point < 0 && text.Length > 15)
        {
            return false;
        }
        value = point < 0 ? mantissa : mantissa / PowersOfTen[text.Length - 1 - point];
        return true;
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static bool CompactDate(ReadOnlySpan<byte> text, out int day)
    {
        day = 0;
        return text.Length == 8 && Digits(text[..4], out var y) && Digits(text.Slice(4, 2), out var m) && Digits(text.Slice(6, 2), out var d) && Day(y, m, d, out day);
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static bool IsoDate(ReadOnlySpan<byte> text, out int day)
    {
        day = 0;
        return text.Length == 10 && text[4] == '-' && text[7] == '-'
               && Digits(text[..4], out var y) && Digits(text.Slice(5, 2), out var m) && Digits(text.Slice(8, 2), out var d) && Day(y, m, d, out day);
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
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

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static bool Day(int year, int month, int day, out int dayNumber)
    {
        dayNumber = 0;
        if (year < 1 || month is < 1 or > 12 || day < 1 || day > DateTime.DaysInMonth(year, month))
        {
            return false;
        }
        // DateOnly's day number (days since 0001-01-01) by the Gregorian count, without DateTime's ticks.
        var y = year - 1;
        dayNumber = y * 365 + y / 4 - y / 100 + y / 400 + DaysBeforeMonth[month - 1] + (month > 2 && DateTime.IsLeapYear(year) ? 1 : 0) + day - 1;
        return true;
    }

    private static readonly int[] DaysBeforeMonth = [0, 31, 59, 90, 120, 151, 181, 212, 243, 273, 304, 334];
}
