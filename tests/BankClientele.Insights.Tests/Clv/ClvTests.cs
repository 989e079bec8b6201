using BankClientele.Insights.Clv;
using BankClientele.Insights.Statistics;

namespace BankClientele.Insights.Tests.Clv;

/// <summary>The CLV models' maths: likelihoods and gradients, the CDNOW reproduction, parameter recovery.</summary>
public class ClvTests
{
    private static readonly DateOnly CdnowCalibrationEnd = new(1997, 9, 30);

    /// <summary>The committed copy of CDNOW_sample.txt (../shared is not always beside a checkout).</summary>
    public static string CdnowSamplePath()
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
        {
            var candidate = Path.Combine(dir.FullName, "tests", "BankClientele.Insights.Tests", "Clv", "Data", "CDNOW_sample.txt");
            if (File.Exists(candidate))
            {
                return candidate;
            }
        }
        throw new FileNotFoundException("tests/BankClientele.Insights.Tests/Clv/Data/CDNOW_sample.txt not found above " + AppContext.BaseDirectory);
    }

    private static List<RepeatSummary> CdnowSummaries() =>
        TransactionLog.SummariseFile(CdnowSamplePath(), TransactionLogFormat.Cdnow, CdnowCalibrationEnd).ToList();

    /// <summary>Equal when both are rounded to three significant figures, as the papers print them.</summary>
    private static void AssertSignificant(double actual, double expected, string name)
    {
        static double Round3(double v) => Math.Round(v / Math.Pow(10, Math.Floor(Math.Log10(Math.Abs(v))) - 2)) * Math.Pow(10, Math.Floor(Math.Log10(Math.Abs(v))) - 2);
        Assert.That(Round3(actual), Is.EqualTo(Round3(expected)).Within(1e-9), $"{name} = {actual} to three significant figures");
    }

    [Test]
    public void Cdnow_summary_matches_the_papers_counts()
    {
        var summaries = CdnowSummaries();
        Assert.Multiple(() =>
        {
            Assert.That(summaries, Has.Count.EqualTo(2357));
            // Fader, Hardie & Lee (2005): 946 of the 2,357 made a repeat purchase in the 39 weeks; 1,366 repeat transactions... of the sample's calibration.
            Assert.That(summaries.Count(s => s.Frequency > 0), Is.EqualTo(946));
            Assert.That(summaries.Max(s => s.Age), Is.LessThanOrEqualTo(39.0));
        });
    }

    [Test]
    public void Bgnbd_reproduces_the_published_cdnow_estimates()
    {
        var fit = BgNbd.Fit(new FrequencyRecencyData(CdnowSummaries()));
        Assert.Multiple(() =>
        {
            Assert.That(fit.Converged, Is.True);
            AssertSignificant(fit.Parameters.R, 0.243, "r");
            AssertSignificant(fit.Parameters.Alpha, 4.414, "alpha");
            AssertSignificant(fit.Parameters.A, 0.793, "a");
            AssertSignificant(fit.Parameters.B, 2.426, "b");
            Assert.That(fit.LogLikelihood, Is.EqualTo(-9582.4).Within(0.05));
        });
    }

    [Test]
    public void Gamma_gamma_reproduces_the_published_cdnow_estimates()
    {
        var fit = GammaGamma.Fit(CdnowSummaries());
        Assert.Multiple(() =>
        {
            Assert.That(fit.Customers, Is.EqualTo(946));
            AssertSignificant(fit.Parameters.P, 6.25, "p");
            AssertSignificant(fit.Parameters.Q, 3.74, "q");
            AssertSignificant(fit.Parameters.Gamma, 15.44, "gamma");
        });
    }

    [Test]
    public void Pareto_nbd_fits_cdnow_near_the_literatures_estimates()
    {
        // Fader, Hardie & Lee (2005, table 1) report r = 0.55, α = 10.58, s = 0.61, β = 11.67, LL = −9595.0
        // for the Pareto/NBD on the same sample; the BG/NBD fits it slightly better (−9582.4).
        var fit = ParetoNbd.Fit(new FrequencyRecencyData(CdnowSummaries()));
        Assert.Multiple(() =>
        {
            Assert.That(fit.Converged, Is.True);
            Assert.That(fit.Parameters.R, Is.EqualTo(0.55).Within(0.01));
            Assert.That(fit.Parameters.Alpha, Is.EqualTo(10.58).Within(0.1));
            Assert.That(fit.Parameters.S, Is.EqualTo(0.61).Within(0.01));
            Assert.That(fit.Parameters.Beta, Is.EqualTo(11.67).Within(0.15));
            Assert.That(fit.LogLikelihood, Is.EqualTo(-9595.0).Within(0.1));
        });
    }

    [Test]
    public void Bgnbd_gradient_matches_finite_differences()
    {
        var data = new FrequencyRecencyData(CdnowSummaries());
        double[] at = [0.5, 3.0, 1.2, 2.0];
        var gradient = new double[4];
        BgNbd.LogLikelihood(BgNbdParameters.FromArray(at), data, gradient);
        for (var k = 0; k < 4; k++)
        {
            var numeric = CentralDifference(v => BgNbd.LogLikelihood(BgNbdParameters.FromArray(v), data), at, k);
            Assert.That(gradient[k], Is.EqualTo(numeric).Within(Math.Abs(numeric) * 1e-6 + 1e-4), $"∂LL/∂θ{k}");
        }
    }

    [Test]
    public void Gamma_gamma_gradient_matches_finite_differences()
    {
        var data = new GammaGammaData(CdnowSummaries());
        double[] at = [3.0, 5.0, 20.0];
        var gradient = new double[3];
        GammaGamma.LogLikelihood(GammaGammaParameters.FromArray(at), data, gradient);
        for (var k = 0; k < 3; k++)
        {
            var numeric = CentralDifference(v => GammaGamma.LogLikelihood(GammaGammaParameters.FromArray(v), data), at, k);
            Assert.That(gradient[k], Is.EqualTo(numeric).Within(Math.Abs(numeric) * 1e-6 + 1e-4), $"∂LL/∂θ{k}");
        }
    }

    [Test]
    public void Compressed_likelihoods_equal_the_sums_over_customers()
    {
        // BG/NBD: one weighted term per distinct (x, t_x, T); Gamma-Gamma: the Γ terms once per distinct x.
        var summaries = CdnowSummaries();
        var data = new FrequencyRecencyData(summaries);
        Assert.That(data.Count, Is.LessThan(summaries.Count / 2), "customers with the same (x, t_x, T) share a term");
        var p = new BgNbdParameters(0.243, 4.414, 0.793, 2.426);
        var gradient = new double[4];
        var ll = BgNbd.LogLikelihood(p, data, gradient);
        var (sum, sumGradient, one) = (0.0, new double[4], new double[4]);
        foreach (var c in summaries)
        {
            sum += BgNbd.LogLikelihood(p, new FrequencyRecencyData([c]), one);
            for (var k = 0; k < 4; k++)
            {
                sumGradient[k] += one[k];
            }
        }
        var spend = new GammaGammaParameters(6.25, 3.74, 15.44);
        var spendGradient = new double[3];
        var spendLl = GammaGamma.LogLikelihood(spend, new GammaGammaData(summaries), spendGradient);
        var (spendSum, spendSumGradient, spendOne) = (0.0, new double[3], new double[3]);
        foreach (var c in summaries.Where(c => c.Frequency > 0 && c.MonetaryValue > 0))
        {
            spendSum += GammaGamma.LogLikelihood(spend, new GammaGammaData([c]), spendOne);
            for (var k = 0; k < 3; k++)
            {
                spendSumGradient[k] += spendOne[k];
            }
        }
        Assert.Multiple(() =>
        {
            Assert.That(ll, Is.EqualTo(sum).Within(1e-9 * Math.Abs(sum)));
            Assert.That(spendLl, Is.EqualTo(spendSum).Within(1e-9 * Math.Abs(spendSum)));
            for (var k = 0; k < 4; k++)
            {
                Assert.That(gradient[k], Is.EqualTo(sumGradient[k]).Within(1e-9 * Math.Abs(sumGradient[k]) + 1e-9), $"∂LL/∂θ{k}");
            }
            for (var k = 0; k < 3; k++)
            {
                Assert.That(spendGradient[k], Is.EqualTo(spendSumGradient[k]).Within(1e-9 * Math.Abs(spendSumGradient[k]) + 1e-9), $"Gamma-Gamma ∂LL/∂θ{k}");
            }
        });
    }

    [Test]
    public void Bgnbd_likelihood_of_one_customer_matches_the_closed_form()
    {
        // x = 2, t_x = 10, T = 20 at r = 0.5, α = 2, a = 1, b = 3, written out term by term.
        var p = new BgNbdParameters(0.5, 2, 1, 3);
        var ll = BgNbd.LogLikelihood(p, new FrequencyRecencyData([new RepeatSummary("c", 2, 10, 20, 0)]));
        double Gamma(double v) => MathNet.Numerics.SpecialFunctions.Gamma(v);
        var a1 = Gamma(2.5) * Math.Pow(2, 0.5) / Gamma(0.5);
        var a2 = Gamma(4) * Gamma(5) / (Gamma(3) * Gamma(6));
        var a3 = Math.Pow(22, -2.5);
        var a4 = 1.0 / 4 * Math.Pow(12, -2.5);
        Assert.That(ll, Is.EqualTo(Math.Log(a1 * a2 * (a3 + a4))).Within(1e-10));
    }

    [Test]
    public void Bgnbd_recovers_the_parameters_it_simulated_from()
    {
        var truth = new BgNbdParameters(0.8, 5, 0.6, 3);
        var random = new Random(20261123);
        var summaries = BgNbd.Simulate(truth, 50_000, r => 30 + 22 * r.NextDouble(), random).ToList();
        var fit = BgNbd.Fit(new FrequencyRecencyData(summaries));
        Assert.Multiple(() =>
        {
            Assert.That(fit.Converged, Is.True);
            Assert.That(fit.Parameters.R, Is.EqualTo(truth.R).Within(truth.R * 0.1));
            Assert.That(fit.Parameters.Alpha, Is.EqualTo(truth.Alpha).Within(truth.Alpha * 0.1));
            Assert.That(fit.Parameters.A, Is.EqualTo(truth.A).Within(truth.A * 0.15));
            Assert.That(fit.Parameters.B, Is.EqualTo(truth.B).Within(truth.B * 0.15));
        });
    }

    [Test]
    public void A_large_fit_warm_started_from_a_coarsened_copy_ends_where_a_cold_fit_does()
    {
        // 50,000 customers with continuous T: about as many distinct triples, so Fit starts from a coarsened copy's optimum.
        var random = new Random(7);
        var data = new FrequencyRecencyData(BgNbd.Simulate(new BgNbdParameters(0.8, 5, 0.6, 3), 50_000, r => 30 + 22 * r.NextDouble(), random).ToList());
        Assert.That(data.Count, Is.GreaterThan(20_000));
        var warm = BgNbd.Fit(data);
        var cold = BgNbd.Fit(data, new BgNbdParameters(1, data.Age.Average(), 1, 1)); // a given start skips the coarsened copy
        Assert.Multiple(() =>
        {
            Assert.That(warm.Converged && cold.Converged, Is.True);
            Assert.That(warm.Iterations, Is.LessThan(cold.Iterations), "the warm start saves iterations on the exact triples");
            // 1e-6 relative: each stops within the optimiser's tolerance of the one optimum.
            Assert.That(warm.Parameters.R, Is.EqualTo(cold.Parameters.R).Within(1e-4).Percent);
            Assert.That(warm.Parameters.Alpha, Is.EqualTo(cold.Parameters.Alpha).Within(1e-4).Percent);
            Assert.That(warm.Parameters.A, Is.EqualTo(cold.Parameters.A).Within(1e-4).Percent);
            Assert.That(warm.Parameters.B, Is.EqualTo(cold.Parameters.B).Within(1e-4).Percent);
            Assert.That(warm.LogLikelihood, Is.EqualTo(cold.LogLikelihood).Within(1e-9).Percent);
        });
    }

    [Test]
    public void Gamma_gamma_recovers_the_parameters_it_simulated_from()
    {
        var truth = new GammaGammaParameters(6, 4, 15);
        var random = new Random(7);
        var summaries = Enumerable.Range(0, 20_000).Select(i =>
        {
            var x = 1 + random.Next(10);
            return new RepeatSummary(i.ToString(System.Globalization.CultureInfo.InvariantCulture), x, 1, 2, GammaGamma.SimulateMean(truth, x, random));
        }).ToList();
        var fit = GammaGamma.Fit(summaries);
        Assert.Multiple(() =>
        {
            Assert.That(fit.Parameters.P, Is.EqualTo(truth.P).Within(truth.P * 0.1));
            Assert.That(fit.Parameters.Q, Is.EqualTo(truth.Q).Within(truth.Q * 0.1));
            Assert.That(fit.Parameters.Gamma, Is.EqualTo(truth.Gamma).Within(truth.Gamma * 0.15));
        });
    }

    [Test]
    public void Bgnbd_predictions_match_the_papers_worked_example()
    {
        // Fader, Hardie & Lee (2005), section 5: a customer with x = 2, t_x = 30.43, T = 38.86 is expected
        // to make 1.226 transactions in the next 39 weeks at the CDNOW estimates.
        var p = new BgNbdParameters(0.243, 4.414, 0.793, 2.426);
        Assert.Multiple(() =>
        {
            Assert.That(BgNbd.ExpectedTransactions(p, 2, 30.43, 38.86, 39), Is.EqualTo(1.226).Within(0.002));
            Assert.That(BgNbd.ProbabilityAlive(p, 0, 0, 38.86), Is.EqualTo(1));
            Assert.That(BgNbd.ProbabilityAlive(p, 2, 5, 38.86), Is.LessThan(BgNbd.ProbabilityAlive(p, 2, 30.43, 38.86)));
        });
    }

    [Test]
    public void Clv_discounts_later_transactions()
    {
        // A constant rate of one transaction per period worth 10: undiscounted 10 per period.
        Assert.Multiple(() =>
        {
            Assert.That(CustomerValue.Clv(t => t, 10, 12, 1, 0), Is.EqualTo(120).Within(1e-9));
            Assert.That(CustomerValue.Clv(t => t, 10, 2, 1, 0.1), Is.EqualTo(10 / 1.1 + 10 / 1.21).Within(1e-9));
        });
    }

    [Test]
    public void Bfgs_finds_the_minimum_of_rosenbrock()
    {
        static double Rosenbrock(double[] v, double[] g)
        {
            var (x, y) = (v[0], v[1]);
            g[0] = -2 * (1 - x) - 400 * x * (y - x * x);
            g[1] = 200 * (y - x * x);
            return (1 - x) * (1 - x) + 100 * (y - x * x) * (y - x * x);
        }
        var minimum = Optimisers.Bfgs(Rosenbrock, [-1.2, 1]);
        var simplex = Optimisers.NelderMead(v => Rosenbrock(v, new double[2]), [-1.2, 1]);
        Assert.Multiple(() =>
        {
            Assert.That(minimum.Converged, Is.True);
            Assert.That(minimum.Point[0], Is.EqualTo(1).Within(1e-5));
            Assert.That(minimum.Point[1], Is.EqualTo(1).Within(1e-5));
            Assert.That(simplex.Point[0], Is.EqualTo(1).Within(1e-3));
        });
    }

    [Test]
    public void Hypergeometric_series_matches_closed_forms()
    {
        // ₂F₁(1, 1; 2; z) = −ln(1 − z) / z and ₂F₁(a, b; b; z) = (1 − z)^−a.
        Assert.Multiple(() =>
        {
            Assert.That(Math.Exp(Hypergeometric.Log2F1(1, 1, 2, 0.5)), Is.EqualTo(-Math.Log(0.5) / 0.5).Within(1e-12));
            Assert.That(Math.Exp(Hypergeometric.Log2F1(2.5, 3, 3, 0.3)), Is.EqualTo(Math.Pow(0.7, -2.5)).Within(1e-12));
        });
    }

    [Test]
    public void A_bad_log_line_is_reported_by_line_and_field_and_nothing_is_read()
    {
        var text = "00001 0001 19970101 1 10.00\n00001 0001 1997013x 1 10.00\n00002 0002 19970105 1 -3\n";
        var error = Assert.Throws<TransactionLogException>(() => TransactionLog.ReadCdnow(new StringReader(text)))!;
        Assert.Multiple(() =>
        {
            Assert.That(error.ErrorCount, Is.EqualTo(2));
            Assert.That(error.Errors[0], Is.EqualTo(new LogLineError(2, "date", "'1997013x' is not a yyyyMMdd date")));
            Assert.That(error.Errors[1].Line, Is.EqualTo(3));
            Assert.That(error.Errors[1].Field, Is.EqualTo("value"));
        });
    }

    [Test]
    public void Same_day_purchases_count_once_and_repeat_value_is_their_mean()
    {
        var log = TransactionLog.ReadCsv(new StringReader("customer,date,value\na,2024-01-01,5\na,2024-01-08,10\na,2024-01-08,20\na,2024-01-15,6\nb,2024-01-20,1\n"));
        var summaries = log.Summarise(new DateOnly(2024, 1, 28)).ToDictionary(s => s.CustomerId);
        Assert.Multiple(() =>
        {
            Assert.That(summaries["a"].Frequency, Is.EqualTo(2));
            Assert.That(summaries["a"].Recency, Is.EqualTo(2.0));
            Assert.That(summaries["a"].Age, Is.EqualTo(27 / 7.0).Within(1e-12));
            Assert.That(summaries["a"].MonetaryValue, Is.EqualTo(18.0));
            Assert.That(summaries["b"].Frequency, Is.Zero);
            Assert.That(summaries["b"].Age, Is.EqualTo(8 / 7.0).Within(1e-12));
        });
    }

    private static double CentralDifference(Func<double[], double> f, double[] at, int k)
    {
        var h = 1e-6 * Math.Max(1, Math.Abs(at[k]));
        var plus = (double[])at.Clone();
        var minus = (double[])at.Clone();
        plus[k] += h;
        minus[k] -= h;
        return (f(plus) - f(minus)) / (2 * h);
    }
}
