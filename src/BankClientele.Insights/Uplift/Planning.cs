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

    /// <summary>The power to detect <paramref name="effect"/> with the given groups (two-sided test at α).</summary>
    public static double Power(double effect, double standardDeviation, int treated, int control, double alpha = 0.05)
    {
        var se = standardDeviation * Math.Sqrt(1.0 / treated + 1.0 / control);
        var z = Normal.InvCDF(0, 1, 1 - alpha / 2);
        return Normal.CDF(0, 1, Math.Abs(effect) / se - z) + Normal.CDF(0, 1, -Math.Abs(effect) / se - z);
    }
}
