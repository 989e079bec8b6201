using System.Net;
using System.Net.Http.Json;
using BankClientele.Contracts.Insights;
using BankClientele.CustomerCare.Book;
using BankClientele.CustomerCare.Revisits;
using BankClientele.CustomerCare.Segments;
using Microsoft.EntityFrameworkCore;
using static BankClientele.CustomerCare.Tests.Revisits.RevisitData;

namespace BankClientele.CustomerCare.Tests.Revisits;

/// <summary>
/// Insights' CustomerSegmentChanged over the real broker: CustomerCare keeps each customer's segment,
/// ignores a stale one, and brings a customer at risk's regular visit forward; the nightly pass
/// schedules customers at risk on the shortened cadence.
/// </summary>
public sealed class CustomerSegmentTests
{
    [Test]
    public async Task A_customer_turning_win_back_has_their_regular_visit_brought_forward_and_a_stale_segment_changes_nothing()
    {
        var branch = TestServers.UniqueBranch();
        var rm = $"{branch}-RM1";
        var now = DateTimeOffset.UtcNow;
        await using var db = TestSystem.CustomerCare.NewDbContext();
        // Wealth: every 60 days; joined 20 days ago, so the regular visit is due in 40 days.
        var winBack = await CustomerAsync(db, branch, rm, CustomerTiers.Wealth, joinedDaysAgo: 20);
        var loyal = await CustomerAsync(db, branch, rm, CustomerTiers.Wealth, joinedDaysAgo: 20);
        var winBackVisit = await OpenRevisitAsync(db, winBack, branch, rm, RevisitReasons.Scheduled, Today.AddDays(40));
        var loyalVisit = await OpenRevisitAsync(db, loyal, branch, rm, RevisitReasons.Scheduled, Today.AddDays(40));

        var ids = new List<Guid>
        {
            await TestSystem.Services.PublishAsync(new CustomerSegmentChanged(winBack, branch, "215", "high-value", "Convert", 180_000m, 0.62, now)),
            await TestSystem.Services.PublishAsync(new CustomerSegmentChanged(loyal, branch, "545", "high-value", "Retain", 320_000m, 0.97, now)),
        };
        await WaitHandledAsync(ids);
        // Computed before the one kept: arriving late, it must not turn the loyal customer into a win-back.
        await WaitHandledAsync([await TestSystem.Services.PublishAsync(new CustomerSegmentChanged(loyal, branch, "111", "low-value", "Convert", 1_000m, 0.05, now.AddDays(-1)))]);

        var customers = await db.Customers.AsNoTracking().Where(c => c.BranchCode == branch).ToDictionaryAsync(c => c.Id);
        var visits = await db.Revisits.AsNoTracking().Where(r => r.BranchCode == branch).ToDictionaryAsync(r => r.Id);
        Assert.Multiple(() =>
        {
            Assert.That(customers[winBack].LifecycleStage, Is.EqualTo("Convert"));
            Assert.That(customers[winBack].Rfm, Is.EqualTo("215"));
            Assert.That(customers[winBack].ProbabilityAlive, Is.EqualTo(0.62));
            Assert.That(customers[loyal].LifecycleStage, Is.EqualTo("Retain"), "the stale message changed nothing");
            Assert.That(customers[loyal].ValueSegment, Is.EqualTo("high-value"));
            // At risk: 60 days halved to 30 after joining 20 days ago.
            Assert.That(visits[winBackVisit].DueOn, Is.EqualTo(Today.AddDays(10)));
            Assert.That(visits[winBackVisit].Detail, Does.Contain("at risk: Convert"));
            Assert.That(visits[loyalVisit].DueOn, Is.EqualTo(Today.AddDays(40)));
        });
    }

    [Test]
    public async Task The_nightly_pass_schedules_a_customer_unlikely_to_be_alive_on_the_shortened_cadence()
    {
        var branch = TestServers.UniqueBranch();
        var rm = $"{branch}-RM1";
        await using var db = TestSystem.CustomerCare.NewDbContext();
        // Wealth, joined 50 days ago: due in 10 days on the 60-day cadence (beyond the week ahead),
        // overdue on the 30-day one, so the at-risk customer's visit is due today.
        var fading = await CustomerAsync(db, branch, rm, CustomerTiers.Wealth, joinedDaysAgo: 50);
        var steady = await CustomerAsync(db, branch, rm, CustomerTiers.Wealth, joinedDaysAgo: 50);
        await db.Customers.Where(c => c.Id == fading).ExecuteUpdateAsync(s => s.SetProperty(c => c.LifecycleStage, "Retain").SetProperty(c => c.ProbabilityAlive, 0.12));
        await db.Customers.Where(c => c.Id == steady).ExecuteUpdateAsync(s => s.SetProperty(c => c.LifecycleStage, "Retain").SetProperty(c => c.ProbabilityAlive, 0.9));

        using (var admin = TestSystem.CustomerCare.ClientFor(Tokens.Administrator))
        {
            var response = await admin.PostAsync("/api/revisits/run", null);
            Assert.That(response.StatusCode, Is.EqualTo(HttpStatusCode.OK), await response.Content.ReadAsStringAsync());
        }

        var revisits = await RevisitsOfBranchAsync(db, branch);
        Assert.That(revisits, Has.Count.EqualTo(1));
        Assert.Multiple(() =>
        {
            Assert.That(revisits[0].CustomerId, Is.EqualTo(fading));
            Assert.That(revisits[0].DueOn, Is.EqualTo(Today));
            Assert.That(revisits[0].Detail, Is.EqualTo("Wealth: every 30 days (at risk: P(alive) 0.12)"));
        });
    }

    private static Task WaitHandledAsync(IReadOnlyList<Guid> messageIds) =>
        Poll.UntilAsync(() => TestDatabases.ScalarAsync<long>(TestSystem.CustomerCare.Database,
                $"SELECT count(*) FROM inbox_messages WHERE consumer = '{nameof(CustomerSegmentConsumer)}' AND message_id IN ({string.Join(",", messageIds.Select(id => $"'{id}'"))})"),
            n => n == messageIds.Count, "CustomerCare to handle the segment messages");
}
