using System.Text;
using BankClientele.Portal.Exports;
using MiniExcelLibs;

// Outside BankClientele.Hosting.Tests on purpose: that namespace's set-up fixture starts the services, and these need none.
namespace BankClientele.Privacy;

/// <summary>Exported text that a spreadsheet would run as a formula is neutralised; numbers stay numbers.</summary>
public sealed class ExportCellTests
{
    private static readonly string[] Formulas = ["=HYPERLINK(\"http://x\",\"y\")", "+1+1", "-2+3", "@SUM(A1)", "\t=1", "\r=1"];

    private static ExportTable Table() =>
        new("cells", ["Text", "Amount"], [.. Formulas.Select((f, i) => new object?[] { f, -1234.5m - i }), ["plain", 42]]);

    [Test]
    public async Task A_csv_cell_starting_with_a_formula_character_gets_a_leading_apostrophe()
    {
        using var file = await ExportEndpoints.WriteAsync(Table(), "csv", CancellationToken.None);
        var csv = Encoding.UTF8.GetString(file.ToArray());
        foreach (var formula in Formulas)
        {
            Assert.That(csv, Does.Contain("'" + formula.Replace("\"", "\"\"", StringComparison.Ordinal)), formula);
        }
        Assert.That(csv, Does.Contain("-1234.5").And.Contain("plain").And.Not.Contain("'plain").And.Not.Contain("'-1234"), "numbers stay numbers");
    }

    [Test]
    public async Task An_xlsx_cell_starting_with_a_formula_character_gets_a_leading_apostrophe_and_numbers_stay_numbers()
    {
        using var file = await ExportEndpoints.WriteAsync(Table(), "xlsx", CancellationToken.None);
        var rows = MiniExcel.Query(file, useHeaderRow: true).Cast<IDictionary<string, object?>>().ToList();
        // XML reads a carriage return back as a line feed: the apostrophe in front is what counts.
        Assert.That(rows.Take(Formulas.Length).Select(r => r["Text"]), Is.EqualTo(Formulas.Select(f => ("'" + f).Replace('\r', '\n'))));
        Assert.That(rows[0]["Amount"], Is.TypeOf<double>().And.EqualTo(-1234.5), "a negative number is a number, not text");
        Assert.That(rows[^1]["Text"], Is.EqualTo("plain"));
    }

    [TestCase("=1+1", "'=1+1")]
    [TestCase("-", "'-")]
    [TestCase("a=b", "a=b")]
    [TestCase("", "")]
    public void Safe_text(string value, string expected) => Assert.That(ExportCells.SafeText(value), Is.EqualTo(expected));

    [Test]
    public void Non_text_values_are_returned_as_they_are() =>
        Assert.That(ExportCells.SafeRow([-5m, 3, null, new DateOnly(2026, 1, 1), true]), Is.EqualTo(new object?[] { -5m, 3, null, new DateOnly(2026, 1, 1), true }));
}
