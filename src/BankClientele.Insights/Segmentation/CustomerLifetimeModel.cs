using BankClientele.Insights.Clv;

namespace BankClientele.Insights.Segmentation;

/// <summary>
/// The fitted repeat-transaction model (BG/NBD or Pareto/NBD) and Gamma-Gamma, as the segmentation
/// uses them. Too few customers to fit (a new network) gives no model: P(alive) 1, no expected
/// transactions, CLV 0, until there is data. When every customer transacts alike, the likelihood's
/// maximum lies at infinity (a gamma of rates collapsing to one rate, no dropout): the fit then runs
/// off to absurd parameters, and the model is that limit instead, one Poisson rate for all.
/// </summary>
public sealed class CustomerLifetimeModel
{
    private readonly BgNbdParameters? bgNbd;
    private readonly ParetoNbdParameters? paretoNbd;
    private readonly GammaGammaParameters? spend;
    private readonly SegmentationOptions options;
    private readonly double? commonRate;

    /// <summary>Parameters beyond these bounds mean the maximiser ran off towards a limit of the model.</summary>
    private const double Degenerate = 1e8;

    private CustomerLifetimeModel(string name, BgNbdParameters? bgNbd, ParetoNbdParameters? paretoNbd, GammaGammaParameters? spend,
        SegmentationOptions options, IReadOnlyDictionary<string, double> parameters, double? commonRate = null)
    {
        Name = name;
        this.commonRate = commonRate;
        this.bgNbd = bgNbd;
        this.paretoNbd = paretoNbd;
        this.spend = spend;
        this.options = options;
        Parameters = parameters;
    }

    public string Name { get; }

    public IReadOnlyDictionary<string, double> Parameters { get; }

    public static CustomerLifetimeModel Fit(IReadOnlyList<RepeatSummary> summaries, SegmentationOptions options, int minimumCustomers)
    {
        var parameters = new Dictionary<string, double>();
        var pareto = string.Equals(options.Model, "pareto-nbd", StringComparison.OrdinalIgnoreCase);
        var withRepeats = summaries.Count(s => s.Frequency > 0);
        if (summaries.Count < minimumCustomers || withRepeats < 3)
        {
            return new CustomerLifetimeModel("none", null, null, null, options, parameters);
        }
        BgNbdParameters? bg = null;
        ParetoNbdParameters? pn = null;
        var data = new FrequencyRecencyData(summaries);
        try
        {
            if (pareto)
            {
                var fit = ParetoNbd.Fit(data);
                pn = fit.Parameters;
                (parameters["r"], parameters["alpha"], parameters["s"], parameters["beta"], parameters["logLikelihood"]) = (pn.R, pn.Alpha, pn.S, pn.Beta, fit.LogLikelihood);
            }
            else
            {
                var fit = BgNbd.Fit(data);
                bg = fit.Parameters;
                (parameters["r"], parameters["alpha"], parameters["a"], parameters["b"], parameters["logLikelihood"]) = (bg.R, bg.Alpha, bg.A, bg.B, fit.LogLikelihood);
            }
        }
        catch (ArgumentException)
        {
            // A degenerate base (e.g. every customer observed for no time) has no maximum: no model tonight.
            return new CustomerLifetimeModel("none", null, null, null, options, parameters);
        }
        GammaGammaParameters? gg = null;
        try
        {
            gg = GammaGamma.Fit(summaries).Parameters;
            (parameters["p"], parameters["q"], parameters["gamma"]) = (gg.P, gg.Q, gg.Gamma);
            if (!InBounds(gg.P, gg.Q, gg.Gamma))
            {
                gg = null; // no spread of values to fit: each customer's own mean value stands in
            }
        }
        catch (ArgumentException)
        {
            // Too few customers with valued repeats: each customer's own mean value stands in.
        }
        var fitted = bg is { } b ? InBounds(b.R, b.Alpha, b.A, b.B) : pn is { } q && InBounds(q.R, q.Alpha, q.S, q.Beta);
        if (!fitted || !double.IsFinite(parameters["logLikelihood"]) || parameters["logLikelihood"] == 0)
        {
            var rate = summaries.Sum(s => (double)s.Frequency) / Math.Max(1e-9, summaries.Sum(s => s.Age));
            parameters["commonRate"] = rate;
            return new CustomerLifetimeModel("poisson", null, null, gg, options, parameters, rate);
        }
        return new CustomerLifetimeModel(pareto ? "pareto-nbd" : "bgnbd", bg, pn, gg, options, parameters);
    }

    private static bool InBounds(params double[] values) =>
        values.All(v => double.IsFinite(v) && v > 1 / Degenerate && v < Degenerate);

    /// <summary>E[Z]: the expected value of a future transaction (Gamma-Gamma's, or the customer's own mean).</summary>
    public double ExpectedValue(RepeatSummary s) =>
        spend is { } g && g.Q > 1 ? GammaGamma.ExpectedValue(g, s.Frequency, s.MonetaryValue) : s.MonetaryValue;

    private double Alive(int x, double tx, double t) =>
        commonRate is not null ? 1 : bgNbd is { } b ? BgNbd.ProbabilityAlive(b, x, tx, t) : paretoNbd is { } p ? ParetoNbd.ProbabilityAlive(p, x, tx, t) : 1;

    private double Expected(int x, double tx, double t, double horizon) =>
        commonRate is { } rate ? rate * horizon : bgNbd is { } b ? BgNbd.ExpectedTransactions(b, x, tx, t, horizon)
        : paretoNbd is { } p ? ParetoNbd.ExpectedTransactions(p, x, tx, t, horizon) : 0;

    /// <summary>
    /// Per customer: P(alive), expected transactions over the horizon, and the discounted expected
    /// transactions Σₖ (E[X(k)] − E[X(k−1)]) / (1 + d)ᵏ, so that CLV = that × E[Z]. Each distinct
    /// (x, t_x, T) is computed once, in parallel: a million customers share far fewer triples.
    /// </summary>
    public (double Alive, double Expected, double Discounted)[] PredictDistinct(IReadOnlyList<RepeatSummary> summaries)
    {
        var index = new Dictionary<(int, double, double), int>();
        var owners = new int[summaries.Count];
        var keys = new List<(int X, double Tx, double T)>();
        for (var i = 0; i < summaries.Count; i++)
        {
            var s = summaries[i];
            var key = (s.Frequency, s.Frequency == 0 ? 0 : s.Recency, s.Age);
            if (!index.TryGetValue(key, out var k))
            {
                k = keys.Count;
                index.Add(key, k);
                keys.Add(key);
            }
            owners[i] = k;
        }
        var distinct = new (double, double, double)[keys.Count];
        var periods = Math.Max(1, options.HorizonPeriods);
        var periodWeeks = options.HorizonWeeks / (double)periods;
        var perPeriodRate = Math.Pow(1 + options.AnnualDiscountRate, periodWeeks / 52.0) - 1;
        Parallel.For(0, keys.Count, k =>
        {
            var (x, tx, t) = keys[k];
            var discounted = 0.0;
            var previous = 0.0;
            for (var p = 1; p <= periods; p++)
            {
                var cumulative = Expected(x, tx, t, p * periodWeeks);
                discounted += (cumulative - previous) / Math.Pow(1 + perPeriodRate, p);
                previous = cumulative;
            }
            distinct[k] = (Alive(x, tx, t), previous, discounted);
        });
        var result = new (double, double, double)[summaries.Count];
        for (var i = 0; i < result.Length; i++)
        {
            result[i] = distinct[owners[i]];
        }
        return result;
    }
}
