using BankClientele.Contracts.Acquisition;
using BankClientele.Contracts.CustomerCare;
using BankClientele.FootTraffic.Visits;
using BankClientele.Hosting.Messaging;
using BankClientele.Hosting.Privacy;
using MassTransit;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;

namespace BankClientele.FootTraffic.Lobby;

/// <summary>A prospect opened an account: credit the walk-in (same phone) and the lobby event they came through.</summary>
public sealed class ProspectConvertedConsumer(FootTrafficDbContext db, PersonalDataHash hashes) : InboxConsumer<ProspectConverted, FootTrafficDbContext>(db)
{
    protected override async Task HandleAsync(ProspectConverted message, ConsumeContext<ProspectConverted> context)
    {
        var ct = context.CancellationToken;
        var hash = hashes.Phone(message.Phone);
        var walkIns = hash is null ? [] : await Db.WalkIns.Where(w => w.PhoneHash == hash && w.ConvertedCustomerId == null)
            .Select(w => new LobbyAttribution.CapturedWalkIn(w.Id, w.PhoneHash, w.LobbyEventId, w.IdentifiedAt)).ToListAsync(ct);
        var invitations = await Db.LobbyInvitations.Where(i => i.ProspectId == message.ProspectId)
            .Join(Db.LobbyEvents, i => i.LobbyEventId, e => e.Id, (i, e) => new LobbyAttribution.InvitedProspect(e.Id, message.ProspectId, e.StartsAt)).ToListAsync(ct);
        var (walkInId, eventId) = LobbyAttribution.ForConversion(message.ProspectId, hash, message.ConvertedAt, walkIns, invitations);
        if (walkInId is { } id && await Db.WalkIns.FindAsync([id], ct) is { } walkIn)
        {
            walkIn.ConvertedCustomerId = message.CustomerId;
            walkIn.ConvertedAt = message.ConvertedAt;
            walkIn.InitialDeposit = message.InitialDeposit;
        }
        if (eventId is { } lobbyEventId && !await Db.LobbyOutcomes.AnyAsync(o => o.Id == message.ProspectId && o.Kind == LobbyOutcome.AccountOpened, ct))
        {
            var branch = await Db.LobbyEvents.Where(e => e.Id == lobbyEventId).Select(e => e.BranchCode).FirstAsync(ct);
            Db.LobbyOutcomes.Add(new LobbyOutcome
            {
                Id = message.ProspectId, LobbyEventId = lobbyEventId, BranchCode = branch, Kind = LobbyOutcome.AccountOpened,
                CustomerId = message.CustomerId, Amount = message.InitialDeposit, At = message.ConvertedAt,
            });
        }
    }
}

/// <summary>A customer accepted a bundle: credit the event it names, or the event they attended within the window.</summary>
public sealed class BundleAcceptedConsumer(FootTrafficDbContext db, IOptions<FootTrafficOptions> options) : InboxConsumer<BundleAccepted, FootTrafficDbContext>(db)
{
    protected override async Task HandleAsync(BundleAccepted message, ConsumeContext<BundleAccepted> context)
    {
        var ct = context.CancellationToken;
        var attended = message.LobbyEventId is not null ? [] : await Db.LobbyAttendances.Where(a => a.CustomerId == message.CustomerId)
            .Select(a => new LobbyAttribution.Attended(a.LobbyEventId, message.CustomerId, a.CheckedInAt)).ToListAsync(ct);
        var eventId = LobbyAttribution.ForBundle(message.LobbyEventId, message.CustomerId, message.AcceptedAt, attended, TimeSpan.FromDays(options.Value.LobbyAttributionDays));
        if (eventId is not { } lobbyEventId
            || await Db.LobbyEvents.Where(e => e.Id == lobbyEventId).Select(e => e.BranchCode).FirstOrDefaultAsync(ct) is not { } branch
            || await Db.LobbyOutcomes.AnyAsync(o => o.Id == message.OfferId && o.Kind == LobbyOutcome.ProductSold, ct))
        {
            return;
        }
        Db.LobbyOutcomes.Add(new LobbyOutcome
        {
            Id = message.OfferId, LobbyEventId = lobbyEventId, BranchCode = branch, Kind = LobbyOutcome.ProductSold,
            CustomerId = message.CustomerId, Amount = message.Amount, At = message.AcceptedAt,
        });
    }
}
