using System.Net;
using BankClientele.CustomerCare.Book;
using BankClientele.CustomerCare.MyBook;
using BankClientele.CustomerCare.Revisits;
using static BankClientele.CustomerCare.Tests.Revisits.RevisitData;

namespace BankClientele.CustomerCare.Tests.MyBook;

/// <summary>A manager's own analytics ("my book") over the real database: slices, CLV, on-time rate, the customers at risk.</summary>
public sealed class BookSummaryTests
{
    [Test]
    public async Task A_manager_sees_their_own_book_by_tier_and_segment_with_its_clv_on_time_rate_and_customers_at_risk()
    {
        var branch = TestServers.UniqueBranch();
        var manager = $"{branch}-RM1";
        Guid leaving, fading;
        await using (var db = TestSystem.CustomerCare.NewDbContext())
        {
            leaving = await CustomerAsync(db, branch, manager, CustomerTiers.PrivateBanking, name: "流失客");
            fading = await CustomerAsync(db, branch, manager, CustomerTiers.Wealth, name: "沉睡客");
            var loyal = await CustomerAsync(db, branch, manager, CustomerTiers.Wealth, name: "忠实客");
            await CustomerAsync(db, branch, $"{branch}-RM2", CustomerTiers.Wealth, name: "别人客");
            foreach (var (id, stage, segment, alive, clv) in new[]
            {
                (leaving, "Convert", "High", 0.6, 90_000m), (fading, "Retain", "Medium", 0.2, 20_000m), (loyal, "Retain", "High", 0.9, 50_000m),
            })
            {
                var c = await db.Customers.FindAsync(id);
                (c!.LifecycleStage, c.ValueSegment, c.ProbabilityAlive, c.ExpectedLifetimeValue) = (stage, segment, alive, clv);
            }
            // Two visits done in the period, one late; one open and overdue.
            db.Revisits.Add(new Revisit { Id = Guid.NewGuid(), CustomerId = loyal, BranchCode = branch, RelationshipManagerId = manager, Reason = RevisitReasons.Maturity,
                DueOn = Today.AddDays(-20), Status = RevisitStatuses.Completed, OnTime = true, CompletedAt = DateTimeOffset.UtcNow.AddDays(-21), CreatedAt = DateTimeOffset.UtcNow.AddDays(-30) });
            db.Revisits.Add(new Revisit { Id = Guid.NewGuid(), CustomerId = fading, BranchCode = branch, RelationshipManagerId = manager, Reason = RevisitReasons.Maturity,
                DueOn = Today.AddDays(-10), Status = RevisitStatuses.Completed, OnTime = false, CompletedAt = DateTimeOffset.UtcNow.AddDays(-5), CreatedAt = DateTimeOffset.UtcNow.AddDays(-30) });
            await db.SaveChangesAsync();
            await OpenRevisitAsync(db, leaving, branch, manager, RevisitReasons.FlightRisk, Today.AddDays(-2));
        }

        using var rm = TestSystem.CustomerCare.ClientFor(Tokens.RelationshipManager(manager, branch));
        var book = (await ServiceSystem.GetAsync<BookSummary>(rm, "/api/book/summary?staffId=someone-else"))!;
        Assert.Multiple(() =>
        {
            Assert.That(book.StaffId, Is.EqualTo(manager), "a manager always gets their own book");
            Assert.That(book.Customers, Is.EqualTo(3));
            Assert.That(book.Clv, Is.EqualTo(160_000m));
            Assert.That(book.ByTier.Select(t => (t.Key, t.Customers)), Is.EqualTo(new[] { (CustomerTiers.Wealth, 2), (CustomerTiers.PrivateBanking, 1) }));
            Assert.That(book.BySegment.Select(t => (t.Key, t.Customers, t.Clv)), Is.EqualTo(new[] { ("High", 2, 140_000m), ("Medium", 1, 20_000m) }));
            Assert.That((book.OnTime.Completed, book.OnTime.OnTime, book.OnTime.OpenOverdue, book.OnTime.Rate), Is.EqualTo((2, 1, 1, 0.5)));
            // At risk: the lifecycle stage (Convert, win back) or a low probability of being active; highest CLV first, masked.
            Assert.That(book.AtRisk.Select(c => (c.Id, c.CustomerName)), Is.EqualTo(new[] { (leaving, "流**"), (fading, "沉**") }));
        });

        using var lead = TestSystem.CustomerCare.ClientFor(Tokens.BranchLead(branch));
        var managers = (await ServiceSystem.GetAsync<BookSummary>(lead, $"/api/book/summary?staffId={branch}-RM2"))!;
        Assert.That(managers.Customers, Is.EqualTo(1), "a branch lead names the manager");
        var tooLong = await rm.GetAsync("/api/book/summary?days=1000");
        Assert.That(tooLong.StatusCode, Is.EqualTo(HttpStatusCode.BadRequest));
    }
}
