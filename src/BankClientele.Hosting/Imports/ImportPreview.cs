using BankClientele.Hosting.Privacy;

namespace BankClientele.Hosting.Imports;

/// <summary>A row of a file as an importer read it: its line (the header is line 1) and its fields by column.</summary>
public sealed record PreviewRow(int Line, IReadOnlyDictionary<string, string?> Fields);

/// <summary>
/// The first rows of a file as an importer read them (trimmed, empty as null), for a dry run's answer
/// (<c>?dryRun=true</c>): the person checks the columns landed where they meant before applying.
/// Names, phones and ID numbers are masked like every other answer; the file is theirs, but the
/// answer is still a screen others may see.
/// </summary>
public sealed class ImportPreview(IReadOnlyList<string> columns, int maxRows = 5)
{
    private readonly List<PreviewRow> rows = [];

    public IReadOnlyList<string> Columns => columns;

    public IReadOnlyList<PreviewRow> Rows => rows;

    /// <summary>Whether the next row is still wanted: callers skip building the fields once it is full.</summary>
    public bool Wants => rows.Count < maxRows;

    /// <summary>Notes a row as read; <paramref name="field"/> gives column i's text.</summary>
    public void Add(int line, Func<int, string?> field)
    {
        if (!Wants)
        {
            return;
        }
        var fields = new Dictionary<string, string?>(columns.Count, StringComparer.Ordinal);
        for (var i = 0; i < columns.Count; i++)
        {
            fields[columns[i]] = Mask(columns[i], field(i));
        }
        rows.Add(new PreviewRow(line, fields));
    }

    private static string? Mask(string column, string? value) => value is null ? null : column switch
    {
        "full_name" => PersonalData.MaskName(value),
        "phone" => PersonalData.MaskPhone(value),
        "id_number" or "account_number" => PersonalData.MaskNumber(value),
        _ => value,
    };
}
