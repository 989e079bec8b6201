using BankClientele.Contracts.FootTraffic;
using BankClientele.Hosting.Customers;
using BankClientele.Hosting.Privacy;
using Microsoft.EntityFrameworkCore;

namespace BankClientele.FootTraffic.Visits;

/// <summary>The FootTraffic section of configuration.</summary>
public sealed class FootTrafficOptions
{
    /// <summary>Tiers whose check-in alerts the relationship manager at once.</summary>
    public List<string> HighValueTiers { get; set; } = ["HighNetWorth", "PrivateBanking"];

    /// <summary>Service level: this share of visitors is called within <see cref="TargetWaitSeconds"/>.</summary>
    public double ServiceLevel { get; set; } = 0.8;
    public int TargetWaitSeconds { get; set; } = 600;

    /// <summary>Arrivals an hour one greeter can meet, check in and steer; the advice is at least one greeter in any hour with arrivals.</summary>
    public double GreeterArrivalsPerHour { get; set; } = 25;

    /// <summary>A bundle a lobby-event attendee accepts within this many days is credited to the event.</summary>
    public int LobbyAttributionDays { get; set; } = 30;
}

/// <summary>Who is at the door: a customer number or a phone matched against the customer directory.</summary>
public sealed class VisitIdentification(FootTrafficDbContext db, PersonalDataHash hashes, Microsoft.Extensions.Options.IOptions<FootTrafficOptions> options)
{
    public sealed record Identified(Guid CustomerId, string? Tier);

    public async Task<Identified?> IdentifyAsync(string? customerNumber, string? phone, CancellationToken ct)
    {
        if (!string.IsNullOrWhiteSpace(customerNumber))
        {
            var id = CustomerIds.FromCustomerNumber(customerNumber);
            var tier = await db.KnownCustomers.Where(c => c.CustomerId == id).Select(c => c.Tier).FirstOrDefaultAsync(ct);
            return new Identified(id, tier);
        }
        if (hashes.Phone(phone) is { } hash)
        {
            return await db.KnownCustomers.Where(c => c.PhoneHash == hash)
                .Select(c => new Identified(c.CustomerId, c.Tier)).FirstOrDefaultAsync(ct);
        }
        return null;
    }

    /// <summary>Queues the events of a new visit: BranchVisitRecorded when identified, and the high-value alert.</summary>
    public void PublishArrival(BranchVisit visit, Identified? who)
    {
        if (who is null)
        {
            return;
        }
        db.Publish(new BranchVisitRecorded(visit.Id, visit.BranchCode, visit.CustomerId, visit.TicketNumber, visit.ServiceType, visit.ArrivedAt));
        if (who.Tier is { } tier && options.Value.HighValueTiers.Contains(tier, StringComparer.OrdinalIgnoreCase))
        {
            db.Publish(new HighValueCustomerCheckedIn(visit.Id, who.CustomerId, visit.BranchCode, tier, visit.ServiceType, visit.ArrivedAt));
        }
    }
}
