using Microsoft.EntityFrameworkCore;

namespace BankClientele.FootTraffic.Lobby;

/// <summary>
/// Works out (again) which walk-in and lobby event a kept conversion is credited to, from every fact
/// known now, and writes the answer: the walk-in marked converted, one account outcome for the event.
/// Called when the conversion arrives and whenever a walk-in or an attendance it may depend on is
/// recorded, so the credit does not depend on which of them came first; the outcome is keyed by the
/// prospect, so it is counted once and moves rather than doubles when a better-placed fact arrives.
/// </summary>
public static class ConversionCredit
{
    /// <summary>
    /// Serialises the writers of one person's credit (the conversion, their walk-in, their attendance) within
    /// the current transaction, so that two of them committing at once cannot each miss the other.
    /// </summary>
    public static async Task LockAsync(FootTrafficDbContext db, string key, CancellationToken ct) =>
        await db.Database.ExecuteSqlAsync($"SELECT pg_advisory_xact_lock(hashtextextended({"conversion:" + key}, 0))", ct);

    /// <summary>Conversions that a walk-in with this phone, or an attendance of this prospect, may change.</summary>
    public static async Task ReconsiderAsync(FootTrafficDbContext db, string? phoneHash, Guid? prospectId, CancellationToken ct)
    {
        var conversions = await db.ProspectConversions
            .Where(c => (phoneHash != null && c.PhoneHash == phoneHash) || (prospectId != null && c.ProspectId == prospectId))
            .ToListAsync(ct);
        foreach (var conversion in conversions)
        {
            await ApplyAsync(db, conversion, ct);
        }
    }

    public static async Task ApplyAsync(FootTrafficDbContext db, ProspectConversion conversion, CancellationToken ct)
    {
        var walkIns = conversion.PhoneHash is null ? [] : await db.WalkIns
            .Where(w => w.PhoneHash == conversion.PhoneHash && (w.ConvertedCustomerId == null || w.Id == conversion.WalkInId))
            .Select(w => new LobbyAttribution.CapturedWalkIn(w.Id, w.PhoneHash, w.LobbyEventId, w.IdentifiedAt)).ToListAsync(ct);
        var walkInIds = walkIns.Select(w => w.WalkInId).ToList();
        var attendances = await db.LobbyAttendances
            .Where(a => a.ProspectId == conversion.ProspectId || (a.WalkInId != null && walkInIds.Contains(a.WalkInId.Value)))
            .Select(a => new LobbyAttribution.AttendedAsProspect(a.LobbyEventId, a.ProspectId, a.WalkInId, a.CheckedInAt)).ToListAsync(ct);
        var invitations = await db.LobbyInvitations.Where(i => i.ProspectId == conversion.ProspectId)
            .Join(db.LobbyEvents, i => i.LobbyEventId, e => e.Id, (i, e) => new LobbyAttribution.InvitedProspect(e.Id, conversion.ProspectId, e.StartsAt)).ToListAsync(ct);
        var (walkInId, eventId) = LobbyAttribution.ForConversion(conversion.ProspectId, conversion.PhoneHash, conversion.ConvertedAt, walkIns, invitations, attendances);

        if (walkInId != conversion.WalkInId)
        {
            if (conversion.WalkInId is { } previous && await db.WalkIns.FindAsync([previous], ct) is { } before)
            {
                before.ConvertedCustomerId = null;
                before.ConvertedAt = null;
                before.InitialDeposit = null;
            }
            if (walkInId is { } id && await db.WalkIns.FindAsync([id], ct) is { } walkIn)
            {
                walkIn.ConvertedCustomerId = conversion.CustomerId;
                walkIn.ConvertedAt = conversion.ConvertedAt;
                walkIn.InitialDeposit = conversion.InitialDeposit;
            }
            conversion.WalkInId = walkInId;
        }

        conversion.LobbyEventId = eventId;
        var outcome = await db.LobbyOutcomes.FirstOrDefaultAsync(o => o.Id == conversion.ProspectId && o.Kind == LobbyOutcome.AccountOpened, ct);
        if (eventId is not { } lobbyEventId)
        {
            return; // facts only accumulate, so an event once credited stays credited
        }
        var branch = await db.LobbyEvents.Where(e => e.Id == lobbyEventId).Select(e => e.BranchCode).FirstAsync(ct);
        if (outcome is null)
        {
            db.LobbyOutcomes.Add(new LobbyOutcome
            {
                Id = conversion.ProspectId, LobbyEventId = lobbyEventId, BranchCode = branch, Kind = LobbyOutcome.AccountOpened,
                CustomerId = conversion.CustomerId, Amount = conversion.InitialDeposit, At = conversion.ConvertedAt,
            });
        }
        else if (outcome.LobbyEventId != lobbyEventId)
        {
            outcome.LobbyEventId = lobbyEventId;
            outcome.BranchCode = branch;
        }
    }
}
