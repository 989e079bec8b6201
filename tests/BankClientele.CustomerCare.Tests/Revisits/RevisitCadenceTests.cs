using System.Net;
using BankClientele.Contracts.Insights;
using BankClientele.CustomerCare.Revisits;
using BankClientele.CustomerCare.Segments;
using Microsoft.EntityFrameworkCore;
using static BankClientele.CustomerCare.Tests.Revisits.RevisitData;

namespace BankClientele.CustomerCare.Tests.Revisits;

/// <summary>
/// The cadence by tier is written once (<see cref="RevisitCadence"/>, from <see cref="RevisitRules.Cadence"/>):
/// the nightly pass and the segment consumer schedule every tier of that table on its days, and at risk on its shortened days.
/// </summary>
public sealed class RevisitCadenceTests
{
    private static readonly IReadOnlyList<RevisitCadence> Table = RevisitCadence.Table(new RevisitOptions());

    [Test]
    public void The_table_is_the_rules_cadence_for_each_tier_with_one()
    {
        var options = new RevisitOptions();
        Assert.That(Table.Select(c => c.Tier), Is.EquivalentTo(options.CadenceDays.Where(kv => kv.Value > 0).Select(kv => kv.Key)));
        Assert.Multiple(() =>
        {
            foreach (var row in Table)
            {
                Assert.That(row.Days, Is.EqualTo(RevisitRules.Cadence(options, row.Tier, atRisk: false)), row.Tier);
                Assert.That(row.AtRiskDays, Is.EqualTo(RevisitRules.Cadence(options, row.Tier, atRisk: true)), row.Tier);
                Assert.That(row.AtRiskDays, Is.LessThanOrEqualTo(row.Days), row.Tier);
            }
        });
    }

    [Test]
    public async Task The_nightly_pass_schedules_each_tier_on_the_tables_days_and_at_risk_on_its_shortened_days()
    {
        var branch = TestServers.UniqueBranch();
        var rm = $"{branch}-RM1";
        await using var db = TestSystem.CustomerCare.NewDbContext();
        var expected = new Dictionary<Guid, (DateOnly Due, string Detail)>();
        foreach (var row in Table)
        {
            // Joined so that the tier's cadence falls three days ahead (inside the week the pass looks ahead).
            var regular = await CustomerAsync(db, branch, rm, row.Tier, joinedDaysAgo: row.Days - 3);
            expected[regular] = (Today.AddDays(3), $"{row.Tier}: every {row.Days} days");
            // At risk, the shortened cadence falls two days ahead.
            var atRisk = await CustomerAsync(db, branch, rm, row.Tier, joinedDaysAgo: row.AtRiskDays - 2);
            await db.Customers.Where(c => c.Id == atRisk).ExecuteUpdateAsync(s => s.SetProperty(c => c.LifecycleStage, "Convert"));
            expected[atRisk] = (Today.AddDays(2), $"{row.Tier}: every {row.AtRiskDays} days (at risk: Convert)");
        }

        using (var admin = TestSystem.CustomerCare.ClientFor(Tokens.Administrator))
        {
            var response = await admin.PostAsync("/api/revisits/run", null);
            Assert.That(response.StatusCode, Is.EqualTo(HttpStatusCode.OK), await response.Content.ReadAsStringAsync());
        }

        var revisits = (await RevisitsOfBranchAsync(db, branch)).Where(r => r.Reason == RevisitReasons.Scheduled).ToDictionary(r => r.CustomerId);
        Assert.That(revisits.Keys, Is.EquivalentTo(expected.Keys));
        Assert.Multiple(() =>
        {
            foreach (var (customer, (due, detail)) in expected)
            {
                Assert.That(revisits[customer].DueOn, Is.EqualTo(due), detail);
                Assert.That(revisits[customer].Detail, Is.EqualTo(detail));
            }
        });
    }

    [Test]
    public async Task The_segment_consumer_brings_each_tiers_visit_forward_to_the_tables_shortened_days()
    {
        var branch = TestServers.UniqueBranch();
        var rm = $"{branch}-RM1";
        var now = DateTimeOffset.UtcNow;
        await using var db = TestSystem.CustomerCare.NewDbContext();
        var expected = new Dictionary<Guid, (Guid Customer, DateOnly Due)>();
        var ids = new List<Guid>();
        foreach (var row in Table)
        {
            // Joined a day ago, next regular visit on the tier's full cadence; at risk it moves to the shortened one.
            var customer = await CustomerAsync(db, branch, rm, row.Tier, joinedDaysAgo: 1);
            var visit = await OpenRevisitAsync(db, customer, branch, rm, RevisitReasons.Scheduled, Today.AddDays(row.Days - 1));
            expected[visit] = (customer, Today.AddDays(row.AtRiskDays - 1));
            ids.Add(await TestSystem.Services.PublishAsync(new CustomerSegmentChanged(customer, branch, "111", "low-value", "Convert", 1_000m, 0.5, now)));
        }
        await Poll.UntilAsync(() => TestDatabases.ScalarAsync<long>(TestSystem.CustomerCare.Database,
                $"SELECT count(*) FROM inbox_messages WHERE consumer = '{nameof(CustomerSegmentConsumer)}' AND message_id IN ({string.Join(",", ids.Select(id => $"'{id}'"))})"),
            n => n == ids.Count, "CustomerCare to handle the segment messages");

        var visits = await db.Revisits.AsNoTracking().Where(r => r.BranchCode == branch).ToDictionaryAsync(r => r.Id);
        Assert.Multiple(() =>
        {
            foreach (var (visit, (customer, due)) in expected)
            {
                Assert.That(visits[visit].DueOn, Is.EqualTo(due), $"customer {customer}");
            }
        });
    }
}
