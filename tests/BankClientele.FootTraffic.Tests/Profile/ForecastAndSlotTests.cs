using BankClientele.FootTraffic.Lobby;
using BankClientele.FootTraffic.Profile;
using BankClientele.FootTraffic.Staffing;

namespace BankClientele.FootTraffic.Tests.Profile;

public sealed class ForecastAndSlotTests
{
    private static readonly DateOnly Monday = new(2026, 11, 16);

    /// <summary>Weeks of history with a fixed pattern (Mondays busier, a 10 o'clock peak), no month ends in the window.</summary>
    private static List<HourlyArrivals> Pattern(DateOnly until, int weeks, Func<DateOnly, int, int> arrivals)
    {
        var rows = new List<HourlyArrivals>();
        for (var day = until.AddDays(-7 * weeks); day < until; day = day.AddDays(1))
        {
            for (var hour = 9; hour < 17; hour++)
            {
                rows.Add(new HourlyArrivals(day, hour, arrivals(day, hour)));
            }
        }
        return rows;
    }

    private static int Weekly(DateOnly day, int hour) => (day.DayOfWeek == DayOfWeek.Monday ? 20 : 10) + (hour == 10 ? 5 : 0);

    [Test]
    public void A_steady_weekly_pattern_is_forecast_exactly_with_no_held_out_error()
    {
        // Monday and Tuesday of 2026-11-23 are ordinary days (the 28th and 29th are month-end days).
        var history = Pattern(new DateOnly(2026, 11, 23), 9, Weekly);
        var result = ArrivalForecast.Forecast(history, new DateOnly(2026, 11, 23));
        Assert.That(result.HeldOutWeek, Is.EqualTo(Monday));
        Assert.That(result.HeldOutMeanAbsoluteError, Is.EqualTo(0).Within(1e-9));
        var monday10 = result.Hours.Single(h => h.Day == new DateOnly(2026, 11, 23) && h.Hour == 10);
        var tuesday9 = result.Hours.Single(h => h.Day == new DateOnly(2026, 11, 24) && h.Hour == 9);
        Assert.That(monday10.Arrivals, Is.EqualTo(25).Within(1e-9));
        Assert.That(tuesday9.Arrivals, Is.EqualTo(10).Within(1e-9));
        Assert.That(result.Hours, Has.Count.EqualTo(7 * 8));
    }

    [Test]
    public void The_held_out_week_is_forecast_without_seeing_it()
    {
        // The held-out week doubles: a method that saw it would forecast it better than the pattern before it.
        var history = Pattern(new DateOnly(2026, 11, 23), 9, (d, h) => d >= Monday ? 2 * Weekly(d, h) : Weekly(d, h));
        var result = ArrivalForecast.Forecast(history, new DateOnly(2026, 11, 23));
        var actualTotal = history.Where(h => h.Day >= Monday).Sum(h => h.Arrivals);
        Assert.That(result.HeldOutWeightedPercentError, Is.EqualTo(0.5).Within(1e-9), "forecast = half of what came: |x − 2x| / 2x");
        Assert.That(result.HeldOutMeanAbsoluteError, Is.EqualTo(actualTotal / 2.0 / (7 * 8)).Within(1e-9));
    }

    [Test]
    public void Month_end_days_are_scaled_by_the_surge_the_history_shows()
    {
        // Month-end days carry 1.5 times the usual traffic.
        var history = Pattern(new DateOnly(2026, 11, 30), 16, (d, h) => ArrivalForecast.IsMonthEnd(d) ? 15 : 10);
        Assert.That(ArrivalForecast.MonthEndSurge(history), Is.EqualTo(1.5).Within(0.01));
        var forecast = ArrivalForecast.Predict(history, new DateOnly(2026, 11, 23));
        var ordinary = forecast.Single(h => h.Day == new DateOnly(2026, 11, 23) && h.Hour == 9).Arrivals;
        var monthEnd = forecast.Single(h => h.Day == new DateOnly(2026, 11, 29) && h.Hour == 9).Arrivals;
        Assert.That(monthEnd / ordinary, Is.GreaterThan(1.3));
    }

    private static PlanHour Hour(int day, int hour, double arrivals, int required, int rostered) =>
        new(Monday.AddDays(day), hour, arrivals, required, 0.9, 10, 0.5, rostered, "ok");

    [Test]
    public void Slots_go_where_visitors_are_and_staff_is_spare()
    {
        var plan = new List<PlanHour>
        {
            // Monday: the busiest hours, but no counter spare at 10.
            Hour(0, 9, 30, 3, 4), Hour(0, 10, 40, 4, 4), Hour(0, 11, 30, 3, 4),
            // Tuesday: fewer visitors, a counter spare all day.
            Hour(1, 9, 20, 2, 4), Hour(1, 10, 25, 3, 4), Hour(1, 11, 10, 1, 4),
        };
        var slots = SlotSuggester.Suggest(plan, 2, 3);
        Assert.That(slots[0], Is.EqualTo(new SuggestedSlot(Monday.AddDays(1), 9, 2, 45, 1, true)));
        Assert.That(slots.Select(s => (s.Day, s.StartHour)), Does.Not.Contain((Monday.AddDays(1), 10)), "slots do not overlap");
        Assert.That(slots.Where(s => s.StaffedWithoutHarm).All(s => s.Day == Monday.AddDays(1)), Is.True);
        Assert.That(slots.Last().StaffedWithoutHarm, Is.False, "then the busiest slot without a spare counter");
        Assert.That(slots.Last().ExpectedVisitors, Is.EqualTo(70));
    }

    [Test]
    public void Slots_never_run_past_the_last_open_hour() =>
        Assert.That(SlotSuggester.Suggest([Hour(0, 16, 50, 1, 3)], 2, 3), Is.Empty);
}
