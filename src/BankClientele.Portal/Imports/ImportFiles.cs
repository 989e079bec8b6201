using System.Globalization;
using System.Text;
using MiniExcelLibs;

namespace BankClientele.Portal.Imports;

/// <summary>
/// An uploaded file as the CSV the services' import endpoints read. A CSV goes through untouched; an xlsx
/// (the first sheet, its first row the header) is read with MiniExcel, the library the exports write
/// with, and written out as CSV row for row, so a sheet's row N is the CSV's line N and the service's
/// "line N" points at the same row the person sees in Excel.
/// </summary>
public static class ImportFiles
{
    public const string CsvContentType = "text/csv";

    public static bool IsXlsx(string fileName) => fileName.EndsWith(".xlsx", StringComparison.OrdinalIgnoreCase);

    public static bool IsCsv(string fileName) => fileName.EndsWith(".csv", StringComparison.OrdinalIgnoreCase);

    /// <summary>The file's bytes as CSV (UTF-8).</summary>
    public static async Task<byte[]> ToCsvAsync(IFormFile file, CancellationToken ct)
    {
        await using var upload = file.OpenReadStream();
        var buffered = new MemoryStream();
        await upload.CopyToAsync(buffered, ct);
        if (!IsXlsx(file.FileName))
        {
            return buffered.ToArray();
        }
        buffered.Position = 0;
        return XlsxToCsv(buffered);
    }

    /// <summary>The first sheet as CSV: the header row's names, then each row's cells as text the services read.</summary>
    public static byte[] XlsxToCsv(Stream xlsx)
    {
        // useHeaderRow: false keeps the columns by letter (A, B, …) and empty rows in place, so lines stay aligned.
        var rows = MiniExcel.Query(xlsx, useHeaderRow: false, excelType: ExcelType.XLSX)
            .Cast<IDictionary<string, object?>>()
            .ToList();
        var text = new StringBuilder();
        var width = rows.Count == 0 ? 0 : rows[0].Keys.Count;
        foreach (var row in rows)
        {
            var cells = row.Values.Take(width).Select(Cell);
            text.Append(string.Join(',', cells)).Append('\n');
        }
        return new UTF8Encoding(false).GetBytes(text.ToString());
    }

    /// <summary>A cell as the services expect it: dates ISO (a time without an offset is branch time), numbers invariant.</summary>
    private static string Cell(object? value) => Quote(value switch
    {
        null => "",
        DateTime { TimeOfDay.Ticks: 0 } day => day.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture),
        DateTime at => at.ToString("yyyy-MM-dd'T'HH:mm:ss", CultureInfo.InvariantCulture),
        DateTimeOffset at => at.ToString("yyyy-MM-dd'T'HH:mm:sszzz", CultureInfo.InvariantCulture),
        double number => number.ToString("0.##########", CultureInfo.InvariantCulture), // a phone typed as a number stays 13812345678
        decimal number => number.ToString(CultureInfo.InvariantCulture),
        IFormattable other => other.ToString(null, CultureInfo.InvariantCulture),
        _ => value.ToString() ?? "",
    });

    private static string Quote(string field) =>
        field.AsSpan().IndexOfAny(",\"\r\n") >= 0 ? "\"" + field.Replace("\"", "\"\"", StringComparison.Ordinal) + "\"" : field;
}
