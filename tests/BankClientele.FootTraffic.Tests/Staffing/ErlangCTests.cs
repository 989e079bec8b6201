using BankClientele.FootTraffic.Staffing;

namespace BankClientele.FootTraffic.Tests.Staffing;

public sealed class ErlangCTests
{
    // The worked example of call-centre texts (callcentrehelper.com's "Erlang C formula – made simple"):
    // 100 calls in 30 minutes, 3-minute handle time (10 Erlangs), 80 % answered within 20 s.
    [TestCase(11, 0.6821, 0.3896, 122.8)]
    [TestCase(12, 0.4494, 0.6402, 40.4)]
    [TestCase(13, 0.2853, 0.7956, 17.1)]
    [TestCase(14, 0.1741, 0.8884, 7.8)]
    public void Matches_the_textbook_worked_example(int agents, double waitProbability, double serviceLevel, double averageWaitSeconds)
    {
        var result = ErlangC.Evaluate(agents, arrivalsPerHour: 200, handleMinutes: 3, targetWaitSeconds: 20);
        Assert.Multiple(() =>
        {
            Assert.That(result.ProbabilityOfWaiting, Is.EqualTo(waitProbability).Within(0.00005));
            Assert.That(result.ServiceLevel, Is.EqualTo(serviceLevel).Within(0.00005));
            Assert.That(result.AverageWaitSeconds, Is.EqualTo(averageWaitSeconds).Within(0.05));
            Assert.That(result.Occupancy, Is.EqualTo(10.0 / agents).Within(1e-12));
        });
    }

    [Test]
    public void The_fewest_agents_of_the_worked_example_is_14()
    {
        var result = ErlangC.FewestAgents(200, 3, 20, 0.8);
        Assert.That(result.Agents, Is.EqualTo(14));
        Assert.That(result.ServiceLevel, Is.GreaterThanOrEqualTo(0.8));
        Assert.That(ErlangC.Evaluate(13, 200, 3, 20).ServiceLevel, Is.LessThan(0.8), "13 would not do");
    }

    /// <summary>The closed form summed in log space (ln A^k/k! with ln k! as a running sum), independent of the recursion.</summary>
    private static double DirectErlangC(int agents, double traffic)
    {
        var logTerms = new double[agents + 1];
        var logFactorial = 0.0;
        for (var k = 0; k <= agents; k++)
        {
            if (k > 0) { logFactorial += Math.Log(k); }
            logTerms[k] = k * Math.Log(traffic) - logFactorial;
        }
        var last = logTerms[agents] + Math.Log(agents / (agents - traffic));
        var max = Math.Max(last, logTerms.Take(agents).Max());
        var sum = logTerms.Take(agents).Sum(t => Math.Exp(t - max)) + Math.Exp(last - max);
        return Math.Exp(last - max) / sum;
    }

    [TestCase(1, 0.5)]
    [TestCase(5, 3.2)]
    [TestCase(60, 50)]
    [TestCase(420, 400)]
    [TestCase(900, 880.5)]
    public void Stays_exact_for_hundreds_of_agents(int agents, double traffic)
    {
        var recursion = ErlangC.ProbabilityOfWaiting(agents, traffic);
        Assert.That(recursion, Is.EqualTo(DirectErlangC(agents, traffic)).Within(1e-9));
        Assert.That(recursion, Is.InRange(0.0, 1.0));
    }

    [Test]
    public void Hundreds_of_arrivals_an_hour_get_a_finite_plan()
    {
        // 2,400 arrivals an hour of 10 minutes each: 400 Erlangs.
        var result = ErlangC.FewestAgents(2400, 10, 600, 0.8);
        Assert.That(result.Agents, Is.InRange(401, 440));
        Assert.That(result.ServiceLevel, Is.GreaterThanOrEqualTo(0.8));
        Assert.That(double.IsFinite(result.AverageWaitSeconds), Is.True);
    }

    [Test]
    public void A_single_counter_is_the_M_M_1_queue()
    {
        // M/M/1: P(wait) = ρ, mean wait = ρ/(μ−λ). λ = 6/h, handle 6 min → ρ = 0.6, mean wait = 0.6 · 6 min / 0.4 = 9 min.
        var result = ErlangC.Evaluate(1, 6, 6, 0);
        Assert.That(result.ProbabilityOfWaiting, Is.EqualTo(0.6).Within(1e-12));
        Assert.That(result.AverageWaitSeconds, Is.EqualTo(540).Within(1e-9));
    }

    [Test]
    public void Traffic_towards_zero_means_no_wait()
    {
        // One counter, 5-minute service: the M/M/1 mean wait ρ·h/(1−ρ) shrinks with the traffic ρ.
        var waits = new[] { 1.0, 0.01, 0.0001 }.Select(perHour => ErlangC.Evaluate(1, perHour, 5, 0).AverageWaitSeconds).ToList();
        Assert.That(waits, Is.Ordered.Descending);
        Assert.That(waits[^1], Is.EqualTo(0.0001 * 5 / 60 * 300 / (1 - 0.0001 * 5 / 60)).Within(1e-12));
        Assert.That(waits[^1], Is.LessThan(0.01), "a hundredth of a second");
        Assert.That(ErlangC.FewestAgents(0, 5, 600, 0.8), Is.EqualTo(new ErlangCResult(0, 1, 0, 0, 0)));
        Assert.That(ErlangC.FewestAgents(0.01, 5, 600, 0.8).Agents, Is.EqualTo(1));
    }

    [Test]
    public void Agents_just_above_the_traffic_wait_without_bound()
    {
        var nearly = ErlangC.Evaluate(10, 10 * 60 / 5.0 * 0.99999, 5, 20);
        Assert.That(nearly.AverageWaitSeconds, Is.GreaterThan(1e6));
        Assert.That(nearly.ProbabilityOfWaiting, Is.GreaterThan(0.999));
        var unstable = ErlangC.Evaluate(10, 120, 5, 20);
        Assert.That(unstable.AverageWaitSeconds, Is.EqualTo(double.PositiveInfinity));
        Assert.That(unstable.ServiceLevel, Is.Zero);
    }

    [Test]
    public void A_service_level_outside_0_to_1_is_refused() =>
        Assert.That(() => ErlangC.FewestAgents(10, 5, 20, 1), Throws.TypeOf<ArgumentOutOfRangeException>());
}
