using BankClientele.Insights.Clv;
using BankClientele.Insights.Segmentation;

namespace BankClientele.Insights.Tests.Clv;

/// <summary>The lifetime model when the data leave no heterogeneity to fit (as the demo's balances did).</summary>
public sealed class LifetimeModelTests
{
    [Test]
    public void Customers_who_all_transact_alike_get_a_common_rate_not_a_value_of_zero()
    {
        // Every customer active every other week of a year, none lapsing: the BG/NBD's gamma of rates
        // collapses to one rate and its dropout to none, so its maximum lies at infinity.
        var random = new Random(7);
        var summaries = Enumerable.Range(0, 400)
            .Select(i => new RepeatSummary($"c{i}", 24 + random.Next(0, 5), 50 + random.NextDouble() * 2, 52, 300 + random.Next(0, 50)))
            .ToList();
        var model = CustomerLifetimeModel.Fit(summaries, new SegmentationOptions(), 20);
        var predictions = model.PredictDistinct(summaries);
        var rate = summaries.Sum(s => s.Frequency) / summaries.Sum(s => s.Age);
        TestContext.Out.WriteLine($"{model.Name}: {string.Join(", ", model.Parameters.Select(p => $"{p.Key}={p.Value:G4}"))}");
        Assert.Multiple(() =>
        {
            Assert.That(predictions.Select(p => p.Expected), Is.All.GreaterThan(0).And.All.Matches<double>(double.IsFinite));
            // About the common rate over the 52-week horizon, whichever model it came from.
            Assert.That(predictions.Average(p => p.Expected), Is.EqualTo(rate * 52).Within(15).Percent);
            Assert.That(predictions.Select(p => p.Alive), Is.All.InRange(0.9, 1.0));
            Assert.That(summaries.Select(s => model.ExpectedValue(s)), Is.All.GreaterThan(0));
        });
    }
}
