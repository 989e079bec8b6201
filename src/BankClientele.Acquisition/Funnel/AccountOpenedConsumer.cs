using BankClientele.Hosting.Time;
using BankClientele.Acquisition.Campaigns;
using BankClientele.Acquisition.Prospects;
using BankClientele.Contracts.CustomerCare;
using BankClientele.Hosting.Messaging;
using BankClientele.Hosting.Privacy;
using MassTransit;
using Microsoft.EntityFrameworkCore;

namespace BankClientele.Acquisition.Funnel;

/// <summary>
/// The core-banking feed reported new accounts: the prospect whose phone or ID number hash matches
/// is converted (publishing ProspectConvertedV2). A customer already converted (by hand, or an earlier
/// delivery) is left alone: one customer, one conversion. A feed opens tens of thousands of accounts
/// at once, nearly all of customers who were never prospects: a batch first asks once which of its
/// hashes belong to an unconverted prospect, and only those accounts are looked at one by one.
/// </summary>
public sealed class AccountOpenedV2Consumer(AcquisitionDbContext db) : InboxBatchConsumer<AccountOpenedV2, AcquisitionDbContext>(db)
{
    protected override Task HandleBatchAsync(IReadOnlyList<AccountOpenedV2> messages, ConsumeContext<Batch<AccountOpenedV2>> context) =>
        FeedConversions.ConvertAsync(Db, messages, context.CancellationToken);
}

#pragma warning disable CS0618 // reads the old contract, queued before the upgrade
/// <summary>AccountOpened queued before the upgrade, taken as its V2 (the account number hashed).</summary>
public sealed class AccountOpenedConsumer(AcquisitionDbContext db, PersonalDataHash hashes) : InboxBatchConsumer<AccountOpened, AcquisitionDbContext>(db)
{
    protected override Task HandleBatchAsync(IReadOnlyList<AccountOpened> messages, ConsumeContext<Batch<AccountOpened>> context) =>
        FeedConversions.ConvertAsync(Db, [.. messages.Select(m => m.ToV2(hashes))], context.CancellationToken);
}
#pragma warning restore CS0618

internal static class FeedConversions
{
    public static async Task ConvertAsync(AcquisitionDbContext db, IReadOnlyList<AccountOpenedV2> messages, CancellationToken ct)
    {
        var phones = messages.Select(m => m.PhoneHash).OfType<string>().Distinct().ToList();
        var idNumbers = messages.Select(m => m.IdNumberHash).OfType<string>().Distinct().ToList();
        if (phones.Count == 0 && idNumbers.Count == 0)
        {
            return;
        }
        var matches = await db.Prospects.AsNoTracking()
            .Where(p => p.CustomerId == null && (phones.Contains(p.PhoneHash!) || idNumbers.Contains(p.IdNumberHash!)))
            .Select(p => new { p.PhoneHash, p.IdNumberHash })
            .ToListAsync(ct);
        if (matches.Count == 0)
        {
            return;
        }
        // Converting moves lead counts statement by statement: one such batch at a time, or two deadlock (issue #26).
        // The conversions below read the prospects again once it is held: what a batch before it converted counts.
        await LeadStageCountLock.TakeAsync(db, ct);
        var hashes = matches.SelectMany(m => new[] { m.PhoneHash, m.IdNumberHash }).OfType<string>().ToHashSet();
        foreach (var message in messages.Where(m => (m.PhoneHash != null && hashes.Contains(m.PhoneHash)) || (m.IdNumberHash != null && hashes.Contains(m.IdNumberHash))))
        {
            await ConvertMatchingProspectAsync(db, message, ct);
            // Saved at once: the next account of the batch must see this conversion.
            await db.SaveChangesAsync(ct);
        }
    }

    /// <summary>An account whose phone or ID number hash the batch lookup found among unconverted prospects.</summary>
    private static async Task ConvertMatchingProspectAsync(AcquisitionDbContext db, AccountOpenedV2 message, CancellationToken ct)
    {
        if (await db.Prospects.AnyAsync(p => p.CustomerId == message.CustomerId, ct))
        {
            return;
        }
        var candidates = await db.Prospects
            .Where(p => p.CustomerId == null
                        && ((message.PhoneHash != null && p.PhoneHash == message.PhoneHash) || (message.IdNumberHash != null && p.IdNumberHash == message.IdNumberHash)))
            .ToListAsync(ct);
        // The ID number is the stronger match; among equals, the prospect worked on last.
        var prospect = candidates
            .OrderByDescending(p => message.IdNumberHash != null && p.IdNumberHash == message.IdNumberHash)
            .ThenByDescending(p => (int)p.Stage)
            .ThenByDescending(p => p.CreatedAt)
            .FirstOrDefault();
        if (prospect is null)
        {
            return;
        }
        // Opened some time during the bank's day (UTC+8): touches up to its end count, or up to now for today's accounts.
        var endOfDay = BranchClock.EndOfDay(message.OpenedOn).AddTicks(-1);
        var openedAt = (endOfDay < DateTimeOffset.UtcNow ? endOfDay : DateTimeOffset.UtcNow).ToUniversalTime();
        await Conversions.ConvertAsync(db, prospect,
            new AccountDetails(message.CustomerNumber, null, message.AccountNumberHash, message.FirstDeposit, message.BranchCode, openedAt), "feed", ct);
    }
}
