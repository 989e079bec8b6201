namespace BankClientele.Insights.Clv;

/// <summary>A customer's predicted figures over a horizon.</summary>
public sealed record CustomerPrediction(string CustomerId, int Frequency, double Recency, double Age, double MonetaryValue,
    double ProbabilityAlive, double ExpectedTransactions, double ExpectedValue, double Clv);

/// <summary>Customer lifetime value from a repeat-transaction model and the Gamma-Gamma spend model.</summary>
public static class CustomerValue
{
    /// <summary>
    /// CLV over <paramref name="horizonPeriods"/> periods of <paramref name="periodLength"/> time units:
    /// Σₖ (E[X(k)] − E[X(k−1)]) · E[Z] / (1 + d)ᵏ, with d the discount rate per period.
    /// </summary>
    public static double Clv(Func<double, double> expectedTransactions, double expectedValue, int horizonPeriods, double periodLength, double discountRatePerPeriod)
    {
        var clv = 0.0;
        var previous = 0.0;
        for (var k = 1; k <= horizonPeriods; k++)
        {
            var cumulative = expectedTransactions(k * periodLength);
            clv += (cumulative - previous) * expectedValue / Math.Pow(1 + discountRatePerPeriod, k);
            previous = cumulative;
        }
        return clv;
    }

    public static CustomerPrediction Predict(RepeatSummary c, BgNbdParameters transactions, GammaGammaParameters? spend,
        double horizon, int horizonPeriods, double discountRatePerPeriod)
    {
        var alive = BgNbd.ProbabilityAlive(transactions, c.Frequency, c.Recency, c.Age);
        var expected = BgNbd.ExpectedTransactions(transactions, c.Frequency, c.Recency, c.Age, horizon);
        var value = spend is null ? c.MonetaryValue : GammaGamma.ExpectedValue(spend, c.Frequency, c.MonetaryValue);
        var clv = Clv(t => BgNbd.ExpectedTransactions(transactions, c.Frequency, c.Recency, c.Age, t), value,
            horizonPeriods, horizon / horizonPeriods, discountRatePerPeriod);
        return new CustomerPrediction(c.CustomerId, c.Frequency, c.Recency, c.Age, c.MonetaryValue, alive, expected, value, clv);
    }
}
