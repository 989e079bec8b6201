using BankClientele.Acquisition.Prospects;
using BankClientele.Contracts.CustomerCare;
using BankClientele.Hosting.Messaging;
using MassTransit;
using Microsoft.EntityFrameworkCore;

namespace BankClientele.Acquisition.Funnel;

/// <summary>
/// The core-banking feed reported a new account: the prospect whose phone or ID number hash matches
/// is converted (publishing ProspectConverted). A customer already converted (by hand, or an earlier
/// delivery) is left alone: one customer, one conversion.
/// </summary>
public sealed class AccountOpenedConsumer(AcquisitionDbContext db) : InboxConsumer<AccountOpened, AcquisitionDbContext>(db)
{
    protected override async Task HandleAsync(AccountOpened message, ConsumeContext<AccountOpened> context)
    {
        var ct = context.CancellationToken;
        if (message.PhoneHash is null && message.IdNumberHash is null)
        {
            return;
        }
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
        var endOfDay = new DateTimeOffset(message.OpenedOn.AddDays(1).ToDateTime(TimeOnly.MinValue), TimeSpan.FromHours(8)).AddTicks(-1);
        var openedAt = (endOfDay < DateTimeOffset.UtcNow ? endOfDay : DateTimeOffset.UtcNow).ToUniversalTime();
        await Conversions.ConvertAsync(Db, prospect,
            new AccountDetails(message.CustomerNumber, message.AccountNumber, message.FirstDeposit, message.BranchCode, openedAt), "feed", ct);
    }
}
