using BankClientele.Hosting.Privacy;

namespace BankClientele.Portal.Exports;

/// <summary>
/// What a cell of an exported file may hold. A spreadsheet runs a cell that starts with = + - @
/// (or a tab or carriage return, which some programs strip first) as a formula: such text gets a
/// leading apostrophe, so it shows as written and runs nothing (CSV injection). Numbers, dates and
/// booleans stay what they are. Numbers in free text are masked on the way out.
/// </summary>
public static class ExportCells
{
    private static readonly char[] FormulaStarts = ['=', '+', '-', '@', '\t', '\r'];

    public static object? Safe(object? value) => value is string text ? SafeText(text) : value;

    public static string SafeText(string text)
    {
        var masked = FreeText.MaskNumbers(text)!;
        return masked.Length > 0 && Array.IndexOf(FormulaStarts, masked[0]) >= 0 ? "'" + masked : masked;
    }

    public static object?[] SafeRow(object?[] values) => Array.ConvertAll(values, Safe);
}
