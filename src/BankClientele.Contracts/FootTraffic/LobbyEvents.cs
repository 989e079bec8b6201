namespace BankClientele.Contracts.FootTraffic;

/// <summary>
/// A lobby event (厅堂活动) invitation: an existing customer (<paramref name="CustomerId"/>) becomes a
/// revisit task for their manager in CustomerCare; a prospect (<paramref name="ProspectId"/>) a lead in Acquisition.
/// <paramref name="CampaignCode"/> (optional, added later): the campaign the event is held for, whose holdout is never invited.
/// </summary>
public sealed record LobbyEventInvitationIssued(
    Guid InvitationId,
    Guid LobbyEventId,
    string BranchCode,
    string Theme,
    DateTimeOffset StartsAt,
    DateTimeOffset EndsAt,
    Guid? CustomerId,
    Guid? ProspectId,
    DateTimeOffset IssuedAt,
    string? CampaignCode = null);

/// <summary>Someone checked in at a lobby event: a customer, an invited prospect, or a walk-in.</summary>
public sealed record LobbyEventAttended(
    Guid AttendanceId,
    Guid LobbyEventId,
    string BranchCode,
    Guid? CustomerId,
    Guid? ProspectId,
    Guid? WalkInId,
    DateTimeOffset CheckedInAt);
