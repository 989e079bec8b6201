using Microsoft.EntityFrameworkCore;
using BankClientele.Hosting.Time;

namespace BankClientele.CustomerCare.Bundles;

/// <summary>Hourly: proposed offers past their expiry date become expired, set-based.</summary>
public sealed class OfferExpiryJob(CustomerCareDbContext db, TimeProvider time)
{
    public const string RecurringJobId = "customercare-offer-expiry";

    public async Task<int> RunAsync(CancellationToken ct)
    {
        var now = time.GetUtcNow();
        var today = BranchClock.DayOf(now);
        return await db.Offers.Where(o => (o.Status == OfferStatus.Proposed || o.Status == OfferStatus.Later) && o.ExpiresOn < today)
            .ExecuteUpdateAsync(s => s.SetProperty(o => o.Status, OfferStatus.Expired).SetProperty(o => o.DecidedAt, now), ct);
    }
}
