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
/// appearance; days count from 0001-01-01.
/// </summary>
public sealed class TransactionLog
{
    private readonly List<string> customerIds = [];
    private readonly Dictionary<string, int> customerIndex = new(StringComparer.Ordinal);
    private long[] keys = new long[1024];
    private double[] values = new double[1024];

    public int Transactions { get; private set; }

    public int Customers => customerIds.Count;

    public void Add(string customerId, DateOnly date, double value)
    {
        if (!customerIndex.TryGetValue(customerId, out var index))
        {
            index = customerIds.Count;
            customerIndex.Add(customerId, index);
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
            customerIndex[id] = customerIds.Count;
            customerIds.Add(id);
        }
        if (Transactions == keys.Length)
        {
            Array.Resize(ref keys, keys.Length * 2);
            Array.Resize(ref values, values.Length * 2);
        }
        keys[Transactions] = ((long)customer << 32) | (uint)dayNumber;
        values[Transactions] = value;
        Transactions++;
    }

    public static TransactionLog Read(string path, TransactionLogFormat format)
    {
        using var reader = new StreamReader(path);
        return format == TransactionLogFormat.Cdnow ? ReadCdnow(reader) : ReadCsv(reader);
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
        var count = Transactions;
        var sortedKeys = keys[..count];
        var sortedValues = values[..count];
        Array.Sort(sortedKeys, sortedValues);
        var end = calibrationEnd.DayNumber;
        var result = new List<RepeatSummary>(Customers);
        var i = 0;
        while (i < count)
        {
            var customer = (int)(sortedKeys[i] >> 32);
            var first = (int)(uint)sortedKeys[i];
            var lastDay = first;
            var repeats = 0;
            var repeatValue = 0.0;
            var previousDay = first;
            for (; i < count && (int)(sortedKeys[i] >> 32) == customer; i++)
            {
                var day = (int)(uint)sortedKeys[i];
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
                repeatValue += sortedValues[i];
            }
            if (first > end)
            {
                continue;
            }
            result.Add(new RepeatSummary(customerIds[customer], repeats, (lastDay - first) / daysPerUnit,
                (end - first) / daysPerUnit, repeats == 0 ? 0 : repeatValue / repeats));
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
