namespace BankClientele.FootTraffic.Lobby;

/// <summary>
/// Which lobby event (and walk-in) a conversion or a sale is credited to. Rules: a bundle names its
/// event, or else goes to the last event the customer attended within the window before accepting; an
/// account opening goes to the walk-in with the same phone captured before it (and that walk-in's
/// event, else the last event that walk-in attended), else to the last event the prospect attended,
/// else to the last event that invited the prospect. Only facts dated at or before the conversion
/// count, whatever order they arrive in, so the answer is the same for any order of arrival.
/// </summary>
public static class LobbyAttribution
{
    public sealed record Attended(Guid LobbyEventId, Guid CustomerId, DateTimeOffset CheckedInAt);
    public sealed record CapturedWalkIn(Guid WalkInId, string PhoneHash, Guid? LobbyEventId, DateTimeOffset IdentifiedAt);
    public sealed record InvitedProspect(Guid LobbyEventId, Guid ProspectId, DateTimeOffset StartsAt);
    /// <summary>An attendance of a prospect or of a captured walk-in.</summary>
    public sealed record AttendedAsProspect(Guid LobbyEventId, Guid? ProspectId, Guid? WalkInId, DateTimeOffset CheckedInAt);

    public static Guid? ForBundle(Guid? namedEvent, Guid customerId, DateTimeOffset acceptedAt, IEnumerable<Attended> attendances, TimeSpan window) =>
        namedEvent ?? attendances
            .Where(a => a.CustomerId == customerId && a.CheckedInAt <= acceptedAt && acceptedAt - a.CheckedInAt <= window)
            .OrderByDescending(a => a.CheckedInAt)
            .Select(a => (Guid?)a.LobbyEventId)
            .FirstOrDefault();

    public static (Guid? WalkInId, Guid? LobbyEventId) ForConversion(
        Guid prospectId, string? phoneHash, DateTimeOffset convertedAt, IEnumerable<CapturedWalkIn> walkIns, IEnumerable<InvitedProspect> invitations,
        IEnumerable<AttendedAsProspect>? attendances = null)
    {
        var attended = (attendances ?? []).Where(a => a.CheckedInAt <= convertedAt).OrderByDescending(a => a.CheckedInAt).ThenBy(a => a.LobbyEventId).ToList();
        var walkIn = phoneHash is null ? null : walkIns
            .Where(w => w.PhoneHash == phoneHash && w.IdentifiedAt <= convertedAt)
            .OrderByDescending(w => w.IdentifiedAt).ThenBy(w => w.WalkInId)
            .FirstOrDefault();
        var walkInAttended = walkIn is null ? null : attended.Where(a => a.WalkInId == walkIn.WalkInId).Select(a => (Guid?)a.LobbyEventId).FirstOrDefault();
        var prospectAttended = attended.Where(a => a.ProspectId == prospectId).Select(a => (Guid?)a.LobbyEventId).FirstOrDefault();
        var invited = invitations
            .Where(i => i.ProspectId == prospectId && i.StartsAt <= convertedAt)
            .OrderByDescending(i => i.StartsAt).ThenBy(i => i.LobbyEventId)
            .Select(i => (Guid?)i.LobbyEventId)
            .FirstOrDefault();
        return (walkIn?.WalkInId, walkIn?.LobbyEventId ?? walkInAttended ?? prospectAttended ?? invited);
    }
}
