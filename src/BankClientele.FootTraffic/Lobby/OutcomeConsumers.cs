using BankClientele.Contracts.Acquisition;
using BankClientele.Contracts.CustomerCare;
using BankClientele.FootTraffic.Visits;
using BankClientele.Hosting.Messaging;
using BankClientele.Hosting.Privacy;
using MassTransit;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;

namespace BankClientele.FootTraffic.Lobby;

/// <summary>
/// A prospect opened an account: keep the conversion and credit the walk-in (same phone) and the lobby
/// event they came through; a walk-in or attendance recorded later credits it then (<see cref="ConversionCredit"/>).
/// </summary>
public sealed class ProspectConvertedV2Consumer(FootTrafficDbContext db) : InboxConsumer<ProspectConvertedV2, FootTrafficDbContext>(db)
{
    protected override Task HandleAsync(ProspectConvertedV2 message, ConsumeContext<ProspectConvertedV2> context) =>
        Conversions.RecordAsync(Db, message, context.CancellationToken);
}

#pragma warning disable CS0618 // reads the old contract, queued before the upgrade
/// <summary>ProspectConverted queued before the upgrade, taken as its V2 (the phone hashed).</summary>
public sealed class ProspectConvertedConsumer(FootTrafficDbContext db, PersonalDataHash hashes) : InboxConsumer<ProspectConverted, FootTrafficDbContext>(db)
{
    protected override Task HandleAsync(ProspectConverted message, ConsumeContext<ProspectConverted> context) =>
        Conversions.RecordAsync(Db, message.ToV2(hashes), context.CancellationToken);
}
#pragma warning restore CS0618

internal static class Conversions
{
    public static async Task RecordAsync(FootTrafficDbContext db, ProspectConvertedV2 message, CancellationToken ct)
    {
        var hash = message.PhoneHash;
        if (hash is not null)
        {
            await ConversionCredit.LockAsync(db, hash, ct);
        }
        await ConversionCredit.LockAsync(db, message.ProspectId.ToString(), ct);
        if (await db.ProspectConversions.FindAsync([message.ProspectId], ct) is not null)
        {
            return; // the same conversion sent again (a new message id) changes nothing
        }
        var conversion = new ProspectConversion
        {
            ProspectId = message.ProspectId, CustomerId = message.CustomerId, BranchCode = message.BranchCode, PhoneHash = hash,
            ConvertedAt = message.ConvertedAt, InitialDeposit = message.InitialDeposit,
        };
        db.ProspectConversions.Add(conversion);
        await ConversionCredit.ApplyAsync(db, conversion, ct);
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
