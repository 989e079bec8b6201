namespace BankClientele.FootTraffic.Staffing;

/// <summary>One hour of a staffing plan: what the forecast needs against what the roster gives.</summary>
public sealed record PlanHour(
    DateOnly Day, int Hour, double ForecastArrivals, int RequiredCounters, double ServiceLevel, double AverageWaitSeconds,
    double Occupancy, int RosteredCounters, string Status, double HandleMinutes = 0);

public sealed record StaffingPlan(
    string BranchCode, string Week, double HandleMinutes, double ServiceLevelTarget, int TargetWaitSeconds,
    ForecastResult Forecast, IReadOnlyList<PlanHour> Hours)
{
    public int UnderstaffedHours => Hours.Count(h => h.Status == StaffingPlanner.Under);
    public int OverstaffedHours => Hours.Count(h => h.Status == StaffingPlanner.Over);
}

public static class StaffingPlanner
{
    public const string Under = "under";
    public const string Over = "over";
    public const string Ok = "ok";

    /// <summary>Counters beyond the requirement that still count as right: one spare covers breaks.</summary>
    public const int Slack = 1;

    public static IReadOnlyList<PlanHour> Plan(
        IReadOnlyList<ForecastHour> forecast, double handleMinutes, IReadOnlyDictionary<(int Weekday, int Hour), int> roster,
        double serviceLevel, int targetWaitSeconds) =>
        Plan(forecast, (_, _) => handleMinutes, roster, serviceLevel, targetWaitSeconds);

    /// <summary>The plan with each hour's own mean handle time (its service mix), <paramref name="handleMinutesAt"/>(weekday, hour).</summary>
    public static IReadOnlyList<PlanHour> Plan(
        IReadOnlyList<ForecastHour> forecast, Func<int, int, double> handleMinutesAt, IReadOnlyDictionary<(int Weekday, int Hour), int> roster,
        double serviceLevel, int targetWaitSeconds)
    {
        return forecast.Select(f =>
        {
            var handleMinutes = handleMinutesAt(f.Day.DayOfWeek == DayOfWeek.Sunday ? 7 : (int)f.Day.DayOfWeek, f.Hour);
            var need = ErlangC.FewestAgents(f.Arrivals, handleMinutes, targetWaitSeconds, serviceLevel);
            var weekday = f.Day.DayOfWeek == DayOfWeek.Sunday ? 7 : (int)f.Day.DayOfWeek;
            var rostered = roster.GetValueOrDefault((weekday, f.Hour));
            // What the rostered counters would actually give, when they are fewer than needed.
            var given = rostered < need.Agents ? ErlangC.Evaluate(rostered, f.Arrivals, handleMinutes, targetWaitSeconds) : need;
            var status = rostered < need.Agents ? Under : rostered > need.Agents + Slack ? Over : Ok;
            return new PlanHour(f.Day, f.Hour, Math.Round(f.Arrivals, 2), need.Agents, Math.Round(given.ServiceLevel, 4),
                double.IsInfinity(given.AverageWaitSeconds) ? -1 : Math.Round(given.AverageWaitSeconds, 1), Math.Round(need.Occupancy, 4), rostered, status, Math.Round(handleMinutes, 2));
        }).ToList();
    }
}
