namespace BankClientele.Contracts.FootTraffic;

/// <summary>
/// A walk-in who is not a customer consented to be contacted: Acquisition makes them a lobby lead.
/// The phone travels (the greeter captured it with consent); Acquisition stores it hashed for matching.
/// </summary>
/// <param name="ConsentWording">The exact wording the visitor agreed to, as PIPL asks.</param>
/// <remarks>Carries the name and phone: replaced by <see cref="WalkInIdentifiedAsProspectV2"/>, kept to read messages queued before the upgrade.</remarks>
[Obsolete("Carries the name and phone; publish WalkInIdentifiedAsProspectV2. Kept to read messages queued before the upgrade.")]
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

/// <summary>
/// A walk-in who is not a customer consented to be contacted: Acquisition makes them a lobby lead,
/// known by the walk-in's id and the keyed hash of their phone (to merge with a prospect of the same
/// phone, or to leave out an existing customer). Name and phone are not sent (FootTraffic keeps them
/// masked): the lead is worked by the walk-in's id until staff record the contact in Acquisition.
/// </summary>
/// <param name="PhoneHash">Keyed hash of the normalised phone (Hosting's PersonalDataHash).</param>
/// <param name="ConsentWording">The exact wording the visitor agreed to, as PIPL asks.</param>
public sealed record WalkInIdentifiedAsProspectV2(
    Guid WalkInId,
    string BranchCode,
    string PhoneHash,
    string? Interest,
    string? GreeterStaffId,
    Guid? LobbyEventId,
    string ConsentWording,
    DateTimeOffset ConsentedAt,
    DateTimeOffset IdentifiedAt);
