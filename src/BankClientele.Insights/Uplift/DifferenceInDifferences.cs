using MathNet.Numerics.Distributions;
using MathNet.Numerics.LinearAlgebra;

namespace BankClientele.Insights.Uplift;

/// <summary>One observation of a 2x2 panel: a unit in a period, in the treated group or not, after the start or not.</summary>
public readonly record struct DidObservation(string Unit, bool Treated, bool Post, double Outcome);

public sealed record DidEstimate(double Att, double StandardError, double CiLow, double CiHigh, int Observations, int Clusters, string Method);

/// <summary>
/// 2x2 difference-in-differences by OLS of y on 1, treated, post and treated×post: the interaction
/// is the ATT. Standard errors are clustered by unit (CR1, with the small-sample factor
/// G/(G−1)·(N−1)/(N−K)) because a unit's observations over time are correlated; the interval uses
/// Student's t with G−1 degrees of freedom.
/// </summary>
public static class DifferenceInDifferences
{
    public const string Method = "OLS 2x2 difference-in-differences (y ~ treated + post + treated:post), CR1 standard errors clustered by unit, t(G-1) interval";

    public static DidEstimate Estimate(IReadOnlyList<DidObservation> observations)
    {
        var cells = observations.GroupBy(o => (o.Treated, o.Post)).ToDictionary(g => g.Key, g => g.Count());
        foreach (var cell in new[] { (false, false), (false, true), (true, false), (true, true) })
        {
            if (!cells.ContainsKey(cell))
            {
                throw new ArgumentException($"No observation of the {(cell.Item1 ? "treated" : "control")} group in the {(cell.Item2 ? "post" : "pre")} period: the 2x2 comparison needs all four cells.", nameof(observations));
            }
        }
        const int k = 4;
        var n = observations.Count;
        var xtx = Matrix<double>.Build.Dense(k, k);
        var xty = Vector<double>.Build.Dense(k);
        var row = new double[k];
        foreach (var o in observations)
        {
            Fill(row, o);
            for (var i = 0; i < k; i++)
            {
                xty[i] += row[i] * o.Outcome;
                for (var j = 0; j < k; j++)
                {
                    xtx[i, j] += row[i] * row[j];
                }
            }
        }
        var bread = xtx.Inverse();
        var beta = bread * xty;
        // Meat: Σ_g (X_g' u_g)(X_g' u_g)'.
        var meat = Matrix<double>.Build.Dense(k, k);
        var clusters = 0;
        foreach (var unit in observations.GroupBy(o => o.Unit, StringComparer.Ordinal))
        {
            clusters++;
            var score = new double[k];
            foreach (var o in unit)
            {
                Fill(row, o);
                var residual = o.Outcome - (beta[0] + beta[1] * row[1] + beta[2] * row[2] + beta[3] * row[3]);
                for (var i = 0; i < k; i++)
                {
                    score[i] += row[i] * residual;
                }
            }
            for (var i = 0; i < k; i++)
            {
                for (var j = 0; j < k; j++)
                {
                    meat[i, j] += score[i] * score[j];
                }
            }
        }
        if (clusters < 2)
        {
            throw new ArgumentException("Clustered standard errors need at least two units.", nameof(observations));
        }
        var correction = clusters / (clusters - 1.0) * (n - 1.0) / (n - k);
        var covariance = bread * meat * bread * correction;
        var se = Math.Sqrt(covariance[3, 3]);
        var t = StudentT.InvCDF(0, 1, clusters - 1, 0.975);
        return new DidEstimate(beta[3], se, beta[3] - t * se, beta[3] + t * se, n, clusters, Method);
    }

    private static void Fill(double[] row, DidObservation o)
    {
        row[0] = 1;
        row[1] = o.Treated ? 1 : 0;
        row[2] = o.Post ? 1 : 0;
        row[3] = o.Treated && o.Post ? 1 : 0;
    }
}
