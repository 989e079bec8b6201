namespace BankClientele.FootTraffic.Lobby;

/// <summary>
/// Which lobby event (and walk-in) a conversion or a sale is credited to. Rules: a bundle names its
/// event, or else goes to the last event the customer attended within the window before accepting; an
/// account opening goes to the walk-in with the same phone captured before it (and that walk-in's
/// event), else to the last event that invited the prospect.
/// </summary>
public static class LobbyAttribution
{
    public sealed record Attended(Guid LobbyEventId, Guid CustomerId, DateTimeOffset CheckedInAt);
    public sealed record CapturedWalkIn(Guid WalkInId, string PhoneHash, Guid? LobbyEventId, DateTimeOffset IdentifiedAt);
    public sealed record InvitedProspect(Guid LobbyEventId, Guid ProspectId, DateTimeOffset StartsAt);

    public static Guid? ForBundle(Guid? namedEvent, Guid customerId, DateTimeOffset acceptedAt, IEnumerable<Attended> attendances, TimeSpan window) =>
        namedEvent ?? attendances
            .Where(a => a.CustomerId == customerId && a.CheckedInAt <= acceptedAt && acceptedAt - a.CheckedInAt <= window)
            .OrderByDescending(a => a.CheckedInAt)
            .Select(a => (Guid?)a.LobbyEventId)
            .FirstOrDefault();

    public static (Guid? WalkInId, Guid? LobbyEventId) ForConversion(
        Guid prospectId, string? phoneHash, DateTimeOffset convertedAt, IEnumerable<CapturedWalkIn> walkIns, IEnumerable<InvitedProspect> invitations)
    {
        var walkIn = phoneHash is null ? null : walkIns
            .Where(w => w.PhoneHash == phoneHash && w.IdentifiedAt <= convertedAt)
            .OrderByDescending(w => w.IdentifiedAt)
            .FirstOrDefault();
        var invited = invitations
            .Where(i => i.ProspectId == prospectId && i.StartsAt <= convertedAt)
            .OrderByDescending(i => i.StartsAt)
            .Select(i => (Guid?)i.LobbyEventId)
            .FirstOrDefault();
        return (walkIn?.WalkInId, walkIn?.LobbyEventId ?? invited);
    }
}
