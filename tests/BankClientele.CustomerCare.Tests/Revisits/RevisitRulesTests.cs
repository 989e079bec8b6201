using BankClientele.CustomerCare.Book;
using BankClientele.CustomerCare.Revisits;

namespace BankClientele.CustomerCare.Tests.Revisits;

/// <summary>The revisit rules on their own: cadence, triggers, escalation, priority.</summary>
public sealed class RevisitRulesTests
{
    private static readonly RevisitOptions Options = new();
    private static readonly DateOnly Today = new(2026, 11, 23);

    [TestCase(CustomerTiers.PrivateBanking, 14)]
    [TestCase(CustomerTiers.HighNetWorth, 30)]
    [TestCase(CustomerTiers.Wealth, 60)]
    [TestCase(CustomerTiers.Affluent, 90)]
    public void Each_tier_above_mass_has_its_cadence(string tier, int days) =>
        Assert.That(RevisitRules.NextScheduledVisit(Options, tier, Today), Is.EqualTo(Today.AddDays(days)));

    [Test]
    public void Mass_customers_have_no_regular_visit_and_cadences_are_configurable()
    {
        Assert.That(RevisitRules.NextScheduledVisit(Options, CustomerTiers.Mass, Today), Is.Null);
        var custom = new RevisitOptions();
        custom.CadenceDays[CustomerTiers.PrivateBanking] = 7;
        custom.CadenceDays[CustomerTiers.Mass] = 365;
        Assert.That(RevisitRules.NextScheduledVisit(custom, CustomerTiers.PrivateBanking, Today), Is.EqualTo(Today.AddDays(7)));
        Assert.That(RevisitRules.NextScheduledVisit(custom, CustomerTiers.Mass, Today), Is.EqualTo(Today.AddDays(365)));
    }

    [Test]
    public void A_regular_visit_is_created_when_due_within_the_week_ahead()
    {
        Assert.That(RevisitRules.CreateTonight(Options, Today.AddDays(7), Today), Is.True);
        Assert.That(RevisitRules.CreateTonight(Options, Today.AddDays(8), Today), Is.False);
        Assert.That(RevisitRules.CreateTonight(Options, Today.AddDays(-3), Today), Is.True);
    }

    [TestCase(500_000, 340_000, true, TestName = "A 32 % drop of 160,000 is a flight risk")]
    [TestCase(500_000, 360_000, false, TestName = "A 28 % drop is not")]
    [TestCase(200_000, 110_000, false, TestName = "A 45 % drop of 90,000 is too small an amount")]
    [TestCase(0, 0, false, TestName = "No deposits, no risk")]
    [TestCase(1_000_000, 1_200_000, false, TestName = "An inflow is not a risk")]
    public void Flight_risk_needs_both_the_share_and_the_amount(decimal before, decimal now, bool risk) =>
        Assert.That(RevisitRules.IsFlightRisk(Options, before, now), Is.EqualTo(risk));

    [Test]
    public void A_deposit_maturing_within_fourteen_days_is_visited_a_week_before()
    {
        Assert.That(RevisitRules.MaturityVisitDue(Options, Today.AddDays(10), Today), Is.EqualTo(Today.AddDays(3)));
        Assert.That(RevisitRules.MaturityVisitDue(Options, Today.AddDays(4), Today), Is.EqualTo(Today), "never in the past");
        Assert.That(RevisitRules.MaturityVisitDue(Options, Today.AddDays(15), Today), Is.Null);
        Assert.That(RevisitRules.MaturityVisitDue(Options, Today.AddDays(-1), Today), Is.Null, "already matured");
        Assert.That(RevisitRules.MaturityVisitDue(Options, null, Today), Is.Null, "demand deposits do not mature");
    }

    [Test]
    public void A_missed_revisit_escalates_manager_then_lead_then_pool()
    {
        var tier = CustomerTiers.HighNetWorth; // back to the pool after 21 days overdue
        Assert.That(RevisitRules.EscalationStage(Options, tier, Today, Today), Is.EqualTo(0));
        Assert.That(RevisitRules.EscalationStage(Options, tier, Today.AddDays(-1), Today), Is.EqualTo(1));
        Assert.That(RevisitRules.EscalationStage(Options, tier, Today.AddDays(-3), Today), Is.EqualTo(2));
        Assert.That(RevisitRules.EscalationStage(Options, tier, Today.AddDays(-21), Today), Is.EqualTo(2));
        Assert.That(RevisitRules.EscalationStage(Options, tier, Today.AddDays(-22), Today), Is.EqualTo(3));
        Assert.That(RevisitRules.EscalationStage(Options, CustomerTiers.Mass, Today.AddDays(-400), Today), Is.EqualTo(2),
            "a tier without a limit never goes back to the pool");
    }

    [Test]
    public void Priority_orders_flight_risk_over_maturity_over_routine_and_rises_with_tier_and_lateness()
    {
        var order = new[]
        {
            (Reason: RevisitReasons.Scheduled, Tier: CustomerTiers.Affluent, Due: Today),
            (Reason: RevisitReasons.FlightRisk, Tier: CustomerTiers.Affluent, Due: Today),
            (Reason: RevisitReasons.Maturity, Tier: CustomerTiers.Wealth, Due: Today),
            (Reason: RevisitReasons.Scheduled, Tier: CustomerTiers.PrivateBanking, Due: Today.AddDays(-5)),
            (Reason: RevisitReasons.Welcome, Tier: CustomerTiers.Affluent, Due: Today.AddDays(2)),
        }
        .OrderByDescending(r => RevisitRules.Priority(r.Reason, r.Tier, r.Due, Today))
        .Select(r => r.Reason + "/" + r.Tier).ToList();
        Assert.That(order, Is.EqualTo(new[]
        {
            "flight-risk/Affluent", "maturity/Wealth", "scheduled/PrivateBanking", "welcome/Affluent", "scheduled/Affluent",
        }));
        Assert.That(RevisitRules.Priority(RevisitReasons.Scheduled, CustomerTiers.Wealth, Today.AddDays(-5), Today),
            Is.GreaterThan(RevisitRules.Priority(RevisitReasons.Scheduled, CustomerTiers.Wealth, Today, Today)), "lateness raises it");
    }

    [TestCase("Convert", 0.9, true, TestName = "A win-back customer (lifecycle Convert) is at risk")]
    [TestCase("Retain", 0.29, true, TestName = "A customer unlikely to be alive (P below 0.3) is at risk")]
    [TestCase("Retain", 0.3, false, TestName = "P(alive) at the threshold is not at risk")]
    [TestCase("Activate", null, false, TestName = "No probability and a live stage is not at risk")]
    [TestCase(null, null, false, TestName = "A customer not segmented yet is not at risk")]
    public void At_risk_by_lifecycle_stage_or_probability_alive(string? stage, double? alive, bool atRisk) =>
        Assert.That(RevisitRules.IsAtRisk(Options, stage, alive), Is.EqualTo(atRisk));

    [Test]
    public void A_customer_at_risk_is_visited_on_half_the_tiers_cadence_rounded_up_never_under_a_week()
    {
        Assert.Multiple(() =>
        {
            Assert.That(RevisitRules.Cadence(Options, CustomerTiers.Wealth, atRisk: true), Is.EqualTo(30));
            Assert.That(RevisitRules.Cadence(Options, CustomerTiers.Wealth, atRisk: false), Is.EqualTo(60));
            Assert.That(RevisitRules.Cadence(Options, CustomerTiers.PrivateBanking, atRisk: true), Is.EqualTo(7));
            Assert.That(RevisitRules.Cadence(Options, CustomerTiers.Mass, atRisk: true), Is.Null, "no cadence stays none");
            Assert.That(RevisitRules.NextScheduledVisit(Options, CustomerTiers.Affluent, Today, atRisk: true), Is.EqualTo(Today.AddDays(45)));
        });
        var odd = new RevisitOptions { CadenceDays = new() { [CustomerTiers.Wealth] = 45 }, AtRiskMinimumCadenceDays = 30 };
        Assert.That(RevisitRules.Cadence(odd, CustomerTiers.Wealth, atRisk: true), Is.EqualTo(30), "23 days rounded up, raised to the minimum");
        var shortTier = new RevisitOptions { CadenceDays = new() { [CustomerTiers.Wealth] = 5 } };
        Assert.That(RevisitRules.Cadence(shortTier, CustomerTiers.Wealth, atRisk: true), Is.EqualTo(5), "never longer than the tier's own");
    }
}
