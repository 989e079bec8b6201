// Outside BankClientele.Portal.Tests on purpose: no running services needed (see PortalWordsTests).
namespace BankClientele.Portal.Localization.Tests;

/// <summary>The details CustomerCare composes for a revisit, worded in the reader's language.</summary>
public sealed class RevisitDetailsTests
{
    [TestCase("Wealth: every 60 days", "财富客户：每 60 天")]
    [TestCase("HighNetWorth: every 30 days (at risk: Convert)", "钻石客户：每 30 天（流失风险：挽回期）")]
    [TestCase("Wealth: every 30 days (at risk: P(alive) 0.12)", "财富客户：每 30 天（流失风险：存活概率 0.12）")]
    [TestCase("follow-up (at risk: P(alive) 0.21, every 14 days)", "约定跟进（流失风险：存活概率 0.21，每 14 天）")]
    [TestCase("Wealth: every 60 days (at risk: Convert) (at risk: Convert, every 14 days)", "财富客户：每 60 天（流失风险：挽回期）（流失风险：挽回期，每 14 天）")]
    [TestCase(" (at risk: Convert, every 7 days)", "（流失风险：挽回期，每 7 天）")]
    [TestCase("deposits 800000 -> 450000 in 30 days", "存款 800,000 → 450,000（30 天内）")]
    [TestCase("new manager", "新任客户经理")]
    [TestCase("taking over from RM-SH001-02", "接替 RM-SH001-02")]
    [TestCase("TD-1Y 622202*********8653 matures 2026-12-20", "TD-1Y 622202*********8653 于 2026-12-20 到期")]
    [TestCase("送养老理财资料", "送养老理财资料")]
    [TestCase("养老规划沙龙 2026-12-01 14:00", "养老规划沙龙 2026-12-01 14:00")]
    [TestCase(null, "")]
    [SetUICulture(Text.Chinese)]
    public void A_detail_reads_in_Chinese(string? detail, string expected) =>
        Assert.That(RevisitDetails.Word(detail), Is.EqualTo(expected));

    [Test]
    [SetUICulture(Text.Chinese)]
    public void A_maturity_names_the_product_as_the_catalogue_does()
    {
        var products = new BankClientele.Portal.Services.ProductNames(new Dictionary<string, string> { ["TD-1Y"] = "一年期定期存款" });
        Assert.Multiple(() =>
        {
            Assert.That(RevisitDetails.Word("TD-1Y 622202*********8653 matures 2026-12-20 (at risk: Convert)", products),
                Is.EqualTo("一年期定期存款 622202*********8653 于 2026-12-20 到期（流失风险：挽回期）"));
            Assert.That(RevisitDetails.Word("LCD-3Y 622202*********8653 matures 2026-12-20", products),
                Is.EqualTo("LCD-3Y 622202*********8653 于 2026-12-20 到期"), "a code the catalogue lacks shows as it is");
        });
    }

    [TestCase("Wealth: every 30 days (at risk: P(alive) 0.12)", "Wealth: every 30 days (at risk: P(alive) 0.12)")]
    [TestCase("taking over from RM-SH001-02", "taking over from RM-SH001-02")]
    [TestCase("follow-up (at risk: Convert, every 14 days)", "follow-up (at risk: Win back, every 14 days)")]
    [SetUICulture(Text.English)]
    public void A_detail_reads_in_English(string detail, string expected) =>
        Assert.That(RevisitDetails.Word(detail), Is.EqualTo(expected));
}
