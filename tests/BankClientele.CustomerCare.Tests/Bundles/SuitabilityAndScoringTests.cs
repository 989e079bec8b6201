using BankClientele.CustomerCare.Bundles;

namespace BankClientele.CustomerCare.Tests.Bundles;

public sealed class SuitabilityAndScoringTests
{
    private static readonly DateOnly Today = new(2026, 11, 23);

    private static Product P(string code, int risk, ProductKind kind = ProductKind.WealthManagement, decimal minimum = 10_000m) =>
        new() { Code = code, Name = code, Kind = kind, RiskRating = risk, MinimumAmount = minimum };

    [Test]
    public void A_product_at_the_customers_level_suits_one_above_does_not_and_names_the_bundle()
    {
        Assert.That(Suitability.Check(3, Today.AddMonths(-2), [P("WM-R3", 3), P("TD", 1, ProductKind.TimeDeposit)], Today), Is.Empty);
        var problems = Suitability.Check(3, Today.AddMonths(-2), [P("WM-R3", 3), P("FUND-R4", 4)], Today);
        Assert.That(problems.Keys, Is.EquivalentTo(new[] { "bundleCode" }));
        Assert.That(problems["bundleCode"].Single(), Does.Contain("FUND-R4").And.Contain("R4").And.Contain("C3"));
    }

    [Test]
    public void An_assessment_older_than_a_year_or_missing_suits_nothing()
    {
        Assert.That(Suitability.Check(5, Today.AddYears(-1), [P("WM", 1)], Today), Is.Empty, "exactly a year is still valid");
        Assert.That(Suitability.Check(5, Today.AddYears(-1).AddDays(-1), [P("WM", 1)], Today).Keys, Is.EquivalentTo(new[] { "riskAssessedOn" }));
        Assert.That(Suitability.Check(null, null, [P("WM", 1)], Today).Keys, Is.EquivalentTo(new[] { "riskLevel" }));
    }

    [Test]
    public void Each_situation_adds_its_reason_and_points()
    {
        var deposit = P("TD-1Y", 1, ProductKind.TimeDeposit, 50_000m);
        var wealth = new[] { P("WM-R2", 2) };
        var quiet = new CustomerSituation(1_000m, null, true, 0m, 200_000m);
        Assert.That(BundleScoring.Reasons(quiet, deposit, wealth, Today), Is.Empty);

        var busy = new CustomerSituation(80_000m, Today.AddDays(10), false, 150_000m, 300_000m);
        var reasons = BundleScoring.Reasons(busy, deposit, wealth, Today);
        Assert.That(reasons.Select(r => r.Code), Is.EquivalentTo(new[] { "idle-demand-balance", "time-deposit-maturing", "no-wealth-product", "recent-large-inflow" }));
        Assert.That(reasons.Sum(r => r.Points), Is.EqualTo(100));

        var farMaturity = busy with { NextTimeDepositMaturity = Today.AddDays(31) };
        Assert.That(BundleScoring.Reasons(farMaturity, deposit, wealth, Today).Select(r => r.Code), Does.Not.Contain("time-deposit-maturing"));

        var poor = busy with { DepositBalance = 20_000m };
        Assert.That(BundleScoring.Reasons(poor, deposit, wealth, Today).Select(r => r.Code), Does.Contain("below-minimum"));
    }
}
