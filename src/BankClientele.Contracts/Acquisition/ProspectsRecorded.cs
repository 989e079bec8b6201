namespace BankClientele.Contracts.Acquisition;

/// <summary>
/// New prospects of <paramref name="BranchCode"/> were recorded (by staff, a list import or a lobby
/// walk-in): their ids only, so another service can tell whose branch a prospect id belongs to (FootTraffic
/// invites only its own branch's prospects to a lobby event). A list import sends its new prospects in
/// chunks of up to 5,000 ids per branch. A prospect's branch never changes.
/// </summary>
public sealed record ProspectsRecorded(
    string BranchCode,
    IReadOnlyList<Guid> ProspectIds,
    DateTimeOffset RecordedAt);
