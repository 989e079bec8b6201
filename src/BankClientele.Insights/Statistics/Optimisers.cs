namespace BankClientele.Insights.Statistics;

/// <summary>The outcome of a minimisation: the point, the value there, and how it ended (BFGS: with its inverse-Hessian estimate there).</summary>
public sealed record Minimum(double[] Point, double Value, int Iterations, int Evaluations, bool Converged)
{
    public double[,]? InverseHessian { get; init; }
}

/// <summary>
/// Unconstrained minimisers for the likelihood fits. The models' parameters are positive, so the
/// fits run them on log-parameters. Written here (not MathNet's BFGS) to control the line search:
/// a likelihood that overflows at a trial step returns +∞ and the step is simply shortened.
/// </summary>
public static class Optimisers
{
    /// <summary>
    /// BFGS with an inverse-Hessian update and a backtracking Armijo line search, from the identity or from
    /// <paramref name="inverseHessian"/> (an estimate from a nearby problem: a warm start then needs a few steps).
    /// </summary>
    public static Minimum Bfgs(Func<double[], double[], double> valueAndGradient, double[] start,
        double gradientTolerance = 1e-7, int maxIterations = 500, double[,]? inverseHessian = null)
    {
        var minimum = BfgsFrom(valueAndGradient, start, gradientTolerance, maxIterations, inverseHessian is null ? null : (double[,])inverseHessian.Clone(), out var h);
        return minimum with { InverseHessian = h };
    }

    private static Minimum BfgsFrom(Func<double[], double[], double> valueAndGradient, double[] start,
        double gradientTolerance, int maxIterations, double[,]? initialInverseHessian, out double[,] h)
    {
        var n = start.Length;
        var x = (double[])start.Clone();
        var g = new double[n];
        var f = valueAndGradient(x, g);
        var evaluations = 1;
        if (!double.IsFinite(f))
        {
            throw new ArgumentException("The objective is not finite at the starting point.", nameof(start));
        }
        h = initialInverseHessian ?? Identity(n);
        var xNew = new double[n];
        var gNew = new double[n];
        var direction = new double[n];
        for (var iteration = 1; iteration <= maxIterations; iteration++)
        {
            if (MaxAbs(g) < gradientTolerance)
            {
                return new Minimum(x, f, iteration - 1, evaluations, true);
            }
            MultiplyNegated(h, g, direction);
            var slope = Dot(direction, g);
            if (slope >= 0)
            {
                // Not a descent direction (lost curvature): restart from steepest descent.
                h = Identity(n);
                MultiplyNegated(h, g, direction);
                slope = Dot(direction, g);
            }
            var step = 1.0;
            double fNew;
            while (true)
            {
                for (var i = 0; i < n; i++)
                {
                    xNew[i] = x[i] + step * direction[i];
                }
                fNew = valueAndGradient(xNew, gNew);
                evaluations++;
                if (double.IsFinite(fNew) && fNew <= f + 1e-4 * step * slope)
                {
                    break;
                }
                step *= 0.5;
                if (step * MaxAbs(direction) < 1e-10 && MaxAbs(g) < Math.Sqrt(gradientTolerance))
                {
                    // At the minimum to within rounding: the objective no longer decreases by more than its
                    // rounding error, and halving on down to 1e-16 would cost some fifty evaluations to move
                    // no coordinate by more than 1e-10.
                    return new Minimum(x, f, iteration, evaluations, true);
                }
                if (step < 1e-16)
                {
                    // No decrease is possible along the direction: as good as it gets in floating point.
                    return new Minimum(x, f, iteration, evaluations, MaxAbs(g) < Math.Sqrt(gradientTolerance));
                }
            }
            var s = new double[n];
            var y = new double[n];
            for (var i = 0; i < n; i++)
            {
                s[i] = xNew[i] - x[i];
                y[i] = gNew[i] - g[i];
            }
            var sy = Dot(s, y);
            if (sy > 1e-12)
            {
                UpdateInverseHessian(h, s, y, sy);
            }
            var improvement = f - fNew;
            Array.Copy(xNew, x, n);
            Array.Copy(gNew, g, n);
            f = fNew;
            if (improvement >= 0 && improvement < 1e-15 * Math.Max(1, Math.Abs(f)) && MaxAbs(g) < Math.Sqrt(gradientTolerance))
            {
                return new Minimum(x, f, iteration, evaluations, true);
            }
        }
        return new Minimum(x, f, maxIterations, evaluations, MaxAbs(g) < gradientTolerance);
    }

    /// <summary>Nelder–Mead simplex, for the likelihoods without an analytic gradient.</summary>
    public static Minimum NelderMead(Func<double[], double> value, double[] start, double initialStep = 0.5,
        double tolerance = 1e-10, int maxEvaluations = 20_000)
    {
        var n = start.Length;
        var points = new double[n + 1][];
        var values = new double[n + 1];
        var evaluations = 0;
        double Eval(double[] p)
        {
            evaluations++;
            var v = value(p);
            return double.IsNaN(v) ? double.PositiveInfinity : v;
        }
        for (var i = 0; i <= n; i++)
        {
            points[i] = (double[])start.Clone();
            if (i > 0)
            {
                points[i][i - 1] += initialStep;
            }
            values[i] = Eval(points[i]);
        }
        var iterations = 0;
        while (evaluations < maxEvaluations)
        {
            iterations++;
            var order = Enumerable.Range(0, n + 1).OrderBy(i => values[i]).ToArray();
            points = [.. order.Select(i => points[i])];
            values = [.. order.Select(i => values[i])];
            if (Math.Abs(values[n] - values[0]) <= tolerance * (Math.Abs(values[0]) + tolerance) && Spread(points) < 1e-8)
            {
                return new Minimum(points[0], values[0], iterations, evaluations, true);
            }
            var centroid = new double[n];
            for (var i = 0; i < n; i++)
            {
                for (var d = 0; d < n; d++)
                {
                    centroid[d] += points[i][d] / n;
                }
            }
            double[] Along(double t) => [.. centroid.Select((c, d) => c + t * (points[n][d] - c))];
            var reflected = Along(-1);
            var fr = Eval(reflected);
            if (fr < values[0])
            {
                var expanded = Along(-2);
                var fe = Eval(expanded);
                (points[n], values[n]) = fe < fr ? (expanded, fe) : (reflected, fr);
            }
            else if (fr < values[n - 1])
            {
                (points[n], values[n]) = (reflected, fr);
            }
            else
            {
                var contracted = fr < values[n] ? Along(-0.5) : Along(0.5);
                var fc = Eval(contracted);
                if (fc < Math.Min(fr, values[n]))
                {
                    (points[n], values[n]) = (contracted, fc);
                }
                else
                {
                    for (var i = 1; i <= n; i++)
                    {
                        points[i] = [.. points[i].Select((p, d) => points[0][d] + 0.5 * (p - points[0][d]))];
                        values[i] = Eval(points[i]);
                    }
                }
            }
        }
        var best = Array.IndexOf(values, values.Min());
        return new Minimum(points[best], values[best], iterations, evaluations, false);
    }

    private static double Spread(double[][] points) =>
        points.Skip(1).Max(p => p.Select((v, d) => Math.Abs(v - points[0][d])).Max());

    private static double[,] Identity(int n)
    {
        var h = new double[n, n];
        for (var i = 0; i < n; i++)
        {
            h[i, i] = 1;
        }
        return h;
    }

    private static void MultiplyNegated(double[,] h, double[] g, double[] result)
    {
        for (var i = 0; i < g.Length; i++)
        {
            var sum = 0.0;
            for (var j = 0; j < g.Length; j++)
            {
                sum += h[i, j] * g[j];
            }
            result[i] = -sum;
        }
    }

    /// <summary>H ← (I − ρ s yᵀ) H (I − ρ y sᵀ) + ρ s sᵀ, with ρ = 1 / (yᵀ s).</summary>
    private static void UpdateInverseHessian(double[,] h, double[] s, double[] y, double sy)
    {
        var n = s.Length;
        var rho = 1 / sy;
        var hy = new double[n];
        for (var i = 0; i < n; i++)
        {
            for (var j = 0; j < n; j++)
            {
                hy[i] += h[i, j] * y[j];
            }
        }
        var yhy = Dot(y, hy);
        for (var i = 0; i < n; i++)
        {
            for (var j = 0; j < n; j++)
            {
                h[i, j] += -rho * (hy[i] * s[j] + s[i] * hy[j]) + (rho * rho * yhy + rho) * s[i] * s[j];
            }
        }
    }

    private static double Dot(double[] a, double[] b)
    {
        var sum = 0.0;
        for (var i = 0; i < a.Length; i++)
        {
            sum += a[i] * b[i];
        }
        return sum;
    }

    private static double MaxAbs(double[] v) => v.Max(Math.Abs);
}
