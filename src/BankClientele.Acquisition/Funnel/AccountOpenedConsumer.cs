using BankClientele.Hosting.Time;
using BankClientele.Acquisition.Prospects;
using BankClientele.Contracts.CustomerCare;
using BankClientele.Hosting.Messaging;
using MassTransit;
using Microsoft.EntityFrameworkCore;

namespace BankClientele.Acquisition.Funnel;

/// <summary>
/// The core-banking feed reported new accounts: the prospect whose phone or ID number hash matches
/// is converted (publishing ProspectConverted). A customer already converted (by hand, or an earlier
/// delivery) is left alone: one customer, one conversion. A feed opens tens of thousands of accounts
/// at once, nearly all of customers who were never prospects: a batch first asks once which of its
/// hashes belong to an unconverted prospect, and only those accounts are looked at one by one.
/// </summary>
public sealed class AccountOpenedConsumer(AcquisitionDbContext db) : InboxBatchConsumer<AccountOpened, AcquisitionDbContext>(db)
{
    protected override async Task HandleBatchAsync(IReadOnlyList<AccountOpened> messages, ConsumeContext<Batch<AccountOpened>> context)
    {
        var ct = context.CancellationToken;
        var phones = messages.Select(m => m.PhoneHash).OfType<string>().Distinct().ToList();
        var idNumbers = messages.Select(m => m.IdNumberHash).OfType<string>().Distinct().ToList();
        if (phones.Count == 0 && idNumbers.Count == 0)
        {
            return;
        }
        var matches = await Db.Prospects.AsNoTracking()
            .Where(p => p.CustomerId == null && (phones.Contains(p.PhoneHash!) || idNumbers.Contains(p.IdNumberHash!)))
            .Select(p => new { p.PhoneHash, p.IdNumberHash })
            .ToListAsync(ct);
        var hashes = matches.SelectMany(m => new[] { m.PhoneHash, m.IdNumberHash }).OfType<string>().ToHashSet();
        foreach (var message in messages.Where(m => (m.PhoneHash != null && hashes.Contains(m.PhoneHash)) || (m.IdNumberHash != null && hashes.Contains(m.IdNumberHash))))
        {
            await ConvertMatchingProspectAsync(message, ct);
            // Saved at once: the next account of the batch must see this conversion.
            await Db.SaveChangesAsync(ct);
        }
    }

    /// <summary>An account whose phone or ID number hash the batch lookup found among unconverted prospects.</summary>
    private async Task ConvertMatchingProspectAsync(AccountOpened message, CancellationToken ct)
    {
        if (await Db.Prospects.AnyAsync(p => p.CustomerId == message.CustomerId, ct))
        {
            return;
        }
        var candidates = await Db.Prospects
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
        await Conversions.ConvertAsync(Db, prospect,
            new AccountDetails(message.CustomerNumber, message.AccountNumber, message.FirstDeposit, message.BranchCode, openedAt), "feed", ct);
    }
}
