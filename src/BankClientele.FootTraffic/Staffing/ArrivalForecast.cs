using BankClientele.FootTraffic.Profile;

namespace BankClientele.FootTraffic.Staffing;

/// <summary>A forecast hour of a week.</summary>
public sealed record ForecastHour(DateOnly Day, int Hour, double Arrivals);

/// <summary>The forecast of a week and how well the same method forecast the last complete week it was not shown.</summary>
public sealed record ForecastResult(IReadOnlyList<ForecastHour> Hours, DateOnly HeldOutWeek, double HeldOutMeanAbsoluteError, double HeldOutWeightedPercentError);

/// <summary>
/// Next week's arrivals per day-hour: for each weekday and hour, the mean of the same slot over the
/// last <see cref="HistoryWeeks"/> weeks, scaled up in the last three days of a month by the month-end
/// surge the history shows. Its error is measured on the last complete week, forecast from the weeks
/// before it (a held-out week the fit never saw).
/// </summary>
public static class ArrivalForecast
{
    public const int HistoryWeeks = 8;

    public static ForecastResult Forecast(IReadOnlyList<HourlyArrivals> history, DateOnly weekStart)
    {
        var heldOut = weekStart.AddDays(-7);
        var heldOutHours = Predict(history.Where(h => h.Day < heldOut).ToList(), heldOut);
        var actual = history.Where(h => h.Day >= heldOut && h.Day < weekStart).ToDictionary(h => (h.Day, h.Hour), h => h.Arrivals);
        double absolute = 0, total = 0;
        var n = 0;
        foreach (var hour in heldOutHours)
        {
            var a = actual.GetValueOrDefault((hour.Day, hour.Hour));
            absolute += Math.Abs(hour.Arrivals - a);
            total += a;
            n++;
        }
        return new ForecastResult(
            Predict(history.Where(h => h.Day < weekStart).ToList(), weekStart),
            heldOut,
            n == 0 ? 0 : absolute / n,
            total == 0 ? 0 : absolute / total);
    }

    /// <summary>The week from <paramref name="weekStart"/> forecast from <paramref name="history"/> (all before it).</summary>
    public static IReadOnlyList<ForecastHour> Predict(IReadOnlyList<HourlyArrivals> history, DateOnly weekStart)
    {
        var from = weekStart.AddDays(-7 * HistoryWeeks);
        var window = history.Where(h => h.Day >= from && h.Day < weekStart).ToList();
        var surge = MonthEndSurge(history);
        var hours = window.Select(h => h.Hour).Distinct().Order().ToList();
        var result = new List<ForecastHour>();
        for (var d = 0; d < 7; d++)
        {
            var day = weekStart.AddDays(d);
            // Weeks in the window in which this weekday occurred (a missing day counts as a closed day: zero).
            var weeks = Enumerable.Range(1, HistoryWeeks).Select(w => day.AddDays(-7 * w)).Where(x => x >= from).ToList();
            foreach (var hour in hours)
            {
                var mean = weeks.Count == 0 ? 0 : weeks.Sum(w => window.Where(h => h.Day == w && h.Hour == hour).Sum(h => (double)h.Arrivals)) / weeks.Count;
                result.Add(new ForecastHour(day, hour, IsMonthEnd(day) ? mean * surge : mean));
            }
        }
        return result;
    }

    public static bool IsMonthEnd(DateOnly day) => day.Day > DateTime.DaysInMonth(day.Year, day.Month) - 3;

    /// <summary>Mean arrivals per open day at month end over the mean on other days (1 without enough history).</summary>
    public static double MonthEndSurge(IReadOnlyList<HourlyArrivals> history)
    {
        var byDay = history.GroupBy(h => h.Day).Select(g => (Day: g.Key, Total: g.Sum(h => (double)h.Arrivals))).ToList();
        var end = byDay.Where(d => IsMonthEnd(d.Day)).Select(d => d.Total).ToList();
        var other = byDay.Where(d => !IsMonthEnd(d.Day)).Select(d => d.Total).ToList();
        return end.Count < 3 || other.Count < 3 || other.Average() == 0 ? 1 : end.Average() / other.Average();
    }
}
