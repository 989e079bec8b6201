using System.Globalization;
using Sylvan.Data.Csv;

namespace BankClientele.Insights.Clv;

/// <summary>The formats a raw transaction log comes in.</summary>
public enum TransactionLogFormat
{
    /// <summary>Whitespace separated, as the CDNOW files: id [sample id] yyyyMMdd quantity value.</summary>
    Cdnow,

    /// <summary>CSV with a header naming the columns customer (or customer_id), date (yyyy-MM-dd or yyyyMMdd) and value (or amount).</summary>
    Csv,
}

/// <summary>A line of a log that could not be read: its number and what is wrong.</summary>
public sealed record LogLineError(long Line, string Field, string Message);

public sealed class TransactionLogException(IReadOnlyList<LogLineError> errors, long errorCount)
    : Exception($"{errorCount} bad line(s) in the transaction log; first: line {errors[0].Line}, {errors[0].Field}: {errors[0].Message}")
{
    public IReadOnlyList<LogLineError> Errors { get; } = errors;

    public long ErrorCount { get; } = errorCount;
}

/// <summary>
/// A raw log of transactions (customer, day, value), read whole before anything is summarised so
/// that a bad line fails the read instead of half a fit. Customers are numbered in order of first
/// appearance; days count from 0001-01-01. A file is read in parallel segments without an allocation
/// per row (<see cref="TransactionLogFile"/>); a text reader line by line.
/// </summary>
public sealed class TransactionLog
{
    private readonly List<string> customerIds;
    // Built on the first Add by id: a log read from a file never needs it.
    private Dictionary<string, int>? customerIndex;
    // The rows (customer << 32 | day) and values in chunks: a file's segments become chunks as they
    // were read, with no copy into one array.
    private readonly List<Chunk> chunks;

    public TransactionLog()
    {
        customerIds = [];
        chunks = [];
    }

    private TransactionLog(List<string> ids, List<Chunk> chunks)
    {
        (customerIds, this.chunks) = (ids, chunks);
        Transactions = chunks.Sum(c => c.Rows);
    }

    /// <summary>Rows of a log: keys (customer &lt;&lt; 32 | day number) and values, the first <see cref="Rows"/> in use.</summary>
    internal sealed class Chunk(long[] keys, double[] values)
    {
        public long[] Keys { get; private set; } = keys;

        public double[] Values { get; private set; } = values;

        public int Rows { get; set; }

        public void Add(long key, double value)
        {
            if (Rows == Keys.Length)
            {
                var keys = Keys;
                var values = Values;
                Array.Resize(ref keys, Math.Max(1024, keys.Length * 2));
                Array.Resize(ref values, keys.Length);
                (Keys, Values) = (keys, values);
            }
            Keys[Rows] = key;
            Values[Rows] = value;
            Rows++;
        }
    }

    private Dictionary<string, int> CustomerIndex
    {
        get
        {
            if (customerIndex is null)
            {
                customerIndex = new(customerIds.Count, StringComparer.Ordinal);
                for (var i = 0; i < customerIds.Count; i++)
                {
                    customerIndex.Add(customerIds[i], i);
                }
            }
            return customerIndex;
        }
    }

    public int Transactions { get; private set; }

    public int Customers => customerIds.Count;

    public void Add(string customerId, DateOnly date, double value)
    {
        if (!CustomerIndex.TryGetValue(customerId, out var index))
        {
            index = customerIds.Count;
            CustomerIndex.Add(customerId, index);
            customerIds.Add(customerId);
        }
        Add(index, date.DayNumber, value);
    }

    /// <summary>For a simulated log: customers numbered 0..N−1 in order, ids their numbers.</summary>
    public void Add(int customer, int dayNumber, double value)
    {
        while (customer >= customerIds.Count)
        {
            var id = customerIds.Count.ToString(CultureInfo.InvariantCulture);
            CustomerIndex[id] = customerIds.Count;
            customerIds.Add(id);
        }
        if (chunks.Count == 0)
        {
            chunks.Add(new Chunk([], []));
        }
        chunks[^1].Add(((long)customer << 32) | (uint)dayNumber, value);
        Transactions++;
    }

    /// <summary>Writes the log as CDNOW text (id yyyyMMdd quantity value), e.g. a simulated log for a benchmark to read back.</summary>
    public void WriteCdnow(Stream stream)
    {
        var line = new byte[512];
        using var buffered = new BufferedStream(stream, 1 << 20);
        foreach (var (key, value) in Rows())
        {
            var at = System.Text.Encoding.UTF8.GetBytes(customerIds[(int)(key >> 32)], line);
            line[at++] = (byte)' ';
            var date = DateOnly.FromDayNumber((int)(uint)key);
            System.Buffers.Text.Utf8Formatter.TryFormat(date.Year * 10_000 + date.Month * 100 + date.Day, line.AsSpan(at), out var written);
            at += written;
            " 1 "u8.CopyTo(line.AsSpan(at));
            at += 3;
            System.Buffers.Text.Utf8Formatter.TryFormat(Math.Round(value, 2), line.AsSpan(at), out written);
            at += written;
            line[at++] = (byte)'\n';
            buffered.Write(line, 0, at);
        }
    }

    /// <summary>Reads a log file whole, in parallel; a bad line (reported by its line number) fails the read.</summary>
    public static TransactionLog Read(string path, TransactionLogFormat format)
    {
        var (ids, chunks) = TransactionLogFile.Read(path, format);
        return new TransactionLog([.. ids], chunks);
    }

    private IEnumerable<(long Key, double Value)> Rows()
    {
        foreach (var chunk in chunks)
        {
            for (var i = 0; i < chunk.Rows; i++)
            {
                yield return (chunk.Keys[i], chunk.Values[i]);
            }
        }
    }

    public static TransactionLog ReadCdnow(TextReader reader)
    {
        var log = new TransactionLog();
        var errors = new ErrorList();
        long lineNumber = 0;
        while (reader.ReadLine() is { } line)
        {
            lineNumber++;
            var fields = line.Split((char[]?)null, StringSplitOptions.RemoveEmptyEntries);
            if (fields.Length == 0)
            {
                continue;
            }
            if (fields.Length is not (4 or 5))
            {
                errors.Add(lineNumber, "line", $"expected 4 or 5 whitespace-separated fields, found {fields.Length}");
                continue;
            }
            var dateField = fields[^3];
            if (!DateOnly.TryParseExact(dateField, "yyyyMMdd", CultureInfo.InvariantCulture, DateTimeStyles.None, out var date))
            {
                errors.Add(lineNumber, "date", $"'{dateField}' is not a yyyyMMdd date");
                continue;
            }
            if (!double.TryParse(fields[^1], NumberStyles.Float, CultureInfo.InvariantCulture, out var value) || !double.IsFinite(value) || value < 0)
            {
                errors.Add(lineNumber, "value", $"'{fields[^1]}' is not a non-negative number");
                continue;
            }
            log.Add(fields[0], date, value);
        }
        errors.ThrowIfAny();
        return log;
    }

    public static TransactionLog ReadCsv(TextReader reader)
    {
        var log = new TransactionLog();
        var errors = new ErrorList();
        using var csv = CsvDataReader.Create(reader, new CsvDataReaderOptions { HasHeaders = true });
        int Column(params string[] names)
        {
            foreach (var name in names)
            {
                for (var i = 0; i < csv.FieldCount; i++)
                {
                    if (string.Equals(csv.GetName(i).Trim(), name, StringComparison.OrdinalIgnoreCase))
                    {
                        return i;
                    }
                }
            }
            throw new TransactionLogException([new LogLineError(1, names[0], $"the header has no column {string.Join(" or ", names)}")], 1);
        }
        var customer = Column("customer", "customer_id", "customerId");
        var dateColumn = Column("date");
        var valueColumn = Column("value", "amount");
        long lineNumber = 1;
        while (csv.Read())
        {
            lineNumber++;
            var id = csv.GetString(customer).Trim();
            var dateText = csv.GetString(dateColumn).Trim();
            var valueText = csv.GetString(valueColumn).Trim();
            if (id.Length == 0)
            {
                errors.Add(lineNumber, "customer", "empty");
                continue;
            }
            if (!DateOnly.TryParseExact(dateText, ["yyyy-MM-dd", "yyyyMMdd"], CultureInfo.InvariantCulture, DateTimeStyles.None, out var date))
            {
                errors.Add(lineNumber, "date", $"'{dateText}' is not a yyyy-MM-dd date");
                continue;
            }
            if (!double.TryParse(valueText, NumberStyles.Float, CultureInfo.InvariantCulture, out var value) || !double.IsFinite(value) || value < 0)
            {
                errors.Add(lineNumber, "value", $"'{valueText}' is not a non-negative number");
                continue;
            }
            log.Add(id, date, value);
        }
        errors.ThrowIfAny();
        return log;
    }

    /// <summary>
    /// The repeat-transaction summaries at the end of the calibration period (inclusive), in weeks
    /// (or <paramref name="daysPerUnit"/>): transactions on one day count once, with their values
    /// summed; T runs from the first transaction to the calibration end (a customer first seen on the last day has T = 0). Customers whose
    /// first transaction is after the calibration end are left out.
    /// </summary>
    public List<RepeatSummary> Summarise(DateOnly calibrationEnd, double daysPerUnit = 7)
    {
        // Each customer's transactions gathered by a counting sort (no comparison sort of the whole
        // log), then the customers summarised in parallel, each sorting its own few days.
        var count = Transactions;
        var customers = Customers;
        var starts = new int[customers + 1];
        foreach (var chunk in chunks)
        {
            foreach (var key in chunk.Keys.AsSpan(0, chunk.Rows))
            {
                starts[(int)(key >> 32) + 1]++;
            }
        }
        for (var c = 0; c < customers; c++)
        {
            starts[c + 1] += starts[c];
        }
        var days = new int[count];
        var amounts = new double[count];
        var next = starts[..customers];
        foreach (var chunk in chunks)
        {
            for (var i = 0; i < chunk.Rows; i++)
            {
                var key = chunk.Keys[i];
                var at = next[(int)(key >> 32)]++;
                days[at] = (int)(uint)key;
                amounts[at] = chunk.Values[i];
            }
        }
        var end = calibrationEnd.DayNumber;
        var summaries = new RepeatSummary[customers];
        var included = new bool[customers];
        Parallel.ForEach(System.Collections.Concurrent.Partitioner.Create(0, customers, Math.Max(1_024, customers / (8 * Environment.ProcessorCount) + 1)), range =>
        {
            for (var c = range.Item1; c < range.Item2; c++)
            {
                var own = days.AsSpan(starts[c], starts[c + 1] - starts[c]);
                var ownAmounts = amounts.AsSpan(starts[c], own.Length);
                if (own.IsEmpty)
                {
                    continue;
                }
                own.Sort(ownAmounts);
                var first = own[0];
                if (first > end)
                {
                    continue;
                }
                var lastDay = first;
                var repeats = 0;
                var repeatValue = 0.0;
                var previousDay = first;
                for (var i = 0; i < own.Length; i++)
                {
                    var day = own[i];
                    if (day > end || day == first)
                    {
                        continue;
                    }
                    if (day != previousDay)
                    {
                        repeats++;
                        previousDay = day;
                        lastDay = day;
                    }
                    repeatValue += ownAmounts[i];
                }
                summaries[c] = new RepeatSummary(customerIds[c], repeats, (lastDay - first) / daysPerUnit,
                    (end - first) / daysPerUnit, repeats == 0 ? 0 : repeatValue / repeats);
                included[c] = true;
            }
        });
        var result = new List<RepeatSummary>(customers);
        for (var c = 0; c < customers; c++)
        {
            if (included[c])
            {
                result.Add(summaries[c]);
            }
        }
        return result;
    }

    private sealed class ErrorList
    {
        private readonly List<LogLineError> first = [];
        private long count;

        public void Add(long line, string field, string message)
        {
            count++;
            if (first.Count < 100)
            {
                first.Add(new LogLineError(line, field, message));
            }
        }

        public void ThrowIfAny()
        {
            if (count > 0)
            {
                throw new TransactionLogException(first, count);
            }
        }
    }
}
