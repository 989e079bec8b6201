using BankClientele.Insights.Statistics;
using System.Runtime.CompilerServices;
using MathNet.Numerics;

namespace BankClientele.Insights.Clv;

/// <summary>BG/NBD parameters: purchase rates λ ~ Gamma(r, α), drop-out probabilities p ~ Beta(a, b).</summary>
public sealed record BgNbdParameters(double R, double Alpha, double A, double B)
{
    public double[] ToArray() => [R, Alpha, A, B];

    public static BgNbdParameters FromArray(double[] p) => new(p[0], p[1], p[2], p[3]);
}

public sealed record BgNbdFit(BgNbdParameters Parameters, double LogLikelihood, int Iterations, bool Converged);

/// <summary>
/// The BG/NBD model of repeat transactions (Fader, Hardie &amp; Lee 2005, "Counting your customers the
/// easy way"): its log-likelihood with analytic gradient, the maximum-likelihood fit, and the
/// per-customer predictions (expected transactions over a horizon, probability of being alive).
/// </summary>
public static class BgNbd
{
    /// <summary>
    /// Total log-likelihood of the data; when <paramref name="gradient"/> is given, fills it with
    /// ∂LL/∂(r, α, a, b). Per customer:
    /// LL = ln Γ(r+x) − ln Γ(r) + r ln α + ln B(a, b+x) − ln B(a, b)
    ///      + ln[ (α+T)^−(r+x) + 1{x&gt;0} a/(b+x−1) (α+t_x)^−(r+x) ].
    /// </summary>
    public static double LogLikelihood(BgNbdParameters parameters, FrequencyRecencyData data, double[]? gradient = null)
    {
        var (r, alpha, a, b) = (parameters.R, parameters.Alpha, parameters.A, parameters.B);
        if (r <= 0 || alpha <= 0 || a <= 0 || b <= 0)
        {
            return double.NegativeInfinity;
        }
        // The terms that depend on x alone, once per distinct frequency: ln(a/(b+x−1)) and 1/(b+x−1) too.
        var maxX = data.MaxFrequency;
        var xTerm = new double[maxX + 1];
        var dxR = new double[maxX + 1];
        var dxA = new double[maxX + 1];
        var dxB = new double[maxX + 1];
        var lnDropout = new double[maxX + 1];
        var invBx = new double[maxX + 1];
        var lnGammaR = SpecialFunctions.GammaLn(r);
        var lnBetaAB = SpecialFunctions.GammaLn(a) + SpecialFunctions.GammaLn(b) - SpecialFunctions.GammaLn(a + b);
        var psiR = SpecialFunctions.DiGamma(r);
        var psiB = SpecialFunctions.DiGamma(b);
        var psiAB = SpecialFunctions.DiGamma(a + b);
        var lnAlpha = Math.Log(alpha);
        for (var x = 0; x <= maxX; x++)
        {
            xTerm[x] = SpecialFunctions.GammaLn(r + x) - lnGammaR + r * lnAlpha
                + SpecialFunctions.GammaLn(a) + SpecialFunctions.GammaLn(b + x) - SpecialFunctions.GammaLn(a + b + x) - lnBetaAB;
            lnDropout[x] = x > 0 ? Math.Log(a / (b + x - 1)) : 0;
            invBx[x] = x > 0 ? 1 / (b + x - 1) : 0;
            if (gradient is not null)
            {
                var psiABX = SpecialFunctions.DiGamma(a + b + x);
                dxR[x] = SpecialFunctions.DiGamma(r + x) - psiR + lnAlpha;
                dxA[x] = psiAB - psiABX;
                dxB[x] = SpecialFunctions.DiGamma(b + x) - psiB + psiAB - psiABX;
            }
        }
        // ln(α + T), ln(α + t_x) and their reciprocals once per distinct T and t_x, not per triple.
        var lnAge = new double[data.DistinctAges.Length];
        var invAge = new double[lnAge.Length];
        for (var k = 0; k < lnAge.Length; k++)
        {
            lnAge[k] = Math.Log(alpha + data.DistinctAges[k]);
            invAge[k] = 1 / (alpha + data.DistinctAges[k]);
        }
        var lnRecency = new double[data.DistinctRecencies.Length];
        var invRecency = new double[lnRecency.Length];
        for (var k = 0; k < lnRecency.Length; k++)
        {
            lnRecency[k] = Math.Log(alpha + data.DistinctRecencies[k]);
            invRecency[k] = 1 / (alpha + data.DistinctRecencies[k]);
        }
        // The terms of x alone, weighted by the customers of each x, once; the sum over triples adds the rest.
        double ll = 0, gr = 0, gAlpha = 0, ga = 0, gb = 0;
        for (var x = 0; x <= maxX; x++)
        {
            var w = data.WeightByFrequency[x];
            ll += w * xTerm[x];
            gr += w * dxR[x];
            ga += w * dxA[x];
            gb += w * dxB[x];
        }
        gAlpha += data.Customers * r / alpha;
        // Partial sums over slices of the triples, one per core, added in a fixed order (the same total every time).
        var partial = new Sums[Environment.ProcessorCount];
        var chunk = (data.Count + partial.Length - 1) / partial.Length;
        var terms = new Terms(r, lnDropout, invBx, lnAge, invAge, lnRecency, invRecency);
        Parallel.For(0, partial.Length, worker => partial[worker] = Sum(data, terms, worker * chunk, Math.Min(data.Count, (worker + 1) * chunk)));
        foreach (var p in partial)
        {
            ll += p.Ll;
            gr += p.R;
            gAlpha += p.Alpha;
            ga += p.LateShare / a;
            gb += p.B;
        }
        if (gradient is not null)
        {
            (gradient[0], gradient[1], gradient[2], gradient[3]) = (gr, gAlpha, ga, gb);
        }
        return ll;
    }

    /// <summary>What the sum over triples reads: r and the terms computed once per x, T and t_x.</summary>
    private sealed record Terms(double R, double[] LnDropout, double[] InvBx, double[] LnAge, double[] InvAge, double[] LnRecency, double[] InvRecency);

    /// <summary>A slice's sums: of the log-likelihood, of its derivatives by r, α and b, and of w4 (∂/∂a is that over a).</summary>
    private readonly record struct Sums(double Ll, double R, double Alpha, double LateShare, double B);

    /// <summary>
    /// The per-triple part of the log-likelihood and its gradient over triples [from, to):
    /// ln(e^a3 + e^a4) with a3 = −(r+x) ln(α+T) and a4 = ln(a/(b+x−1)) − (r+x) ln(α+t_x), taken as
    /// a3 + max(0, d) + ln(1 + e^−|d|) with d = a4 − a3; w4 = e^a4 / (e^a3 + e^a4) is the second term's
    /// share, through which the gradient flows. Math.Exp and Math.Log rather than their Vector256 forms:
    /// those are generic library methods a fit's process first runs unoptimised (tier 0) for most of
    /// the fit, several times slower than the C library's scalar functions.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static Sums Sum(FrequencyRecencyData data, Terms terms, int from, int to)
    {
        var r = terms.R;
        var (frequency, weight, ageIndex, recencyIndex) = (data.Frequency, data.Weight, data.AgeIndex, data.RecencyIndex);
        var (lnDropout, invBx, lnAge, invAge, lnRecency, invRecency) = (terms.LnDropout, terms.InvBx, terms.LnAge, terms.InvAge, terms.LnRecency, terms.InvRecency);
        double ll = 0, gr = 0, gAlpha = 0, lateShare = 0, gb = 0;
        for (var i = from; i < to; i++)
        {
            var (x, w) = (frequency[i], weight[i]);
            var rx = r + x;
            var (lnAT, invAT) = (lnAge[ageIndex[i]], invAge[ageIndex[i]]);
            var a3 = -rx * lnAT;
            if (x == 0)
            {
                // No repeats: only the first term (e^a4 = 0).
                ll += w * a3;
                gr -= w * lnAT;
                gAlpha -= w * rx * invAT;
                continue;
            }
            var (lnATx, invATx) = (lnRecency[recencyIndex[i]], invRecency[recencyIndex[i]]);
            var d = lnDropout[x] - rx * (lnATx - lnAT);
            var e = Math.Exp(-Math.Abs(d));
            var w4 = (d > 0 ? 1 : e) / (1 + e);
            ll += w * (a3 + Math.Max(0, d) + Math.Log(1 + e));
            gr -= w * (lnAT + w4 * (lnATx - lnAT));
            gAlpha -= w * rx * (invAT + w4 * (invATx - invAT));
            lateShare += w * w4;
            gb -= w * w4 * invBx[x];
        }
        return new Sums(ll, gr, gAlpha, lateShare, gb);
    }

    /// <summary>Maximum likelihood by BFGS on the log-parameters (so they stay positive).</summary>
    public static BgNbdFit Fit(FrequencyRecencyData data, BgNbdParameters? start = null)
    {
        if (data.Customers == 0)
        {
            throw new ArgumentException("No customers to fit.", nameof(data));
        }
        var initial = start ?? new BgNbdParameters(1, Math.Max(1e-3, data.Age.Average()), 1, 1);
        if (start is null && data.Count >= CoarseStartTriples)
        {
            // Many distinct triples (a large log at day resolution): find the optimum of a coarsened copy first,
            // then finish on the exact triples from its point and curvature, in a few evaluations instead of dozens.
            var (coarse, curvature) = FitFrom(data.Coarsened(CoarseBins), initial, null);
            return FitFrom(data, coarse.Parameters, curvature).Fit;
        }
        return FitFrom(data, initial, null).Fit;
    }

    /// <summary>The fit from a start (and, for a warm start, a curvature), with the optimiser's inverse-Hessian estimate at its optimum.</summary>
    private static (BgNbdFit Fit, double[,]? Curvature) FitFrom(FrequencyRecencyData data, BgNbdParameters start, double[,]? curvature)
    {
        var n = data.Customers;
        var gradient = new double[4];
        double Objective(double[] theta, double[] g)
        {
            var p = theta.Select(Math.Exp).ToArray();
            var ll = LogLikelihood(BgNbdParameters.FromArray(p), data, gradient);
            for (var k = 0; k < 4; k++)
            {
                // Chain rule for θ = ln p; scaled per customer so that tolerances do not depend on N.
                g[k] = -gradient[k] * p[k] / n;
            }
            return -ll / n;
        }
        var minimum = Optimisers.Bfgs(Objective, [.. start.ToArray().Select(v => Math.Log(v))], gradientTolerance: 1e-9, inverseHessian: curvature);
        var best = BgNbdParameters.FromArray([.. minimum.Point.Select(Math.Exp)]);
        return (new BgNbdFit(best, -minimum.Value * n, minimum.Iterations, minimum.Converged), minimum.InverseHessian);
    }

    /// <summary>Distinct triples from which a fit first finds a coarsened copy's optimum (below, the exact fit is cheap anyway).</summary>
    private const int CoarseStartTriples = 20_000;

    /// <summary>Steps of the longest T the coarsened copy rounds t_x and T to.</summary>
    private const int CoarseBins = 32;

    /// <summary>P(alive | x, t_x, T).</summary>
    public static double ProbabilityAlive(BgNbdParameters p, int x, double recency, double age) =>
        x == 0 ? 1 : 1 / (1 + p.A / (p.B + x - 1) * Math.Exp((p.R + x) * (Math.Log(p.Alpha + age) - Math.Log(p.Alpha + recency))));

    /// <summary>E[X(t) | x, t_x, T]: expected transactions in the next <paramref name="horizon"/> time units.</summary>
    public static double ExpectedTransactions(BgNbdParameters p, int x, double recency, double age, double horizon)
    {
        if (horizon <= 0)
        {
            return 0;
        }
        var (r, alpha, a, b) = (p.R, p.Alpha, p.A, p.B);
        var z = horizon / (alpha + age + horizon);
        var ln2F1 = Hypergeometric.Log2F1(r + x, b + x, a + b + x - 1, z);
        var inner = 1 - Math.Exp((r + x) * Math.Log((alpha + age) / (alpha + age + horizon)) + ln2F1);
        var numerator = (a + b + x - 1) / (a - 1) * inner;
        var denominator = 1 + (x > 0 ? a / (b + x - 1) * Math.Exp((r + x) * (Math.Log(alpha + age) - Math.Log(alpha + recency))) : 0);
        return numerator / denominator;
    }

    /// <summary>Draws a customer base from the model: the summaries it would produce, for parameter-recovery checks.</summary>
    public static IEnumerable<RepeatSummary> Simulate(BgNbdParameters p, int customers, Func<Random, double> age, Random random)
    {
        var lambdas = new MathNet.Numerics.Distributions.Gamma(p.R, p.Alpha, random);
        var dropouts = new MathNet.Numerics.Distributions.Beta(p.A, p.B, random);
        for (var c = 0; c < customers; c++)
        {
            var lambda = lambdas.Sample();
            var dropout = dropouts.Sample();
            var t = age(random);
            var time = 0.0;
            var x = 0;
            var last = 0.0;
            while (true)
            {
                time += -Math.Log(1 - random.NextDouble()) / lambda;
                if (time > t)
                {
                    break;
                }
                x++;
                last = time;
                if (random.NextDouble() < dropout)
                {
                    break;
                }
            }
            yield return new RepeatSummary(c.ToString(System.Globalization.CultureInfo.InvariantCulture), x, last, t, 0);
        }
    }
}
