using System.Globalization;

namespace BankClientele.CustomerCare.Feed;

/// <summary>A field of a row that is wrong, and why.</summary>
public sealed record FeedError(int Line, string Field, string Message);

/// <summary>
/// The bad rows of a feed: every one is counted, the first <see cref="MaxListed"/> are kept with
/// all their fields at fault.
/// </summary>
public sealed class FeedErrors
{
    public const int MaxListed = 100;

    private readonly List<FeedError> listed = [];
    private readonly HashSet<int> listedLines = [];
    private int lastLine = -1;

    public int BadRows { get; private set; }

    public IReadOnlyList<FeedError> Listed => listed;

    public bool Any => BadRows > 0;

    public void Add(int line, string field, string message)
    {
        if (line != lastLine && !listedLines.Contains(line))
        {
            BadRows++;
        }
        lastLine = line;
        if (listedLines.Contains(line) || listedLines.Count < MaxListed)
        {
            listedLines.Add(line);
            listed.Add(new FeedError(line, field, message));
        }
    }

    /// <summary>Problem details' <c>errors</c>: "line 12: phone" → messages, in line order.</summary>
    public Dictionary<string, string[]> ToDictionary() => listed
        .OrderBy(e => e.Line)
        .GroupBy(e => string.Create(CultureInfo.InvariantCulture, $"line {e.Line}: {e.Field}"))
        .ToDictionary(g => g.Key, g => g.Select(e => e.Message).ToArray());
}

/// <summary>Reads and checks the fields of one row, noting each fault with its line and field.</summary>
public sealed class FieldReader(IFeedRow row, IReadOnlyList<string> columns, FeedErrors errors)
{
    public bool Ok { get; private set; } = true;

    public int Line => row.Line;

    public void Fail(int column, string message)
    {
        Ok = false;
        errors.Add(row.Line, columns[column], message);
    }

    public string? Text(int column, int maxLength, bool required = false)
    {
        var value = row[column];
        if (value is null)
        {
            if (required)
            {
                Fail(column, "Required.");
            }
            return null;
        }
        if (value.Length > maxLength)
        {
            Fail(column, $"At most {maxLength} characters.");
            return null;
        }
        return value;
    }

    public DateOnly? Date(int column, bool required = false)
    {
        var value = row[column];
        if (value is null)
        {
            if (required)
            {
                Fail(column, "Required (a date, yyyy-MM-dd).");
            }
            return null;
        }
        if (!DateOnly.TryParseExact(value, ["yyyy-MM-dd", "yyyyMMdd", "yyyy/MM/dd"], CultureInfo.InvariantCulture, DateTimeStyles.None, out var date))
        {
            Fail(column, $"'{Short(value)}' is not a date (yyyy-MM-dd).");
            return null;
        }
        return date;
    }

    /// <summary>An amount in yuan: at least zero, at most two decimals.</summary>
    public decimal Amount(int column)
    {
        var value = row[column];
        if (value is null)
        {
            Fail(column, "Required (an amount in yuan).");
            return 0;
        }
        if (!decimal.TryParse(value, NumberStyles.AllowDecimalPoint | NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out var amount))
        {
            Fail(column, $"'{Short(value)}' is not an amount.");
            return 0;
        }
        if (amount < 0 || amount >= 1_000_000_000_000m || decimal.Round(amount, 2) != amount)
        {
            Fail(column, $"{value} is out of range: from 0 to under a trillion yuan, with at most two decimals.");
            return 0;
        }
        return amount;
    }

    private static string Short(string value) => value.Length <= 40 ? value : value[..40] + "…";
}
