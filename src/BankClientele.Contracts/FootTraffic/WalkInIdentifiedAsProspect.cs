namespace BankClientele.Contracts.FootTraffic;

/// <summary>
/// A walk-in who is not a customer consented to be contacted: Acquisition makes them a lobby lead.
/// The phone travels (the greeter captured it with consent); Acquisition stores it hashed for matching.
/// </summary>
/// <param name="ConsentWording">The exact wording the visitor agreed to, as PIPL asks.</param>
public sealed record WalkInIdentifiedAsProspect(
    Guid WalkInId,
    string BranchCode,
    string FullName,
    string Phone,
    string? Interest,
    string? GreeterStaffId,
    Guid? LobbyEventId,
    string ConsentWording,
    DateTimeOffset ConsentedAt,
    DateTimeOffset IdentifiedAt);
