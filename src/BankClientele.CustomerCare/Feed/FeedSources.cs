using System.Runtime.CompilerServices;
using System.Text;
using System.Text.Json;
using Sylvan.Data.Csv;

namespace BankClientele.CustomerCare.Feed;

/// <summary>One row of a feed, its fields by column (in the order of the feed kind's columns).</summary>
public interface IFeedRow
{
    /// <summary>The line of a CSV file (the header is line 1), or the item of a JSON array (from 1).</summary>
    int Line { get; }

    /// <summary>The field's text, trimmed; null when absent or empty.</summary>
    string? this[int column] { get; }

    /// <summary>The same text as a span (empty when absent), read without allocating where the source allows.</summary>
    ReadOnlySpan<char> Span(int column) => this[column].AsSpan();
}

/// <summary>A feed's rows read as they stream in: CSV (read with Sylvan.Data.Csv) or a JSON array.</summary>
public static class FeedSources
{
    /// <summary>Header names in CSV; in JSON the same names in camelCase (customer_number → customerNumber).</summary>
    public static string JsonName(string column)
    {
        var name = new StringBuilder(column.Length);
        var upper = false;
        foreach (var ch in column)
        {
            if (ch == '_')
            {
                upper = true;
                continue;
            }
            name.Append(upper ? char.ToUpperInvariant(ch) : ch);
            upper = false;
        }
        return name.ToString();
    }

    /// <summary>The columns missing from a CSV header, or an empty list.</summary>
    public static async IAsyncEnumerable<IFeedRow> ReadCsvAsync(
        Stream body, IReadOnlyList<string> columns, List<string> missingColumns, [EnumeratorCancellation] CancellationToken ct)
    {
        using var text = new StreamReader(body, Encoding.UTF8, detectEncodingFromByteOrderMarks: true, bufferSize: 1 << 16);
        await using var csv = await CsvDataReader.CreateAsync(text, new CsvDataReaderOptions
        {
            HasHeaders = true,
            HeaderComparer = StringComparer.OrdinalIgnoreCase,
            BufferSize = 1 << 16,
        }, ct);
        var header = Enumerable.Range(0, csv.FieldCount).GroupBy(i => csv.GetName(i).Trim(), StringComparer.OrdinalIgnoreCase)
            .ToDictionary(g => g.Key, g => g.First(), StringComparer.OrdinalIgnoreCase);
        var ordinals = columns.Select(c => header.GetValueOrDefault(c, -1)).ToArray();
        // A column that is required but absent is reported once by the caller, not on every row.
        missingColumns.AddRange(columns.Where((_, i) => ordinals[i] < 0));
        var row = new CsvRow(csv, ordinals);
        while (await csv.ReadAsync(ct))
        {
            row.Line++;
            yield return row;
        }
    }

    public static async IAsyncEnumerable<IFeedRow> ReadJsonAsync(
        Stream body, IReadOnlyList<string> columns, [EnumeratorCancellation] CancellationToken ct)
    {
        var names = columns.Select(JsonName).ToArray();
        var line = 0;
        await foreach (var element in JsonSerializer.DeserializeAsyncEnumerable<JsonElement>(body, cancellationToken: ct))
        {
            line++;
            yield return new JsonRow(element, names, line);
        }
    }

    private sealed class CsvRow(CsvDataReader csv, int[] ordinals) : IFeedRow
    {
        // The header is line 1; this counts records (a quoted field with a line break is one record).
        public int Line { get; set; } = 1;

        public string? this[int column]
        {
            get
            {
                var ordinal = ordinals[column];
                if (ordinal < 0 || ordinal >= csv.RowFieldCount)
                {
                    return null;
                }
                var value = csv.GetFieldSpan(ordinal).Trim();
                return value.IsEmpty ? null : value.ToString();
            }
        }

        public ReadOnlySpan<char> Span(int column)
        {
            var ordinal = ordinals[column];
            return ordinal < 0 || ordinal >= csv.RowFieldCount ? default : csv.GetFieldSpan(ordinal).Trim();
        }
    }

    private sealed class JsonRow(JsonElement element, string[] names, int line) : IFeedRow
    {
        public int Line => line;

        public string? this[int column]
        {
            get
            {
                if (element.ValueKind != JsonValueKind.Object || !element.TryGetProperty(names[column], out var value))
                {
                    return null;
                }
                var text = value.ValueKind switch
                {
                    JsonValueKind.String => value.GetString(),
                    JsonValueKind.Null or JsonValueKind.Undefined => null,
                    JsonValueKind.Array => string.Join('|', value.EnumerateArray().Select(v => v.ToString())),
                    _ => value.GetRawText(),
                };
                return string.IsNullOrWhiteSpace(text) ? null : text.Trim();
            }
        }
    }
}
