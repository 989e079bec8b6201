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
/// appearance; days count from 0001-01-01. A text reader is read line by line; a file is summarised
/// as it is read, in parallel and without keeping its rows (<see cref="SummariseFile"/>).
/// </summary>
public sealed class TransactionLog
{
    private readonly List<string> customerIds = [];
    // Built on the first Add by id: a simulated log never needs it.
    private Dictionary<string, int>? customerIndex;
    // The rows: keys (customer << 32 | day number) and values.
    private readonly List<long> keys = [];
    private readonly List<double> values = [];

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

    public int Transactions => keys.Count;

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
        keys.Add(((long)customer << 32) | (uint)dayNumber);
        values.Add(value);
    }

    /// <summary>Writes the log as CDNOW text (id yyyyMMdd quantity value), e.g. a simulated log for a benchmark to read back.</summary>
    public void WriteCdnow(Stream stream)
    {
        var line = new byte[512];
        using var buffered = new BufferedStream(stream, 1 << 20);
        for (var row = 0; row < keys.Count; row++)
        {
            var (key, value) = (keys[row], values[row]);
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

    /// <summary>
    /// Reads a log file and summarises its customers at the end of the calibration period in one
    /// parallel pass, keeping no row (see <see cref="Summarise"/> for the definition); a bad line
    /// (reported by its line number) fails the read.
    /// </summary>
    public static CustomerSummaries SummariseFile(string path, TransactionLogFormat format, DateOnly calibrationEnd, double daysPerUnit = 7) =>
        TransactionLogFile.Summarise(path, format, calibrationEnd, daysPerUnit);

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
        foreach (var key in keys)
        {
            starts[(int)(key >> 32) + 1]++;
        }
        for (var c = 0; c < customers; c++)
        {
            starts[c + 1] += starts[c];
        }
        var days = new int[count];
        var amounts = new double[count];
        var next = starts[..customers];
        for (var i = 0; i < keys.Count; i++)
        {
            var key = keys[i];
            var at = next[(int)(key >> 32)]++;
            days[at] = (int)(uint)key;
            amounts[at] = values[i];
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
                own.Sort(ownAmounts);
                var summary = new CustomerDays();
                for (var i = 0; i < own.Length && own[i] <= end; i++)
                {
                    summary.Add(own[i], ownAmounts[i]);
                }
                if (summary.Days > 0)
                {
                    summaries[c] = new RepeatSummary(customerIds[c], summary.Repeats, (summary.Last - summary.First) / daysPerUnit,
                        (end - summary.First) / daysPerUnit, summary.MeanRepeatValue);
                    included[c] = true;
                }
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
