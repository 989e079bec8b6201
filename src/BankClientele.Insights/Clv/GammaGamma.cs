using BankClientele.Insights.Statistics;
using System.Runtime.CompilerServices;
using MathNet.Numerics;

namespace BankClientele.Insights.Clv;

/// <summary>Gamma-Gamma parameters: transaction values z ~ Gamma(p, ν), ν ~ Gamma(q, γ).</summary>
public sealed record GammaGammaParameters(double P, double Q, double Gamma)
{
    public double[] ToArray() => [P, Q, Gamma];

    public static GammaGammaParameters FromArray(double[] v) => new(v[0], v[1], v[2]);
}

public sealed record GammaGammaFit(GammaGammaParameters Parameters, double LogLikelihood, int Customers, bool Converged);

/// <summary>
/// The Gamma-Gamma model of spend per transaction (Fader, Hardie &amp; Lee 2005, "RFM and CLV"), fitted on
/// the customers with at least one repeat transaction: x repeat transactions of mean value m.
/// </summary>
public static class GammaGamma
{
    /// <summary>
    /// Σ ln f(m | x) with f the density of the mean of x values; per customer
    /// ln Γ(px+q) − ln Γ(px) − ln Γ(q) + q ln γ + (px−1) ln m + px ln x − (px+q) ln(γ + m x).
    /// The Γ and ψ terms depend on x alone, so they are computed once per distinct x.
    /// </summary>
    public static double LogLikelihood(GammaGammaParameters parameters, GammaGammaData data, double[]? gradient = null)
    {
        var (p, q, g) = (parameters.P, parameters.Q, parameters.Gamma);
        if (p <= 0 || q <= 0 || g <= 0)
        {
            return double.NegativeInfinity;
        }
        var lnGammaQ = SpecialFunctions.GammaLn(q);
        var psiQ = SpecialFunctions.DiGamma(q);
        var lnG = Math.Log(g);
        double ll = 0, dp = 0, dq = 0, dg = 0;
        // The terms with ln(γ + m x) are per customer: split over the cores, each worker sums ln(γ + m x)
        // and 1/(γ + m x) per frequency (the data are sorted by it) and weights the sums by (px + q) and
        // x, so no per-customer array is allocated per evaluation.
        var workers = Math.Max(1, Math.Min(Environment.ProcessorCount, data.Count / 10_000));
        var partial = new (double WeightedLn, double XLn, double Ln, double WeightedInv)[workers];
        var chunk = (data.Count + workers - 1) / workers;
        Parallel.For(0, workers, worker => partial[worker] = Sum(data, p, q, g, worker * chunk, Math.Min(data.Count, (worker + 1) * chunk)));
        foreach (var (x, from, to, sumLnM) in data.ByFrequency)
        {
            var px = p * x;
            var lnX = Math.Log(x);
            var count = to - from;
            ll += count * (SpecialFunctions.GammaLn(px + q) - SpecialFunctions.GammaLn(px) - lnGammaQ + q * lnG + px * lnX)
                + (px - 1) * sumLnM;
            if (gradient is not null)
            {
                var psiPxQ = SpecialFunctions.DiGamma(px + q);
                dp += x * (count * (psiPxQ - SpecialFunctions.DiGamma(px) + lnX) + sumLnM);
                dq += count * (psiPxQ - psiQ + lnG);
                dg += count * q / g;
            }
        }
        foreach (var (weightedLn, xLn, ln, weightedInv) in partial)
        {
            ll -= weightedLn;
            dp -= xLn;
            dq -= ln;
            dg -= weightedInv;
        }
        if (gradient is not null)
        {
            gradient[0] = dp;
            gradient[1] = dq;
            gradient[2] = dg;
        }
        return ll;
    }

    // Math.Log rather than Vector256.Log: that is a generic library method a fit's process first runs
    // unoptimised (tier 0) for most of the fit, several times slower than the C library's log.
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static (double WeightedLn, double XLn, double Ln, double WeightedInv) Sum(GammaGammaData data, double p, double q, double g, int from, int to)
    {
        double weightedLn = 0, xLn = 0, ln = 0, weightedInv = 0;
        var spend = data.Spend;
        foreach (var (x, groupFrom, groupTo, _) in data.ByFrequency)
        {
            var (start, end) = (Math.Max(from, groupFrom), Math.Min(to, groupTo));
            double sumLn = 0, sumInv = 0;
            var i = start;
            for (; i + 4 <= end; i += 4)
            {
                var (y0, y1, y2, y3) = (g + spend[i], g + spend[i + 1], g + spend[i + 2], g + spend[i + 3]);
                // Four logarithms as the logarithm of their product, a quarter of the calls, unless the
                // product leaves the normal doubles.
                var product = y0 * y1 * y2 * y3;
                sumLn += double.IsNormal(product) ? Math.Log(product) : Math.Log(y0) + Math.Log(y1) + Math.Log(y2) + Math.Log(y3);
                sumInv += 1 / y0 + 1 / y1 + 1 / y2 + 1 / y3;
            }
            for (; i < end; i++)
            {
                var gmx = g + spend[i];
                sumLn += Math.Log(gmx);
                sumInv += 1 / gmx;
            }
            var pxq = p * x + q;
            weightedLn += pxq * sumLn;
            xLn += x * sumLn;
            ln += sumLn;
            weightedInv += pxq * sumInv;
        }
        return (weightedLn, xLn, ln, weightedInv);
    }

    /// <summary>Fits on the customers with x &gt; 0 and a positive mean value; the others carry no spend information.</summary>
    public static GammaGammaFit Fit(IEnumerable<RepeatSummary> customers) => Fit(new GammaGammaData(customers));

    public static GammaGammaFit Fit(CustomerSummaries customers) => Fit(new GammaGammaData(customers));

    public static GammaGammaFit Fit(GammaGammaData data)
    {
        if (data.Count < 3)
        {
            throw new ArgumentException("The Gamma-Gamma model needs at least three customers with repeat transactions of positive value.", nameof(data));
        }
        var n = data.Count;
        var gradient = new double[3];
        double Objective(double[] theta, double[] grad)
        {
            var v = theta.Select(Math.Exp).ToArray();
            var ll = LogLikelihood(GammaGammaParameters.FromArray(v), data, gradient);
            for (var k = 0; k < 3; k++)
            {
                grad[k] = -gradient[k] * v[k] / n;
            }
            return -ll / n;
        }
        var meanValue = data.Monetary.Average();
        // Start with a mean spend p γ / (q − 1) equal to the observed mean.
        double[] start = [Math.Log(1), Math.Log(2), Math.Log(meanValue)];
        var minimum = Optimisers.Bfgs(Objective, start, gradientTolerance: 1e-9);
        return new GammaGammaFit(GammaGammaParameters.FromArray([.. minimum.Point.Select(Math.Exp)]), -minimum.Value * n, n, minimum.Converged);
    }

    /// <summary>E[Z | x, m]: the expected value of a customer's future transaction.</summary>
    public static double ExpectedValue(GammaGammaParameters parameters, int x, double monetary)
    {
        var (p, q, g) = (parameters.P, parameters.Q, parameters.Gamma);
        return (p * (g + x * monetary)) / (p * x + q - 1);
    }

    /// <summary>Draws x transaction values for a customer (for simulation).</summary>
    public static double SimulateMean(GammaGammaParameters parameters, int x, Random random)
    {
        var nu = MathNet.Numerics.Distributions.Gamma.Sample(random, parameters.Q, parameters.Gamma);
        var sum = 0.0;
        for (var i = 0; i < x; i++)
        {
            sum += MathNet.Numerics.Distributions.Gamma.Sample(random, parameters.P, nu);
        }
        return x == 0 ? 0 : sum / x;
    }
}

/// <summary>The customers the spend model learns from (x &gt; 0, positive mean value), sorted by frequency.</summary>
public sealed class GammaGammaData
{
    public GammaGammaData(IEnumerable<RepeatSummary> customers)
        : this([visit =>
        {
            foreach (var c in customers)
            {
                visit(c.Frequency, c.MonetaryValue);
            }
        }])
    {
    }

    public GammaGammaData(CustomerSummaries customers)
        : this([.. customers.Parts.Select(part => (Action<Action<int, double>>)([MethodImpl(MethodImplOptions.AggressiveOptimization)] (visit) =>
        {
            for (var k = part.Skip; k < part.Count; k++)
            {
                ref readonly var d = ref part.Days[k];
                if (d.Days > 1)
                {
                    visit(d.Repeats, d.MeanRepeatValue);
                }
            }
        }))])
    {
    }

    /// <param name="chunks">
    /// The customers, chunk after chunk: each calls its argument with its customers' (x, m), the same
    /// customers in the same order each time. The chunks are counted and placed in parallel.
    /// </param>
    private GammaGammaData(Action<Action<int, double>>[] chunks)
    {
        // A counting sort by frequency (stable: customers of one frequency in their order) rather than
        // LINQ over records or a comparison sort: a million customers in a few milliseconds.
        var counts = new int[chunks.Length][];
        Parallel.For(0, chunks.Length, c => counts[c] = CountByFrequency(chunks[c]));
        var maxX = 0;
        foreach (var chunkCounts in counts)
        {
            maxX = Math.Max(maxX, chunkCounts.Length - 1);
        }
        // next[c][x]: where chunk c's next customer of frequency x goes.
        var next = new int[chunks.Length][];
        for (var c = 0; c < chunks.Length; c++)
        {
            next[c] = new int[maxX + 1];
        }
        var starts = new int[maxX + 2];
        for (var x = 0; x <= maxX; x++)
        {
            starts[x + 1] = starts[x];
            for (var c = 0; c < chunks.Length; c++)
            {
                next[c][x] = starts[x + 1];
                starts[x + 1] += x < counts[c].Length ? counts[c][x] : 0;
            }
        }
        var count = starts[^1];
        Monetary = new double[count];
        Spend = new double[count];
        Parallel.For(0, chunks.Length, c => Place(chunks[c], next[c], Monetary, Spend));
        var groups = new List<(int, int, int, double)>();
        for (var x = 1; x <= maxX; x++)
        {
            if (starts[x + 1] > starts[x])
            {
                var sumLnM = 0.0;
                for (var i = starts[x]; i < starts[x + 1]; i++)
                {
                    sumLnM += Math.Log(Monetary[i]);
                }
                groups.Add((x, starts[x], starts[x + 1], sumLnM));
            }
        }
        ByFrequency = [.. groups];
    }

    /// <summary>A chunk's customers with x &gt; 0 and m &gt; 0, counted by x.</summary>
    private static int[] CountByFrequency(Action<Action<int, double>> chunk)
    {
        var counts = new int[16];
        chunk([MethodImpl(MethodImplOptions.AggressiveOptimization)] (x, m) =>
        {
            if (x > 0 && m > 0)
            {
                if (x >= counts.Length)
                {
                    Array.Resize(ref counts, Math.Max(x + 1, counts.Length * 2));
                }
                counts[x]++;
            }
        });
        return counts;
    }

    private static void Place(Action<Action<int, double>> chunk, int[] next, double[] monetary, double[] spend) =>
        chunk([MethodImpl(MethodImplOptions.AggressiveOptimization)] (x, m) =>
        {
            if (x > 0 && m > 0)
            {
                var at = next[x]++;
                (monetary[at], spend[at]) = (m, m * x);
            }
        });

    /// <summary>Each customer's total repeat spend m x, as the likelihood reads it.</summary>
    public double[] Spend { get; }

    public double[] Monetary { get; }

    /// <summary>Each distinct frequency: its customers' index range [From, To) and the sum of their ln m.</summary>
    public (int Frequency, int From, int To, double SumLnMonetary)[] ByFrequency { get; }

    public int Count => Monetary.Length;
}
