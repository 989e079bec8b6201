namespace BankClientele.FootTraffic.Staffing;

/// <summary>What <paramref name="Agents"/> counters give at an offered load: service level, mean wait, occupancy.</summary>
public sealed record ErlangCResult(int Agents, double ServiceLevel, double AverageWaitSeconds, double Occupancy, double ProbabilityOfWaiting);

/// <summary>
/// The Erlang C (M/M/N) queue. The probability of waiting comes from the Erlang B recursion
/// B(0) = 1, B(n) = A·B(n−1) / (n + A·B(n−1)), which never forms A^N or N! and so stays exact for
/// hundreds of agents, then C = N·B / (N − A·(1 − B)).
/// </summary>
public static class ErlangC
{
    /// <summary>The probability that an arrival waits, with <paramref name="agents"/> counters and <paramref name="traffic"/> Erlangs offered; 1 when the queue is unstable (agents ≤ traffic).</summary>
    public static double ProbabilityOfWaiting(int agents, double traffic)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(agents);
        ArgumentOutOfRangeException.ThrowIfNegative(traffic);
        if (traffic == 0)
        {
            return 0;
        }
        if (agents <= traffic)
        {
            return 1;
        }
        var b = 1.0;
        for (var n = 1; n <= agents; n++)
        {
            b = traffic * b / (n + traffic * b);
        }
        return agents * b / (agents - traffic * (1 - b));
    }

    public static ErlangCResult Evaluate(int agents, double arrivalsPerHour, double handleMinutes, double targetWaitSeconds)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(arrivalsPerHour);
        ArgumentOutOfRangeException.ThrowIfNegative(handleMinutes);
        var handleSeconds = handleMinutes * 60;
        var traffic = arrivalsPerHour * handleSeconds / 3600;
        if (traffic == 0)
        {
            return new ErlangCResult(agents, 1, 0, 0, 0);
        }
        if (agents <= traffic)
        {
            return new ErlangCResult(agents, 0, double.PositiveInfinity, 1, 1);
        }
        var wait = ProbabilityOfWaiting(agents, traffic);
        var serviceLevel = 1 - wait * Math.Exp(-(agents - traffic) * targetWaitSeconds / handleSeconds);
        var averageWait = wait * handleSeconds / (agents - traffic);
        return new ErlangCResult(agents, serviceLevel, averageWait, traffic / agents, wait);
    }

    /// <summary>The fewest counters whose service level reaches <paramref name="serviceLevel"/> (0 when nobody arrives).</summary>
    public static ErlangCResult FewestAgents(double arrivalsPerHour, double handleMinutes, double targetWaitSeconds, double serviceLevel)
    {
        if (serviceLevel is <= 0 or >= 1)
        {
            throw new ArgumentOutOfRangeException(nameof(serviceLevel), "A service level is a share strictly between 0 and 1.");
        }
        var traffic = arrivalsPerHour * handleMinutes / 60;
        var agents = (int)Math.Floor(traffic) + (traffic > 0 ? 1 : 0);
        var result = Evaluate(agents, arrivalsPerHour, handleMinutes, targetWaitSeconds);
        while (result.ServiceLevel < serviceLevel)
        {
            result = Evaluate(++agents, arrivalsPerHour, handleMinutes, targetWaitSeconds);
        }
        return result;
    }
}
