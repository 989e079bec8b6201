using System.Globalization;
using BankClientele.Hosting.Refusals;

namespace BankClientele.CustomerCare.Feed;

/// <summary>
/// A field of a row that is wrong, and why: one of <see cref="FieldReasons"/> (the portal words it), the English message
/// and the numbers its words name (too-long: max).
/// </summary>
public sealed record FeedError(int Line, string Field, string Code, string Message, IReadOnlyDictionary<string, decimal>? Arguments = null);

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

    public void Add(int line, string field, string code, string message, IReadOnlyDictionary<string, decimal>? arguments = null)
    {
        if (line != lastLine && !listedLines.Contains(line))
        {
            BadRows++;
        }
        lastLine = line;
        if (listedLines.Contains(line) || listedLines.Count < MaxListed)
        {
            listedLines.Add(line);
            listed.Add(new FeedError(line, field, code, message, arguments));
        }
    }

    /// <summary>Problem details' <c>errors</c>: "line 12: phone" → messages, in line order.</summary>
    public Dictionary<string, string[]> ToDictionary() => ByLineAndField(e => e.Message);

    /// <summary>The problem's <c>errorCodes</c>: the same keys as <see cref="ToDictionary"/>, each message's <see cref="FieldReasons"/> code.</summary>
    public Dictionary<string, string[]> Codes() => ByLineAndField(e => e.Code);

    /// <summary>The problem's <c>errorArguments</c>: the same keys, each message's numbers (<c>{}</c> for none); null when no error has any.</summary>
    public Dictionary<string, IReadOnlyDictionary<string, decimal>[]>? Arguments() =>
        listed.Any(e => e.Arguments is { Count: > 0 }) ? ByLineAndField(e => e.Arguments ?? NoArguments) : null;

    private static readonly IReadOnlyDictionary<string, decimal> NoArguments = new Dictionary<string, decimal>();

    private Dictionary<string, T[]> ByLineAndField<T>(Func<FeedError, T> value) => listed
        .OrderBy(e => e.Line)
        .GroupBy(e => string.Create(CultureInfo.InvariantCulture, $"line {e.Line}: {e.Field}"))
        .ToDictionary(g => g.Key, g => g.Select(value).ToArray());
}

/// <summary>Reads and checks the fields of one row, noting each fault with its line and field.</summary>
public sealed class FieldReader(IFeedRow row, IReadOnlyList<string> columns, FeedErrors errors)
{
    public bool Ok { get; private set; } = true;

    public int Line => row.Line;

    public void Fail(int column, string code, string message, IReadOnlyDictionary<string, decimal>? arguments = null)
    {
        Ok = false;
        errors.Add(row.Line, columns[column], code, message, arguments);
    }

    public string? Text(int column, int maxLength, bool required = false)
    {
        var value = row[column];
        if (value is null)
        {
            if (required)
            {
                Fail(column, FieldReasons.Required, "Required.");
            }
            return null;
        }
        if (value.Length > maxLength)
        {
            Fail(column, FieldReasons.TooLong, $"At most {maxLength} characters.", new Dictionary<string, decimal> { ["max"] = maxLength });
            return null;
        }
        return value;
    }

    /// <summary>A required short key (a customer number) as a span, not copied: empty when it is absent or too long (a fault noted).</summary>
    public ReadOnlySpan<char> Key(int column, int maxLength)
    {
        var value = row.Span(column);
        if (value.IsEmpty)
        {
            Fail(column, FieldReasons.Required, "Required.");
        }
        else if (value.Length > maxLength)
        {
            Fail(column, FieldReasons.TooLong, $"At most {maxLength} characters.", new Dictionary<string, decimal> { ["max"] = maxLength });
            return default;
        }
        return value;
    }

    private static readonly string[] DateFormats = ["yyyy-MM-dd", "yyyyMMdd", "yyyy/MM/dd"];

    public DateOnly? Date(int column, bool required = false)
    {
        var value = row.Span(column);
        if (value.IsEmpty)
        {
            if (required)
            {
                Fail(column, FieldReasons.Required, "Required (a date, yyyy-MM-dd).");
            }
            return null;
        }
        if (IsoDate(value) is { } iso)
        {
            return iso;
        }
        if (!DateOnly.TryParseExact(value, DateFormats, CultureInfo.InvariantCulture, DateTimeStyles.None, out var date))
        {
            Fail(column, FieldReasons.NotADate, $"'{Short(value.ToString())}' is not a date (yyyy-MM-dd).");
            return null;
        }
        return date;
    }

    /// <summary>yyyy-MM-dd read digit by digit (the common case, on every row of a balances file); anything else is left to TryParseExact.</summary>
    private static DateOnly? IsoDate(ReadOnlySpan<char> s)
    {
        if (s.Length != 10 || s[4] != '-' || s[7] != '-')
        {
            return null;
        }
        int Digits(ReadOnlySpan<char> d)
        {
            var n = 0;
            foreach (var c in d)
            {
                if (!char.IsAsciiDigit(c))
                {
                    return -1;
                }
                n = n * 10 + (c - '0');
            }
            return n;
        }
        var (year, month, day) = (Digits(s[..4]), Digits(s[5..7]), Digits(s[8..]));
        return year >= 1 && month is >= 1 and <= 12 && day >= 1 && day <= DateTime.DaysInMonth(year, month) ? new DateOnly(year, month, day) : null;
    }

    /// <summary>An amount in yuan: at least zero, at most two decimals.</summary>
    public decimal Amount(int column)
    {
        var value = row.Span(column);
        if (value.IsEmpty)
        {
            Fail(column, FieldReasons.Required, "Required (an amount in yuan).");
            return 0;
        }
        if (!decimal.TryParse(value, NumberStyles.AllowDecimalPoint | NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out var amount))
        {
            Fail(column, FieldReasons.NotAnAmount, $"'{Short(value.ToString())}' is not an amount.");
            return 0;
        }
        if (amount < 0 || amount >= 1_000_000_000_000m || decimal.Round(amount, 2) != amount)
        {
            Fail(column, FieldReasons.OutOfRange, $"{value} is out of range: from 0 to under a trillion yuan, with at most two decimals.");
            return 0;
        }
        return amount;
    }

    private static string Short(string value) => value.Length <= 40 ? value : value[..40] + "…";
}
