using System.Net;
using System.Net.Http.Json;
using BankClientele.CustomerCare;
using BankClientele.CustomerCare.Assignment;
using BankClientele.CustomerCare.Book;
using BankClientele.CustomerCare.Revisits;
using Hangfire;
using Microsoft.EntityFrameworkCore;
using static BankClientele.CustomerCare.Tests.Revisits.RevisitData;

namespace BankClientele.CustomerCare.Tests.Revisits;

/// <summary>The nightly pass against the real database: what it creates, that it never duplicates, how it escalates.</summary>
public sealed class NightlyRevisitJobTests
{
    private static async Task<RevisitRunResult> RunAsync(ServiceFactory<CustomerCareDbContext> service)
    {
        using var admin = service.ClientFor(Tokens.Administrator);
        var response = await admin.PostAsync("/api/revisits/run", null);
        Assert.That(response.StatusCode, Is.EqualTo(HttpStatusCode.OK), await response.Content.ReadAsStringAsync());
        return (await response.Content.ReadFromJsonAsync<RevisitRunResult>())!;
    }

    [Test]
    public async Task The_pass_creates_cadence_flight_risk_and_maturity_revisits_and_a_second_pass_adds_none()
    {
        var branch = TestServers.UniqueBranch();
        var rm = $"{branch}-RM1";
        await using var db = TestSystem.CustomerCare.NewDbContext();
        var privateBanking = await CustomerAsync(db, branch, rm, CustomerTiers.PrivateBanking, joinedDaysAgo: 20);
        var affluentRecent = await CustomerAsync(db, branch, rm, CustomerTiers.Affluent, joinedDaysAgo: 10);
        var mass = await CustomerAsync(db, branch, rm, CustomerTiers.Mass, joinedDaysAgo: 400);
        var unassigned = await CustomerAsync(db, branch, null, CustomerTiers.PrivateBanking, joinedDaysAgo: 400);
        var leaving = await CustomerAsync(db, branch, rm, CustomerTiers.Mass);
        var shrinking = await CustomerAsync(db, branch, rm, CustomerTiers.Mass);
        var maturing = await CustomerAsync(db, branch, rm, CustomerTiers.Mass);
        var maturingLater = await CustomerAsync(db, branch, rm, CustomerTiers.Mass);
        db.DailyBalances.AddRange(
            new DailyBalance { CustomerId = leaving, Date = Today.AddDays(-7), Deposit = 800_000 },
            new DailyBalance { CustomerId = leaving, Date = Today, Deposit = 450_000 },
            new DailyBalance { CustomerId = shrinking, Date = Today.AddDays(-7), Deposit = 150_000 },
            new DailyBalance { CustomerId = shrinking, Date = Today, Deposit = 60_000 });
        db.Holdings.AddRange(
            new Holding { AccountNumber = $"{branch}-TD1", CustomerId = maturing, ProductCode = "TD-1Y", MaturesOn = Today.AddDays(10), Balance = 300_000 },
            new Holding { AccountNumber = $"{branch}-TD2", CustomerId = maturingLater, ProductCode = "TD-3Y", MaturesOn = Today.AddDays(40), Balance = 300_000 });
        await db.SaveChangesAsync();

        await RunAsync(TestSystem.CustomerCare);
        var revisits = await RevisitsOfBranchAsync(db, branch);
        Assert.Multiple(() =>
        {
            Assert.That(revisits.Select(r => (r.CustomerId, r.Reason)), Is.EquivalentTo(new[]
            {
                (privateBanking, RevisitReasons.Scheduled),
                (leaving, RevisitReasons.FlightRisk),
                (maturing, RevisitReasons.Maturity),
            }), $"not: affluent joined 10 days ago {affluentRecent}, mass {mass}, unassigned {unassigned}, small outflow {shrinking}, later maturity {maturingLater}");
            Assert.That(revisits.Single(r => r.Reason == RevisitReasons.Scheduled).DueOn, Is.EqualTo(Today), "never born overdue");
            Assert.That(revisits.Single(r => r.Reason == RevisitReasons.Maturity).DueOn, Is.EqualTo(Today.AddDays(3)));
            Assert.That(revisits.Single(r => r.Reason == RevisitReasons.FlightRisk).Detail, Does.Contain("800000").And.Contain("450000"));
            Assert.That(revisits, Has.All.Matches<Revisit>(r => r.RelationshipManagerId == rm && r.Status == RevisitStatuses.Open));
        });

        await RunAsync(TestSystem.CustomerCare);
        Assert.That(await RevisitsOfBranchAsync(db, branch), Has.Count.EqualTo(3), "a second pass duplicates nothing");
    }

    [Test]
    public async Task Two_instances_running_the_pass_at_once_create_each_revisit_once()
    {
        var database = TestServers.DatabaseName("bankclientele_test_customercare_revisit_jobs");
        await TestDatabases.DropAsync(database);
        await using var first = new ServiceFactory<CustomerCareDbContext>(database);
        await using var second = new ServiceFactory<CustomerCareDbContext>(database);
        await first.StartAsync();
        await second.StartAsync();
        Assert.That(await TestDatabases.ScalarAsync<long>(first.Database,
            $"SELECT count(*) FROM hangfire.set WHERE key = 'recurring-jobs' AND value = '{NightlyRevisitJob.RecurringJobId}'"), Is.EqualTo(1),
            "the recurring job is stored once");

        // 3,000 customers due a visit (private banking, joined 30 days ago), set up in one statement.
        const int customers = 3000;
        await TestDatabases.ScalarAsync<int>(first.Database, $"""
            WITH inserted AS (
              INSERT INTO customers (id, customer_number, full_name, phone, branch_code, account_number, initial_deposit, relationship_manager_id,
                                     joined_at, tags, tier, average_assets, deposit_balance, wealth_balance)
              SELECT gen_random_uuid(), 'C' || i, '客户' || i, '13900000000', 'SH001', 'A' || i, 0, 'RM-SH001-0' || (i % 4 + 1),
                     now() - interval '30 days', ARRAY[]::text[], 'PrivateBanking', 7000000, 7000000, 0
              FROM generate_series(1, {customers}) i RETURNING 1)
            SELECT count(*)::int FROM inserted
            """);

        // Both instances at once, several times over: the unique index lets each revisit in once.
        var runs = await Task.WhenAll(Enumerable.Range(0, 3).SelectMany(_ => new[] { RunAsync(first), RunAsync(second) }));
        Assert.That(runs.Sum(r => r.Scheduled), Is.EqualTo(customers), "the inserts of all passes add up to one per customer");
        Assert.That(await TestDatabases.ScalarAsync<long>(first.Database, "SELECT count(*) FROM revisits"), Is.EqualTo(customers));
        Assert.That(await TestDatabases.ScalarAsync<long>(first.Database,
            "SELECT count(*) FROM (SELECT customer_id FROM revisits GROUP BY customer_id, reason HAVING count(*) > 1) d"), Is.Zero);

        // And the Hangfire firing itself: triggered from one instance, run once, adds nothing more.
        first.Get<IRecurringJobManager>().Trigger(NightlyRevisitJob.RecurringJobId);
        await Poll.UntilAsync(
            // Only this job's runs: the webhook hand-over fires every ten minutes and may land in this window.
            () => TestDatabases.ScalarAsync<string>(first.Database,
                $"SELECT coalesce(string_agg(statename, ','), '') FROM hangfire.job WHERE invocationdata::text LIKE '%{nameof(NightlyRevisitJob)}%'"),
            s => s == "Succeeded", "the triggered job to succeed");
        Assert.That(await TestDatabases.ScalarAsync<long>(first.Database, "SELECT count(*) FROM revisits"), Is.EqualTo(customers));
    }

    [Test]
    public async Task A_missed_revisit_reminds_the_manager_then_tells_the_lead_then_returns_the_customer_to_the_pool()
    {
        var branch = TestServers.UniqueBranch();
        var rm = $"{branch}-RM1";
        await using var db = TestSystem.CustomerCare.NewDbContext();
        var oneDayLate = await CustomerAsync(db, branch, rm, CustomerTiers.HighNetWorth);
        var fiveDaysLate = await CustomerAsync(db, branch, rm, CustomerTiers.HighNetWorth);
        var neglected = await CustomerAsync(db, branch, rm, CustomerTiers.HighNetWorth);
        var onTime = await CustomerAsync(db, branch, rm, CustomerTiers.HighNetWorth);
        await OpenRevisitAsync(db, oneDayLate, branch, rm, RevisitReasons.Scheduled, Today.AddDays(-1));
        await OpenRevisitAsync(db, fiveDaysLate, branch, rm, RevisitReasons.Scheduled, Today.AddDays(-5));
        var forgotten = await OpenRevisitAsync(db, neglected, branch, rm, RevisitReasons.Scheduled, Today.AddDays(-25));
        await OpenRevisitAsync(db, onTime, branch, rm, RevisitReasons.Scheduled, Today);

        await RunAsync(TestSystem.CustomerCare);
        await RunAsync(TestSystem.CustomerCare);

        var reminders = await db.RevisitReminders.AsNoTracking().Where(r => r.BranchCode == branch).ToListAsync();
        var byCustomer = await db.Revisits.AsNoTracking().Where(r => r.BranchCode == branch).ToDictionaryAsync(r => r.Id, r => r.CustomerId);
        string[] KindsFor(Guid customer) => reminders.Where(r => byCustomer[r.RevisitId] == customer).Select(r => r.Kind).Order().ToArray();
        Assert.Multiple(async () =>
        {
            Assert.That(KindsFor(oneDayLate), Is.EqualTo(new[] { ReminderKinds.ManagerReminder }));
            Assert.That(KindsFor(fiveDaysLate), Is.EqualTo(new[] { ReminderKinds.LeadNotice, ReminderKinds.ManagerReminder }));
            Assert.That(KindsFor(neglected), Is.EqualTo(new[] { ReminderKinds.LeadNotice, ReminderKinds.ManagerReminder, ReminderKinds.ReturnedToPool }));
            Assert.That(KindsFor(onTime), Is.Empty);
            Assert.That(reminders.Single(r => r.Kind == ReminderKinds.ReturnedToPool).Message, Does.Contain(rm), "the note says who had the customer");
            Assert.That(reminders.Where(r => r.Kind == ReminderKinds.LeadNotice).Select(r => r.Recipient), Has.All.EqualTo($"BL-{branch}"));
            var pooled = await db.Customers.AsNoTracking().SingleAsync(c => c.Id == neglected);
            Assert.That(pooled.RelationshipManagerId, Is.Null, "back to the branch pool for reassignment");
            var released = await db.Revisits.AsNoTracking().SingleAsync(r => r.Id == forgotten);
            Assert.That(released.Status, Is.EqualTo(RevisitStatuses.Released));
            Assert.That((await db.Customers.AsNoTracking().SingleAsync(c => c.Id == fiveDaysLate)).RelationshipManagerId, Is.EqualTo(rm));
            // The assignment history has the move, once, though the pass ran twice.
            var history = await db.AssignmentChanges.AsNoTracking().Where(a => a.BranchCode == branch).ToListAsync();
            Assert.That(history, Has.Count.EqualTo(1));
            Assert.That(history[0].CustomerId, Is.EqualTo(neglected));
            Assert.That(history[0].FromManagerId, Is.EqualTo(rm));
            Assert.That(history[0].ToManagerId, Is.Null);
            Assert.That(history[0].Reason, Is.EqualTo(AssignmentReasons.ReturnedToPool));
            Assert.That(history[0].ChangedBy, Is.EqualTo(NightlyRevisitJob.PoolReturnChangedBy));
            // Published once, in the pass's transaction, with the customer's new assignment version.
            Assert.That(pooled.AssignmentVersion, Is.EqualTo(1));
            var unassigned = await TestDatabases.ScalarAsync<long>(TestSystem.CustomerCare.Database,
                "SELECT count(*) FROM outbox_messages WHERE message_type = 'BankClientele.Contracts.CustomerCare.RelationshipManagerUnassigned' " +
                $"AND body->>'customerId' = '{neglected}' AND body->>'previousRelationshipManagerId' = '{rm}' " +
                "AND body->>'reason' = 'returned-to-pool' AND (body->>'version')::bigint = 1");
            Assert.That(unassigned, Is.EqualTo(1));
        });
    }
}
