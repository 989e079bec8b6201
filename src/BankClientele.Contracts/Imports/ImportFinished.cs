namespace BankClientele.Contracts.Imports;

/// <summary>
/// A file import was applied (not a dry run, not refused): the person who ran it is told in the
/// portal's inbox, since a large file may finish after they have left the page. Counts and codes only.
/// </summary>
/// <param name="Kind">customers, prospects or visits (the imports page's kinds).</param>
/// <param name="StaffId">Who ran the import (from their token).</param>
/// <param name="BranchCode">The importer's branch; empty for head office and administrators.</param>
/// <param name="Rows">Rows read from the file.</param>
public sealed record ImportFinished(
    Guid ImportId,
    string Kind,
    string StaffId,
    string BranchCode,
    int Rows,
    DateTimeOffset FinishedAt);
