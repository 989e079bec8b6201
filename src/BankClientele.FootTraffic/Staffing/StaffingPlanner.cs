namespace BankClientele.FootTraffic.Staffing;

/// <summary>One hour of a staffing plan: what the forecast needs against what the roster gives.</summary>
public sealed record PlanHour(
    DateOnly Day, int Hour, double ForecastArrivals, int RequiredCounters, double ServiceLevel, double AverageWaitSeconds,
    double Occupancy, int RosteredCounters, string Status, double HandleMinutes = 0,
    int AdvisedGreeters = 0, int RosteredGreeters = 0, string GreeterStatus = StaffingPlanner.Ok);

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

    /// <summary>
    /// Greeters an hour needs: one per <paramref name="arrivalsPerGreeter"/> forecast arrivals, at least one
    /// when anyone is expected (no queueing model: a greeter's contact is short and not a queue).
    /// </summary>
    public static int AdvisedGreeters(double arrivals, double arrivalsPerGreeter) =>
        arrivals <= 0.05 ? 0 : Math.Max(1, (int)Math.Ceiling(arrivals / arrivalsPerGreeter - 1e-9));

    /// <summary>The plan's hours with the greeter advice against the rostered greeters (under / ok / over, over = more than one spare).</summary>
    public static IReadOnlyList<PlanHour> WithGreeters(IReadOnlyList<PlanHour> hours, IReadOnlyDictionary<(int Weekday, int Hour), int> greeters, double arrivalsPerGreeter) =>
        hours.Select(h =>
        {
            var weekday = h.Day.DayOfWeek == DayOfWeek.Sunday ? 7 : (int)h.Day.DayOfWeek;
            var advised = AdvisedGreeters(h.ForecastArrivals, arrivalsPerGreeter);
            var rostered = greeters.GetValueOrDefault((weekday, h.Hour));
            var status = rostered < advised ? Under : rostered > advised + Slack ? Over : Ok;
            return h with { AdvisedGreeters = advised, RosteredGreeters = rostered, GreeterStatus = status };
        }).ToList();

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
