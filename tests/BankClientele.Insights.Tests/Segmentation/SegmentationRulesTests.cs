using BankClientele.Insights.Segmentation;

namespace BankClientele.Insights.Tests.Segmentation;

/// <summary>RFM quintiles, lifecycle rules and value bands as pure functions.</summary>
public sealed class SegmentationRulesTests
{
    private static readonly SegmentationOptions Options = new();

    [Test]
    public void Ten_distinct_values_fall_two_to_each_quintile()
    {
        double[] values = [10, 1, 9, 2, 8, 3, 7, 4, 6, 5];
        var scores = RfmScoring.QuintilesHigherIsBetter(values);
        Assert.That(scores, Is.EqualTo(new byte[] { 5, 1, 5, 1, 4, 2, 4, 2, 3, 3 }));
    }

    [Test]
    public void Ties_share_the_score_of_the_customers_below_them()
    {
        // Six customers with nothing, four with something: the zeros are all 1, however many they are.
        double[] values = [0, 0, 0, 0, 0, 0, 3, 5, 5, 9];
        var scores = RfmScoring.QuintilesHigherIsBetter(values);
        Assert.That(scores, Is.EqualTo(new byte[] { 1, 1, 1, 1, 1, 1, 4, 4, 4, 5 }));
    }

    [Test]
    public void Recency_scores_fewer_days_higher()
    {
        double[] daysSince = [0, 400, 30, 200, 90];
        var scores = RfmScoring.QuintilesLowerIsBetter(daysSince);
        Assert.That(scores, Is.EqualTo(new byte[] { 5, 1, 4, 2, 3 }));
        Assert.That(RfmScoring.Cell(scores[0], 3, 1), Is.EqualTo("531"));
    }

    [Test]
    public void No_customers_no_scores() =>
        Assert.That(RfmScoring.QuintilesHigherIsBetter([]), Is.Empty);

    [TestCase(30, 0, 30, 0.1, 1000, LifecycleStages.Acquire, TestName = "A customer of 30 days is being acquired, even with no activity")]
    [TestCase(89, 5, 1, 0.9, 1000, LifecycleStages.Acquire, TestName = "Tenure under 90 days comes first")]
    [TestCase(400, 10, 10, 0.2, 1000, LifecycleStages.Convert, TestName = "P(alive) under 0.3 is win-back")]
    [TestCase(400, 10, 180, 0.9, 1000, LifecycleStages.Convert, TestName = "180 days without a transaction is win-back")]
    [TestCase(400, 10, 10, 0.9, 0, LifecycleStages.Convert, TestName = "No assets left is win-back")]
    [TestCase(400, 1, 20, 0.9, 1000, LifecycleStages.Activate, TestName = "One repeat transaction still needs activating")]
    [TestCase(400, 2, 20, 0.9, 1000, LifecycleStages.Retain, TestName = "Two repeats, recent, alive: retain")]
    [TestCase(90, 2, 179, 0.3, 1, LifecycleStages.Retain, TestName = "On each boundary: retain")]
    public void Lifecycle_rules(int tenure, int repeats, int daysSince, double alive, decimal assets, string expected) =>
        Assert.That(LifecycleRules.Stage(new LifecycleFacts(tenure, repeats, daysSince, alive, assets), Options), Is.EqualTo(expected));

    [TestCase(5_000, ValueSegments.High)]
    [TestCase(4_999.99, ValueSegments.Medium)]
    [TestCase(1_000, ValueSegments.Medium)]
    [TestCase(100, ValueSegments.Low)]
    [TestCase(99.99, ValueSegments.Minimal)]
    [TestCase(0, ValueSegments.Minimal)]
    public void Value_bands(double clv, string expected) =>
        Assert.That(ValueSegments.Of(clv, Options), Is.EqualTo(expected));
}
