using BankClientele.Insights.Uplift;

namespace BankClientele.Insights.Tests.Uplift;

/// <summary>The uplift estimators on constructed panels whose effects are known.</summary>
public class UpliftTests
{
    [Test]
    public void Did_recovers_a_constructed_effect_exactly_when_there_is_no_noise()
    {
        // Treated units start 100 higher, everyone grows 30, the treated grow 25 more after the start.
        var rows = new List<DidObservation>();
        for (var u = 0; u < 40; u++)
        {
            var treated = u < 20;
            for (var period = 0; period < 4; period++)
            {
                var post = period >= 2;
                var y = 1000 + u + (treated ? 100 : 0) + (post ? 30 : 0) + (treated && post ? 25 : 0);
                rows.Add(new DidObservation($"u{u}", treated, post, y));
            }
        }
        var estimate = DifferenceInDifferences.Estimate(rows);
        Assert.Multiple(() =>
        {
            Assert.That(estimate.Att, Is.EqualTo(25).Within(1e-9));
            Assert.That(estimate.Observations, Is.EqualTo(160));
            Assert.That(estimate.Clusters, Is.EqualTo(40));
        });
    }

    [Test]
    public void Did_interval_covers_the_true_effect_and_clusters_by_unit()
    {
        var random = new Random(11);
        var rows = new List<DidObservation>();
        for (var u = 0; u < 400; u++)
        {
            var treated = u % 5 != 0;
            var unitLevel = 50_000 + 20_000 * Gaussian(random);
            for (var period = 0; period < 6; period++)
            {
                var post = period >= 3;
                rows.Add(new DidObservation($"u{u}", treated, post, unitLevel + (treated && post ? 2_000 : 0) + 1_000 * Gaussian(random)));
            }
        }
        var estimate = DifferenceInDifferences.Estimate(rows);
        Assert.Multiple(() =>
        {
            Assert.That(estimate.CiLow, Is.LessThan(2_000));
            Assert.That(estimate.CiHigh, Is.GreaterThan(2_000));
            Assert.That(estimate.CiHigh - estimate.CiLow, Is.LessThan(1_000), "the unit levels difference out");
            Assert.That(estimate.Method, Does.Contain("clustered by unit"));
        });
    }

    [Test]
    public void Did_clustered_errors_match_a_hand_computed_case()
    {
        // Two units per group, one pre and one post period: the DiD is (Δ̄ treated − Δ̄ control), and with
        // one observation per cell per unit the CR1 variance equals the two-sample variance of the Δs times G/(G−1)·(N−1)/(N−K).
        var rows = new List<DidObservation>
        {
            new("a", true, false, 10), new("a", true, true, 20),
            new("b", true, false, 12), new("b", true, true, 26),
            new("c", false, false, 5), new("c", false, true, 8),
            new("d", false, false, 7), new("d", false, true, 12),
        };
        var estimate = DifferenceInDifferences.Estimate(rows);
        // Δ treated: 10, 14 (mean 12); Δ control: 3, 5 (mean 4): ATT 8.
        // Σ over clusters of squared score for the interaction: residual Δs deviations 2, 2, 1, 1 per group →
        // V = Σ_i∈T (Δ_i − Δ̄_T)²/n_T² + Σ_i∈C (Δ_i − Δ̄_C)²/n_C² = (4+4)/4 + (1+1)/4 = 2.5, times 4/3·7/4.
        Assert.Multiple(() =>
        {
            Assert.That(estimate.Att, Is.EqualTo(8).Within(1e-9));
            Assert.That(estimate.StandardError, Is.EqualTo(Math.Sqrt(2.5 * 4 / 3.0 * 7 / 4.0)).Within(1e-9));
        });
    }

    [Test]
    public void Did_without_a_control_group_is_refused_with_the_reason()
    {
        var rows = new List<DidObservation> { new("a", true, false, 1), new("a", true, true, 2) };
        var error = Assert.Throws<ArgumentException>(() => DifferenceInDifferences.Estimate(rows))!;
        Assert.That(error.Message, Does.Contain("control group"));
    }

    /// <summary>
    /// Five groups starting on different weeks (as the demo's lobby events), a dynamic effect that grows
    /// with exposure, and group-specific levels. Callaway–Sant'Anna recovers each ATT(g, t) exactly and its
    /// pre-periods are zero; the aggregate is the size-weighted mean of the post effects.
    /// </summary>
    [TestCase(ControlGroup.NeverTreated)]
    [TestCase(ControlGroup.NotYetTreated)]
    public void Staggered_recovers_dynamic_group_time_effects(ControlGroup control)
    {
        int?[] starts = [3, 5, 7, 9, null];
        var rows = new List<StaggeredObservation>();
        for (var u = 0; u < 100; u++)
        {
            var g = starts[u % 5];
            for (var week = 1; week <= 12; week++)
            {
                var effect = g is { } s && week >= s ? 1_000 + 500 * (week - s) : 0;
                rows.Add(new StaggeredObservation($"u{u}", week, g, 10_000 * (u % 5) + 200 * week + u + effect));
            }
        }
        var estimate = CallawaySantAnna.Estimate(rows, control);
        var post = estimate.GroupTime.Where(e => e.Period >= e.Group).ToList();
        Assert.Multiple(() =>
        {
            foreach (var e in post)
            {
                Assert.That(e.Att, Is.EqualTo(1_000 + 500 * (e.Period - e.Group)).Within(1e-6), $"ATT({e.Group},{e.Period})");
            }
            Assert.That(estimate.GroupTime.Where(e => e.Period < e.Group).Select(e => e.Att), Is.All.EqualTo(0).Within(1e-6), "no pre-trend");
            Assert.That(estimate.Att, Is.EqualTo(post.Average(e => e.Att)).Within(1e-6), "equal group sizes: the plain mean of the post effects");
            Assert.That(estimate.Units, Is.EqualTo(100));
        });
        if (control == ControlGroup.NotYetTreated)
        {
            // Group 3 at week 4 is compared with the never-treated and groups 5, 7, 9: 80 units.
            Assert.That(estimate.GroupTime.Single(e => e.Group == 3 && e.Period == 4).ControlUnits, Is.EqualTo(80));
        }
    }

    [Test]
    public void Staggered_standard_error_shrinks_with_more_units_and_its_interval_covers_the_truth()
    {
        StaggeredEstimate Run(int units)
        {
            var random = new Random(5);
            var rows = new List<StaggeredObservation>();
            for (var u = 0; u < units; u++)
            {
                int? g = (u % 3) switch { 0 => 4, 1 => 6, _ => null };
                var level = 1_000 * Gaussian(random);
                for (var week = 1; week <= 8; week++)
                {
                    rows.Add(new StaggeredObservation($"u{u}", week, g, level + (g is { } s && week >= s ? 300 : 0) + 100 * Gaussian(random)));
                }
            }
            return CallawaySantAnna.Estimate(rows, ControlGroup.NeverTreated);
        }
        var small = Run(300);
        var large = Run(3_000);
        Assert.Multiple(() =>
        {
            Assert.That(large.StandardError, Is.LessThan(small.StandardError / 2));
            Assert.That(large.CiLow, Is.LessThan(300));
            Assert.That(large.CiHigh, Is.GreaterThan(300));
        });
    }

    [Test]
    public void Cuped_narrows_the_spread_and_keeps_the_difference()
    {
        var random = new Random(3);
        var pre = Enumerable.Range(0, 2_000).Select(_ => 50_000 + 20_000 * Gaussian(random)).ToArray();
        var treated = Enumerable.Range(0, 2_000).Select(i => i % 2 == 0).ToArray();
        var post = pre.Select((x, i) => x + (treated[i] ? 1_000 : 0) + 2_000 * Gaussian(random)).ToArray();
        var adjusted = Planning.Cuped(post, pre, out var theta, treated);
        double Diff(double[] y) => y.Where((_, i) => treated[i]).Average() - y.Where((_, i) => !treated[i]).Average();
        Assert.Multiple(() =>
        {
            Assert.That(theta, Is.EqualTo(1).Within(0.05));
            Assert.That(StandardDeviation(adjusted), Is.LessThan(StandardDeviation(post) / 5));
            Assert.That(Diff(adjusted), Is.EqualTo(1_000).Within(300));
        });
    }

    [Test]
    public void Minimum_detectable_effect_and_power_agree()
    {
        // Textbook: σ = 1, 100 per group, α = 0.05, power 0.8 → MDE = 2.8016 · √(2/100) = 0.3962.
        var mde = Planning.MinimumDetectableEffect(1, 100, 100);
        Assert.Multiple(() =>
        {
            Assert.That(mde, Is.EqualTo(0.3962).Within(0.0005));
            Assert.That(Planning.Power(mde, 1, 100, 100), Is.EqualTo(0.8).Within(0.001));
            Assert.That(Planning.MinimumDetectableEffect(1, 400, 400), Is.EqualTo(mde / 2).Within(1e-9));
        });
    }

    internal static double Gaussian(Random random) =>
        Math.Sqrt(-2 * Math.Log(1 - random.NextDouble())) * Math.Cos(2 * Math.PI * random.NextDouble());

    private static double StandardDeviation(double[] v)
    {
        var mean = v.Average();
        return Math.Sqrt(v.Sum(x => (x - mean) * (x - mean)) / (v.Length - 1));
    }
}
