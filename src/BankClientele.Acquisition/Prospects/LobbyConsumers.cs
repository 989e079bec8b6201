using BankClientele.Contracts.FootTraffic;
using BankClientele.Hosting.Messaging;
using BankClientele.Hosting.Privacy;
using MassTransit;
using Microsoft.EntityFrameworkCore;

namespace BankClientele.Acquisition.Prospects;

/// <summary>
/// A walk-in who consented in the lobby becomes (or touches) a prospect of the lobby channel, with that
/// consent. Only the phone's hash travels: a new lead has no name or phone until staff record them.
/// </summary>
public sealed class WalkInIdentifiedV2Consumer(AcquisitionDbContext db, PersonalDataHash hash)
    : InboxConsumer<WalkInIdentifiedAsProspectV2, AcquisitionDbContext>(db)
{
    protected override async Task HandleAsync(WalkInIdentifiedAsProspectV2 message, ConsumeContext<WalkInIdentifiedAsProspectV2> context) =>
        await WalkInLeads.ArriveAsync(Db, hash, message, context.CancellationToken);
}

#pragma warning disable CS0618 // reads the old contract, queued before the upgrade
/// <summary>WalkInIdentifiedAsProspect queued before the upgrade, taken as its V2 (the name and phone dropped).</summary>
public sealed class WalkInIdentifiedConsumer(AcquisitionDbContext db, PersonalDataHash hash)
    : InboxConsumer<WalkInIdentifiedAsProspect, AcquisitionDbContext>(db)
{
    protected override async Task HandleAsync(WalkInIdentifiedAsProspect message, ConsumeContext<WalkInIdentifiedAsProspect> context) =>
        await WalkInLeads.ArriveAsync(Db, hash, message.ToV2(hash), context.CancellationToken);
}
#pragma warning restore CS0618

internal static class WalkInLeads
{
    // The walk-in's id becomes the new prospect's id, so FootTraffic can invite it by that id.
    public static Task<IntakeResult> ArriveAsync(AcquisitionDbContext db, PersonalDataHash hash, WalkInIdentifiedAsProspectV2 message, CancellationToken ct) =>
        ProspectIntake.ArriveAsync(db, hash, new Arrival(
            "", "", null, message.BranchCode, null, "lobby", message.GreeterStaffId, message.IdentifiedAt,
            Tags: message.Interest, MarketingConsent: new ConsentGiven("lobby", message.ConsentWording),
            PhoneHash: message.PhoneHash.Length > 0 ? message.PhoneHash : null), message.WalkInId, ct);
}

/// <summary>An invitation to a lobby event is a touch of the invited prospect.</summary>
public sealed class LobbyInvitationConsumer(AcquisitionDbContext db) : InboxConsumer<LobbyEventInvitationIssued, AcquisitionDbContext>(db)
{
    protected override async Task HandleAsync(LobbyEventInvitationIssued message, ConsumeContext<LobbyEventInvitationIssued> context)
    {
        if (message.ProspectId is { } id && await Db.Prospects.AnyAsync(p => p.Id == id, context.CancellationToken))
        {
            Db.ProspectTouches.Add(new ProspectTouch
            {
                Id = Guid.CreateVersion7(), ProspectId = id, Channel = "lobby-invitation", BranchCode = message.BranchCode,
                At = message.IssuedAt, Note = FreeText.MaskNumbers(message.Theme),
            });
        }
    }
}

/// <summary>Attending a lobby event is a touch of the prospect (invited, or the walk-in who became one).</summary>
public sealed class LobbyAttendanceConsumer(AcquisitionDbContext db) : InboxConsumer<LobbyEventAttended, AcquisitionDbContext>(db)
{
    protected override async Task HandleAsync(LobbyEventAttended message, ConsumeContext<LobbyEventAttended> context)
    {
        var id = message.ProspectId ?? message.WalkInId;
        if (id is { } prospectId && await Db.Prospects.AnyAsync(p => p.Id == prospectId, context.CancellationToken))
        {
            Db.ProspectTouches.Add(new ProspectTouch
            {
                Id = Guid.CreateVersion7(), ProspectId = prospectId, Channel = "lobby-event", BranchCode = message.BranchCode,
                At = message.CheckedInAt,
            });
        }
    }
}
