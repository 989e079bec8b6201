using BankClientele.Cli.Seed;
using BankClientele.Insights.Segmentation;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;

namespace BankClientele.Cli.Tests;

/// <summary>
/// The segmentation (its pure part, <see cref="SegmentationJob.Compute"/>) over the seed's own balance files:
/// the demo's customers bring money in at different rates and some stop (<see cref="DemoInflows"/>), so the
/// nightly run fits a real BG/NBD rather than falling back to one Poisson rate, P(alive) varies, and every
/// lifecycle stage and value segment has customers.
/// </summary>
public sealed class DemoSegmentationTests
{
    [Test]
    public async Task The_demo_balances_give_a_real_fit_and_every_stage_and_segment()
    {
        var book = await DemoBook.LoadAsync();
        var job = new SegmentationJob(null!, TimeProvider.System, Options.Create(new SegmentationOptions()), NullLogger<SegmentationJob>.Instance);
        var (segments, model, parameters) = job.Compute(book.Facts, book.AsOf);
        var stages = segments.GroupBy(s => s.LifecycleStage).ToDictionary(g => g.Key, g => g.Count());
        var values = segments.GroupBy(s => s.ValueSegment).ToDictionary(g => g.Key, g => g.Count());
        var alive = segments.Select(s => s.ProbabilityAlive).Order().ToList();
        TestContext.Out.WriteLine($"model {model} {string.Join(", ", parameters.Select(p => $"{p.Key}={p.Value:G4}"))}");
        TestContext.Out.WriteLine($"built in: r={DemoInflows.R} alpha={DemoInflows.Alpha} a={DemoInflows.A} b={DemoInflows.B}");
        TestContext.Out.WriteLine($"stages {string.Join(", ", stages.Select(s => $"{s.Key} {s.Value}"))}; values {string.Join(", ", values.Select(s => $"{s.Key} {s.Value}"))}");
        TestContext.Out.WriteLine($"P(alive) quartiles {alive[alive.Count / 4]:0.000} {alive[alive.Count / 2]:0.000} {alive[3 * alive.Count / 4]:0.000}; below 0.3: {alive.Count(a => a < 0.3)}");
        Assert.Multiple(() =>
        {
            Assert.That(segments, Has.Length.EqualTo(DemoNetwork.CustomerCount + DemoPeople.RecentlyConverted));
            Assert.That(model, Is.EqualTo("bgnbd"));
            Assert.That(stages.Keys, Is.EquivalentTo(new[] { LifecycleStages.Acquire, LifecycleStages.Activate, LifecycleStages.Retain, LifecycleStages.Convert }));
            Assert.That(values.Keys, Is.EquivalentTo(ValueSegments.All));
            Assert.That(alive.Count(a => a < 0.3), Is.GreaterThan(100), "customers the model thinks have gone");
            Assert.That(alive.Count(a => a > 0.9), Is.GreaterThan(1_000), "customers the model thinks are still with the bank");
        });
    }
}
