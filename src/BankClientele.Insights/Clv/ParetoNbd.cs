using BankClientele.Insights.Statistics;
using MathNet.Numerics;

namespace BankClientele.Insights.Clv;

/// <summary>Pareto/NBD parameters: purchase rates λ ~ Gamma(r, α), drop-out rates μ ~ Gamma(s, β).</summary>
public sealed record ParetoNbdParameters(double R, double Alpha, double S, double Beta)
{
    public double[] ToArray() => [R, Alpha, S, Beta];

    public static ParetoNbdParameters FromArray(double[] v) => new(v[0], v[1], v[2], v[3]);
}

public sealed record ParetoNbdFit(ParetoNbdParameters Parameters, double LogLikelihood, int Evaluations, bool Converged);

/// <summary>
/// The Pareto/NBD model (Schmittlein, Morrison &amp; Colombo 1987), with the likelihood as written by
/// Fader &amp; Hardie (2005, "A note on deriving the Pareto/NBD model"), through ₂F₁. Its gradient would
/// need derivatives of ₂F₁ in its parameters, so it is fitted by Nelder–Mead on the log-parameters.
/// </summary>
public static class ParetoNbd
{
    public static double LogLikelihood(ParetoNbdParameters parameters, FrequencyRecencyData data)
    {
        var (r, alpha, s, beta) = (parameters.R, parameters.Alpha, parameters.S, parameters.Beta);
        if (r <= 0 || alpha <= 0 || s <= 0 || beta <= 0)
        {
            return double.NegativeInfinity;
        }
        var lnGammaR = SpecialFunctions.GammaLn(r);
        var constant = r * Math.Log(alpha) + s * Math.Log(beta) - lnGammaR;
        var partial = new double[Environment.ProcessorCount];
        var chunk = (data.Count + partial.Length - 1) / partial.Length;
        Parallel.For(0, partial.Length, worker =>
        {
            var sum = 0.0;
            var end = Math.Min(data.Count, (worker + 1) * chunk);
            for (var i = worker * chunk; i < end; i++)
            {
                var x = data.Frequency[i];
                var lnL = SpecialFunctions.GammaLn(r + x) + constant + LogBracket(parameters, x, data.Recency[i], data.Age[i]);
                sum += data.Weight[i] * lnL;
            }
            partial[worker] = sum;
        });
        return partial.Sum();
    }

    /// <summary>ln{ (α+T)^−(r+x) (β+T)^−s + s/(r+s+x) A₀ }, the part of the likelihood that depends on the customer's times.</summary>
    private static double LogBracket(ParetoNbdParameters p, int x, double recency, double age)
    {
        var (r, alpha, s, beta) = (p.R, p.Alpha, p.S, p.Beta);
        var first = -(r + x) * Math.Log(alpha + age) - s * Math.Log(beta + age);
        var lnA0 = LogA0(p, x, recency, age);
        var second = Math.Log(s / (r + s + x)) + lnA0;
        if (double.IsNegativeInfinity(second))
        {
            return first;
        }
        var max = Math.Max(first, second);
        return max + Math.Log(Math.Exp(first - max) + Math.Exp(second - max));
    }

    /// <summary>ln A₀, A₀ = F(t_x) − F(T) with F(t) = ₂F₁(r+s+x, b₂; r+s+x+1; z(t)) / (m+t)^(r+s+x).</summary>
    private static double LogA0(ParetoNbdParameters p, int x, double recency, double age)
    {
        var (r, alpha, s, beta) = (p.R, p.Alpha, p.S, p.Beta);
        var a1 = r + s + x;
        var (m, b2, diff) = alpha >= beta ? (alpha, s + 1, alpha - beta) : (beta, r + x, beta - alpha);
        double LogF(double t) => Hypergeometric.Log2F1(a1, b2, a1 + 1, diff / (m + t)) - a1 * Math.Log(m + t);
        var atRecency = LogF(recency);
        var atAge = LogF(age);
        var ratio = Math.Exp(atAge - atRecency);
        return ratio >= 1 ? double.NegativeInfinity : atRecency + Math.Log(1 - ratio);
    }

    public static ParetoNbdFit Fit(FrequencyRecencyData data, ParetoNbdParameters? start = null)
    {
        if (data.Customers == 0)
        {
            throw new ArgumentException("No customers to fit.", nameof(data));
        }
        var n = data.Customers;
        double Objective(double[] theta)
        {
            var ll = LogLikelihood(ParetoNbdParameters.FromArray([.. theta.Select(Math.Exp)]), data);
            return double.IsFinite(ll) ? -ll / n : double.PositiveInfinity;
        }
        var meanAge = Math.Max(1e-3, data.Age.Average());
        var initial = (start ?? new ParetoNbdParameters(1, meanAge, 1, meanAge)).ToArray().Select(v => Math.Log(v)).ToArray();
        // Restarted once from its own optimum: Nelder–Mead can stall on a flat ridge.
        var first = Optimisers.NelderMead(Objective, initial, tolerance: 1e-12);
        var minimum = Optimisers.NelderMead(Objective, first.Point, initialStep: 0.1, tolerance: 1e-13);
        return new ParetoNbdFit(ParetoNbdParameters.FromArray([.. minimum.Point.Select(Math.Exp)]), -minimum.Value * n,
            first.Evaluations + minimum.Evaluations, minimum.Converged);
    }

    /// <summary>P(alive | x, t_x, T).</summary>
    public static double ProbabilityAlive(ParetoNbdParameters p, int x, double recency, double age)
    {
        var first = -(p.R + x) * Math.Log(p.Alpha + age) - p.S * Math.Log(p.Beta + age);
        return Math.Exp(first - LogBracket(p, x, recency, age));
    }

    /// <summary>E[X(t) | x, t_x, T] = (r+x)(β+T) / ((α+T)(s−1)) [1 − ((β+T)/(β+T+t))^(s−1)] P(alive).</summary>
    public static double ExpectedTransactions(ParetoNbdParameters p, int x, double recency, double age, double horizon)
    {
        var (r, alpha, s, beta) = (p.R, p.Alpha, p.S, p.Beta);
        var growth = Math.Abs(s - 1) < 1e-9
            ? Math.Log((beta + age + horizon) / (beta + age))
            : (1 - Math.Pow((beta + age) / (beta + age + horizon), s - 1)) / (s - 1);
        return (r + x) * (beta + age) / (alpha + age) * growth * ProbabilityAlive(p, x, recency, age);
    }
}
