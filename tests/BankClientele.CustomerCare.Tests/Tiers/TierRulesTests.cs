using BankClientele.CustomerCare.Book;
using BankClientele.CustomerCare.Tiers;

namespace BankClientele.CustomerCare.Tests.Tiers;

public sealed class TierRulesTests
{
    private static readonly TierRules Defaults = new(new TierOptions());

    [TestCase(0, CustomerTiers.Mass)]
    [TestCase(49_999.99, CustomerTiers.Mass)]
    [TestCase(50_000, CustomerTiers.Affluent)]
    [TestCase(499_999.99, CustomerTiers.Affluent)]
    [TestCase(500_000, CustomerTiers.Wealth)]
    [TestCase(1_999_999.99, CustomerTiers.Wealth)]
    [TestCase(2_000_000, CustomerTiers.HighNetWorth)]
    [TestCase(5_999_999.99, CustomerTiers.HighNetWorth)]
    [TestCase(6_000_000, CustomerTiers.PrivateBanking)]
    [TestCase(80_000_000, CustomerTiers.PrivateBanking)]
    public void A_bound_belongs_to_the_tier_above_it(decimal assets, string tier) =>
        Assert.That(Defaults.TierOf(assets), Is.EqualTo(tier));

    [Test]
    public void The_defaults_are_a_ninety_day_window_and_the_usual_bounds_of_chinese_retail_banking()
    {
        Assert.That(Defaults.WindowDays, Is.EqualTo(90));
        Assert.That(Defaults.Thresholds.Select(t => (t.Tier, t.From)), Is.EqualTo(new[]
        {
            (CustomerTiers.Mass, 0m), (CustomerTiers.Affluent, 50_000m), (CustomerTiers.Wealth, 500_000m),
            (CustomerTiers.HighNetWorth, 2_000_000m), (CustomerTiers.PrivateBanking, 6_000_000m),
        }));
        Assert.That(Defaults.Thresholds.Select(t => t.Tier), Is.EqualTo(CustomerTiers.Ordered));
    }

    [Test]
    public void Configured_bounds_move_the_tiers()
    {
        var rules = new TierRules(new TierOptions { WindowDays = 30, Affluent = 100_000m, Wealth = 600_000m, HighNetWorth = 3_000_000m, PrivateBanking = 10_000_000m });
        Assert.Multiple(() =>
        {
            Assert.That(rules.TierOf(99_999m), Is.EqualTo(CustomerTiers.Mass));
            Assert.That(rules.TierOf(100_000m), Is.EqualTo(CustomerTiers.Affluent));
            Assert.That(rules.TierOf(6_000_000m), Is.EqualTo(CustomerTiers.HighNetWorth));
            Assert.That(rules.TierOf(10_000_000m), Is.EqualTo(CustomerTiers.PrivateBanking));
            Assert.That(rules.WindowDays, Is.EqualTo(30));
        });
    }

    [Test]
    public void Bounds_out_of_order_or_a_bad_window_are_refused_at_start()
    {
        var disordered = Assert.Throws<ArgumentException>(() => new TierRules(new TierOptions { Affluent = 600_000m, Wealth = 500_000m }));
        Assert.That(disordered!.Message, Does.Contain("Tiers:Wealth"));
        Assert.Throws<ArgumentException>(() => new TierRules(new TierOptions { WindowDays = 0 }));
    }

    [Test]
    public void The_sql_rule_names_every_tier_from_the_top()
    {
        var sql = Defaults.SqlCase("a");
        Assert.That(sql, Is.EqualTo(
            "CASE WHEN a >= 6000000 THEN 'PrivateBanking' WHEN a >= 2000000 THEN 'HighNetWorth' WHEN a >= 500000 THEN 'Wealth' " +
            "WHEN a >= 50000 THEN 'Affluent' ELSE 'Mass' END"));
    }
}
