using MathNet.Numerics.Distributions;

namespace BankClientele.Insights.Uplift;

/// <summary>Variance reduction and holdout planning for campaign comparisons.</summary>
public static class Planning
{
    /// <summary>
    /// CUPED (Deng et al. 2013): Y − θ(X − mean X) with θ = cov(X, Y) / var(X), X the pre-period
    /// outcome. The adjusted outcomes have the same group difference in expectation and less variance.
    /// With <paramref name="groups"/>, θ comes from the within-group covariances, so that the
    /// treatment effect itself (a shift of one group's Y) cannot leak into θ through a chance
    /// imbalance of X between the groups.
    /// </summary>
    public static double[] Cuped(IReadOnlyList<double> outcome, IReadOnlyList<double> prePeriod, out double theta, IReadOnlyList<bool>? groups = null)
    {
        if (outcome.Count != prePeriod.Count || outcome.Count < 2 || (groups is not null && groups.Count != outcome.Count))
        {
            throw new ArgumentException("CUPED needs an outcome and a pre-period value for each of at least two units.", nameof(prePeriod));
        }
        var keys = groups ?? [.. outcome.Select(_ => false)];
        double cov = 0, varX = 0;
        foreach (var key in new[] { false, true })
        {
            var members = Enumerable.Range(0, outcome.Count).Where(i => keys[i] == key).ToList();
            if (members.Count == 0)
            {
                continue;
            }
            var mx = members.Average(i => prePeriod[i]);
            var my = members.Average(i => outcome[i]);
            foreach (var i in members)
            {
                cov += (prePeriod[i] - mx) * (outcome[i] - my);
                varX += (prePeriod[i] - mx) * (prePeriod[i] - mx);
            }
        }
        var meanX = prePeriod.Average();
        var th = varX == 0 ? 0 : cov / varX;
        theta = th;
        return [.. outcome.Select((y, i) => y - th * (prePeriod[i] - meanX))];
    }

    /// <summary>
    /// The minimum detectable effect of a two-group comparison of means: (z₁₋α/₂ + z_power) σ √(1/n_t + 1/n_c).
    /// </summary>
    public static double MinimumDetectableEffect(double standardDeviation, int treated, int control, double alpha = 0.05, double power = 0.8)
    {
        if (treated < 1 || control < 1 || standardDeviation < 0 || alpha is <= 0 or >= 1 || power is <= 0 or >= 1)
        {
            throw new ArgumentException("Needs group sizes ≥ 1, σ ≥ 0, 0 < α < 1 and 0 < power < 1.");
        }
        var z = Normal.InvCDF(0, 1, 1 - alpha / 2) + Normal.InvCDF(0, 1, power);
        return z * standardDeviation * Math.Sqrt(1.0 / treated + 1.0 / control);
    }

    /// <summary>
    /// The power to detect <paramref name="effect"/> with the given groups: a two-sided z-test at α
    /// (normal approximation), both tails counted.
    /// </summary>
    public static double Power(double effect, double standardDeviation, int treated, int control, double alpha = 0.05)
    {
        if (treated < 1 || control < 1 || standardDeviation <= 0 || alpha is <= 0 or >= 1 || !double.IsFinite(effect))
        {
            throw new ArgumentException("Needs group sizes ≥ 1, σ > 0, 0 < α < 1 and a finite effect.");
        }
        var se = standardDeviation * Math.Sqrt(1.0 / treated + 1.0 / control);
        var z = Normal.InvCDF(0, 1, 1 - alpha / 2);
        return Normal.CDF(0, 1, Math.Abs(effect) / se - z) + Normal.CDF(0, 1, -Math.Abs(effect) / se - z);
    }

    /// <summary>
    /// The groups a two-sided comparison of means needs to detect <paramref name="effect"/> with
    /// <paramref name="power"/> at α, a fraction h (<paramref name="holdoutFraction"/>) held out as
    /// control. With n_t = (1−h)N and n_c = hN the standard error is σ√(1/n_t + 1/n_c) = σ√((1/(1−h) + 1/h)/N),
    /// and setting |D|/se = z₁₋α/₂ + z_power gives N = (z₁₋α/₂ + z_power)² σ² (1/(1−h) + 1/h) / D².
    /// Each group is rounded up (so the design never falls short of the power); the total is their sum.
    /// σ = 1, D = 0.2, α = 0.05, power 0.8, h = 0.5: N = 784.9, 393 per group.
    /// </summary>
    public static SampleSize RequiredSampleSize(double standardDeviation, double effect, double alpha = 0.05, double power = 0.8, double holdoutFraction = 0.5)
    {
        if (standardDeviation <= 0 || !double.IsFinite(standardDeviation) || effect == 0 || !double.IsFinite(effect)
            || alpha is <= 0 or >= 1 || power is <= 0 or >= 1 || holdoutFraction is <= 0 or >= 1)
        {
            throw new ArgumentException("Needs σ > 0, an effect ≠ 0, 0 < α < 1, 0 < power < 1 and 0 < holdout fraction < 1.");
        }
        var z = Normal.InvCDF(0, 1, 1 - alpha / 2) + Normal.InvCDF(0, 1, power);
        var total = z * z * standardDeviation * standardDeviation * (1 / (1 - holdoutFraction) + 1 / holdoutFraction) / (effect * effect);
        // A hair below an integer is float noise, not a need for one more customer.
        var treated = (long)Math.Ceiling((1 - holdoutFraction) * total - 1e-9);
        var control = (long)Math.Ceiling(holdoutFraction * total - 1e-9);
        return new SampleSize(Math.Max(treated, 1), Math.Max(control, 1));
    }
}

/// <summary>A design's group sizes: treated and held-out control.</summary>
public sealed record SampleSize(long Treated, long Control)
{
    public long Total => Treated + Control;
}
