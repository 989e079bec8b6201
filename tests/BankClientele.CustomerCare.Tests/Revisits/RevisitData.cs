using BankClientele.CustomerCare;
using BankClientele.CustomerCare.Book;
using BankClientele.CustomerCare.Revisits;
using Microsoft.EntityFrameworkCore;

namespace BankClientele.CustomerCare.Tests.Revisits;

/// <summary>
/// Arranges customers of the book for revisit tests. The core-banking feed (another part of the
/// issue) is not in this branch, so its rows (tier, holdings, balances) are written as it would.
/// </summary>
internal static class RevisitData
{
    /// <summary>Today at the branches (the day the nightly pass and the consumers reckon in).</summary>
    public static DateOnly Today => BankClientele.Hosting.Time.BranchClock.System.Today;

    public static async Task<Guid> CustomerAsync(CustomerCareDbContext db, string branch, string? manager, string tier, int joinedDaysAgo = 0, string name = "王小明")
    {
        var customer = new Customer
        {
            Id = Guid.NewGuid(),
            FullName = name,
            Phone = "13912345678",
            BranchCode = branch,
            AccountNumber = "6222" + Random.Shared.NextInt64(100_000_000_000, 999_999_999_999),
            RelationshipManagerId = manager,
            Tier = tier,
            JoinedAt = DateTimeOffset.UtcNow.AddDays(-joinedDaysAgo),
        };
        db.Customers.Add(customer);
        await db.SaveChangesAsync();
        return customer.Id;
    }

    public static async Task<Guid> OpenRevisitAsync(CustomerCareDbContext db, Guid customerId, string branch, string? manager, string reason, DateOnly due)
    {
        var revisit = new Revisit
        {
            Id = Guid.NewGuid(),
            CustomerId = customerId,
            BranchCode = branch,
            RelationshipManagerId = manager,
            Reason = reason,
            DueOn = due,
            CreatedAt = DateTimeOffset.UtcNow,
        };
        db.Revisits.Add(revisit);
        await db.SaveChangesAsync();
        return revisit.Id;
    }

    public static Task<List<Revisit>> RevisitsOfBranchAsync(CustomerCareDbContext db, string branch) =>
        db.Revisits.AsNoTracking().Where(r => r.BranchCode == branch).OrderBy(r => r.CreatedAt).ToListAsync();
}
