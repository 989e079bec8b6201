using BankClientele.Insights.Statistics;
using System.Runtime.CompilerServices;
using System.Runtime.Intrinsics;
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
        var withGradient = gradient is not null;
        // Partial sums over slices of the triples, one per core, added in a fixed order (the same total every time).
        var partial = new (double Ll, double R, double Alpha, double A, double B)[Environment.ProcessorCount];
        var chunk = (data.Count + partial.Length - 1) / partial.Length;
        var terms = new Terms(r, alpha, a, xTerm, dxR, dxA, dxB, lnDropout, invBx, lnAge, invAge, lnRecency, invRecency, withGradient);
        Parallel.For(0, partial.Length, worker => partial[worker] = Sum(data, terms, worker * chunk, Math.Min(data.Count, (worker + 1) * chunk)));
        if (gradient is not null)
        {
            gradient[0] = partial.Sum(p => p.R);
            gradient[1] = partial.Sum(p => p.Alpha);
            gradient[2] = partial.Sum(p => p.A);
            gradient[3] = partial.Sum(p => p.B);
        }
        return partial.Sum(p => p.Ll);
    }

    /// <summary>What the sum over triples reads: the parameters and the terms computed once per x, T and t_x.</summary>
    private sealed record Terms(double R, double Alpha, double A, double[] XTerm, double[] DxR, double[] DxA, double[] DxB, double[] LnDropout, double[] InvBx,
        double[] LnAge, double[] InvAge, double[] LnRecency, double[] InvRecency, bool WithGradient);

    /// <summary>
    /// The log-likelihood and its gradient over triples [from, to), in blocks: a scalar pass gathers each
    /// triple's two exponents a3 and a4, the exp and log of ln(e^a3 + e^a4) = max + ln(1 + e^−|a3 − a4|)
    /// run four to an instruction (Vector256), and a scalar pass sums the weighted terms.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static (double Ll, double R, double Alpha, double A, double B) Sum(FrequencyRecencyData data, Terms terms, int from, int to)
    {
        const int Block = 512;
        var (r, alpha, a) = (terms.R, terms.Alpha, terms.A);
        var (frequency, weight, ageIndex, recencyIndex) = (data.Frequency, data.Weight, data.AgeIndex, data.RecencyIndex);
        var (xTerm, lnDropout, lnAge, lnRecency) = (terms.XTerm, terms.LnDropout, terms.LnAge, terms.LnRecency);
        Span<double> a3s = stackalloc double[Block];
        Span<double> a4s = stackalloc double[Block];
        Span<double> e = stackalloc double[Block];
        Span<double> l = stackalloc double[Block];
        double ll = 0, gr = 0, gAlpha = 0, ga = 0, gb = 0;
        for (var start = from; start < to; start += Block)
        {
            var m = Math.Min(Block, to - start);
            for (var j = 0; j < m; j++)
            {
                var i = start + j;
                var x = frequency[i];
                var rx = r + x;
                var a3 = -rx * lnAge[ageIndex[i]];
                // A customer without repeats has only the first term: e^a4 = 0.
                var a4 = x > 0 ? lnDropout[x] - rx * lnRecency[recencyIndex[i]] : double.NegativeInfinity;
                (a3s[j], a4s[j], e[j]) = (a3, a4, -Math.Abs(a3 - a4));
            }
            var padded = (m + Vector256<double>.Count - 1) & ~(Vector256<double>.Count - 1);
            e[m..padded].Fill(double.NegativeInfinity);
            for (var j = 0; j < padded; j += Vector256<double>.Count)
            {
                var exp = Vector256.Exp(Vector256.Create(e.Slice(j, Vector256<double>.Count)));
                exp.CopyTo(e.Slice(j, Vector256<double>.Count));
                Vector256.Log(Vector256<double>.One + exp).CopyTo(l.Slice(j, Vector256<double>.Count));
            }
            for (var j = 0; j < m; j++)
            {
                var i = start + j;
                var x = frequency[i];
                var w = weight[i];
                var (a3, a4) = (a3s[j], a4s[j]);
                double ln, w3, w4;
                if (x > 0)
                {
                    // w3, w4: the two terms' shares of the sum.
                    ln = Math.Max(a3, a4) + l[j];
                    var smaller = e[j] / (1 + e[j]);
                    (w3, w4) = a3 >= a4 ? (1 - smaller, smaller) : (smaller, 1 - smaller);
                }
                else
                {
                    (ln, w3, w4) = (a3, 1, 0);
                }
                ll += w * (xTerm[x] + ln);
                if (terms.WithGradient)
                {
                    var rx = r + x;
                    var lnAT = lnAge[ageIndex[i]];
                    var lnATx = x > 0 ? lnRecency[recencyIndex[i]] : 0;
                    gr += w * (terms.DxR[x] - w3 * lnAT - w4 * lnATx);
                    gAlpha += w * (r / alpha - w3 * rx * terms.InvAge[ageIndex[i]] - (x > 0 ? w4 * rx * terms.InvRecency[recencyIndex[i]] : 0));
                    ga += w * (terms.DxA[x] + (x > 0 ? w4 / a : 0));
                    gb += w * (terms.DxB[x] - w4 * terms.InvBx[x]);
                }
            }
        }
        return (ll, gr, gAlpha, ga, gb);
    }

    /// <summary>Maximum likelihood by BFGS on the log-parameters (so they stay positive).</summary>
    public static BgNbdFit Fit(FrequencyRecencyData data, BgNbdParameters? start = null)
    {
        if (data.Customers == 0)
        {
            throw new ArgumentException("No customers to fit.", nameof(data));
        }
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
        var initial = (start ?? new BgNbdParameters(1, Math.Max(1e-3, data.Age.Average()), 1, 1)).ToArray().Select(v => Math.Log(v)).ToArray();
        var minimum = Optimisers.Bfgs(Objective, initial, gradientTolerance: 1e-9);
        var best = BgNbdParameters.FromArray([.. minimum.Point.Select(Math.Exp)]);
        return new BgNbdFit(best, -minimum.Value * n, minimum.Iterations, minimum.Converged);
    }

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
