using BankClientele.Portal.Imports;
using BankClientele.Portal.Localization;
using static BankClientele.Portal.Localization.Text;

namespace BankClientele.Portal.Exports;

/// <summary>
/// An import's bad rows as a table to download: line, field and the problem as the page words them, so a person can fix the file.
/// The outcome exists only in the answer to the upload (nothing is kept to fetch again), so the page carries
/// the files in its links as <c>data:</c> addresses (<see cref="ExportEndpoints.DataUrlAsync"/>), written with
/// the same cells as every export.
/// </summary>
public static class ImportProblemExports
{
    public static ExportTable Table(ImportOutcome outcome) =>
        new($"import-problems-{outcome.Kind}", [T("Imports.Line"), T("Imports.Field"), T("Imports.Problem")],
            outcome.Problems.Select(p => new object?[] { p.Line, RefusalWords.Label(p.Field), RefusalWords.Reason(p.Code, p.Message) }).ToList());
}
