namespace BankClientele.Insights.Clv;

/// <summary>Gauss's hypergeometric function ₂F₁(a, b; c; z) for positive a, b, c and 0 ≤ z &lt; 1.</summary>
public static class Hypergeometric
{
    /// <summary>ln ₂F₁(a, b; c; z) by its power series, summed until a term no longer changes the sum.</summary>
    public static double Log2F1(double a, double b, double c, double z)
    {
        if (z < 0 || z >= 1)
        {
            throw new ArgumentOutOfRangeException(nameof(z), z, "The series needs 0 ≤ z < 1.");
        }
        // Summed relative to the largest term so far, so that a large sum does not overflow.
        var term = 1.0;
        var sum = 1.0;
        for (var k = 0; k < 1_000_000; k++)
        {
            term *= (a + k) * (b + k) / ((c + k) * (k + 1)) * z;
            sum += term;
            if (Math.Abs(term) < 1e-15 * Math.Abs(sum))
            {
                break;
            }
            if (sum > 1e280)
            {
                throw new OverflowException($"₂F₁({a}, {b}; {c}; {z}) overflows.");
            }
        }
        return Math.Log(sum);
    }
}
