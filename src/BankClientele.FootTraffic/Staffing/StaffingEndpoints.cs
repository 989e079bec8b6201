using BankClientele.Hosting.Refusals;
using System.ComponentModel.DataAnnotations;
using System.Globalization;
using BankClientele.Hosting.Time;
using BankClientele.FootTraffic.Profile;
using BankClientele.FootTraffic.Visits;
using BankClientele.Hosting.Auth;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;
using Npgsql;

namespace BankClientele.FootTraffic.Staffing;

public sealed record RosterSlotView([property: Range(1, 7)] int Weekday, [property: Range(0, 23)] int Hour, [property: Range(0, 200)] int Counters,
    [property: Range(0, 50)] int Greeters = 0);

public static class StaffingEndpoints
{
    public static IEndpointRouteBuilder MapStaffingEndpoints(this IEndpointRouteBuilder app)
    {
        var traffic = app.MapGroup("/api/traffic").WithTags("Traffic and staffing");
        traffic.MapGet("/profile", ProfileAsync);
        traffic.MapGet("/forecast", ForecastAsync);
        traffic.MapGet("/erlang-c", ErlangCAsync);
        traffic.MapGet("/staffing-plan", PlanAsync);
        traffic.MapGet("/rosters/{branchCode}", RosterAsync);
        traffic.MapPut("/rosters/{branchCode}", SaveRosterAsync);
        return app;
    }

    /// <summary>"2026-W48" → the Monday of that ISO week.</summary>
    public static bool TryParseWeek(string? week, out DateOnly monday)
    {
        monday = default;
        if (week is not { Length: 8 } || week[4] != '-' || week[5] is not ('W' or 'w')
            || !int.TryParse(week.AsSpan(0, 4), NumberStyles.None, CultureInfo.InvariantCulture, out var year)
            || !int.TryParse(week.AsSpan(6, 2), NumberStyles.None, CultureInfo.InvariantCulture, out var number)
            || year is < 2000 or > 2100 || number < 1 || number > ISOWeek.GetWeeksInYear(year))
        {
            return false;
        }
        monday = DateOnly.FromDateTime(ISOWeek.ToDateTime(year, number, DayOfWeek.Monday));
        return true;
    }

    public static string WeekOf(DateOnly day) =>
        $"{ISOWeek.GetYear(day.ToDateTime(TimeOnly.MinValue))}-W{ISOWeek.GetWeekOfYear(day.ToDateTime(TimeOnly.MinValue)):00}";

    private static async Task<IResult> ProfileAsync(HttpContext http, FootTrafficDbContext db, BranchClock clock, string? branchCode, DateOnly? from, DateOnly? to, CancellationToken ct)
    {
        if (string.IsNullOrWhiteSpace(branchCode))
        {
            return TrafficProblems.Invalid("branchCode", FieldReasons.Required, "required");
        }
        if (!DataScope.Of(http.User).CanSeeBranch(branchCode))
        {
            return TrafficProblems.OutOfScope(branchCode, "branchCode");
        }
        var end = to ?? clock.Today.AddDays(1);
        var start = from ?? end.AddDays(-365);
        if (start >= end || end.DayNumber - start.DayNumber > 3 * 366)
        {
            return TrafficProblems.Invalid("from", FieldReasons.AfterEnd, "must be before 'to', at most three years apart");
        }
        var connection = (NpgsqlConnection)db.Database.GetDbConnection();
        await db.Database.OpenConnectionAsync(ct);
        return TypedResults.Ok(await TrafficProfiler.ProfileAsync(connection, branchCode, start, end, ct));
    }

    private static async Task<IResult> ForecastAsync(HttpContext http, FootTrafficDbContext db, string? branchCode, string? week, CancellationToken ct)
    {
        var (error, monday) = Check(http, branchCode, week);
        if (error is not null)
        {
            return error;
        }
        return TypedResults.Ok(await ForecastOfAsync(db, branchCode!, monday, ct));
    }

    private static async Task<ForecastResult> ForecastOfAsync(FootTrafficDbContext db, string branchCode, DateOnly monday, CancellationToken ct)
    {
        await db.Database.OpenConnectionAsync(ct);
        var history = await TrafficProfiler.HourlyAsync((NpgsqlConnection)db.Database.GetDbConnection(), branchCode, monday.AddDays(-7 * (ArrivalForecast.HistoryWeeks + 1)), monday, ct);
        return ArrivalForecast.Forecast(history, monday);
    }

    private static (IResult? Error, DateOnly Monday) Check(HttpContext http, string? branchCode, string? week)
    {
        if (string.IsNullOrWhiteSpace(branchCode))
        {
            return (TrafficProblems.Invalid("branchCode", FieldReasons.Required, "required"), default);
        }
        if (!DataScope.Of(http.User).CanSeeBranch(branchCode))
        {
            return (TrafficProblems.OutOfScope(branchCode, "branchCode"), default);
        }
        if (week is null)
        {
            var today = http.RequestServices.GetRequiredService<BranchClock>().Today;
            return (null, today.AddDays(7 - ((int)today.DayOfWeek + 6) % 7));
        }
        return TryParseWeek(week, out var monday) ? (null, monday) : (TrafficProblems.Invalid("week", FieldReasons.NotAWeek, "an ISO week such as 2026-W48"), default);
    }

    private static IResult ErlangCAsync(double? arrivalsPerHour, double? handleMinutes, double? targetWaitSeconds, double? serviceLevel, IOptions<FootTrafficOptions> options)
    {
        if (arrivalsPerHour is not (>= 0 and <= 100_000))
        {
            return TrafficProblems.Invalid("arrivalsPerHour", arrivalsPerHour is null ? FieldReasons.Required : FieldReasons.OutOfRange, "required, between 0 and 100000", ("min", 0), ("max", 100_000));
        }
        if (handleMinutes is not (> 0 and <= 600))
        {
            return TrafficProblems.Invalid("handleMinutes", handleMinutes is null ? FieldReasons.Required : FieldReasons.OutOfRange, "required, more than 0 and at most 600", ("min", 0), ("max", 600));
        }
        if (serviceLevel is not null and not (> 0 and < 1))
        {
            return TrafficProblems.Invalid("serviceLevel", FieldReasons.OutOfRange, "a share strictly between 0 and 1", ("min", 0), ("max", 1));
        }
        if (targetWaitSeconds is < 0)
        {
            return TrafficProblems.Invalid("targetWaitSeconds", FieldReasons.BelowMinimum, "not negative", ("min", 0));
        }
        return TypedResults.Ok(ErlangC.FewestAgents(arrivalsPerHour.Value, handleMinutes.Value,
            targetWaitSeconds ?? options.Value.TargetWaitSeconds, serviceLevel ?? options.Value.ServiceLevel));
    }

    private static async Task<IResult> PlanAsync(HttpContext http, FootTrafficDbContext db, IOptions<FootTrafficOptions> options,
        string? branchCode, string? week, double? serviceLevel, int? targetWaitSeconds, CancellationToken ct)
    {
        var (error, monday) = Check(http, branchCode, week);
        if (error is not null)
        {
            return error;
        }
        if (serviceLevel is not null and not (> 0 and < 1))
        {
            return TrafficProblems.Invalid("serviceLevel", FieldReasons.OutOfRange, "a share strictly between 0 and 1", ("min", 0), ("max", 1));
        }
        if (targetWaitSeconds is < 0 or > 7200)
        {
            return TrafficProblems.Invalid("targetWaitSeconds", FieldReasons.OutOfRange, "between 0 and 7200", ("min", 0), ("max", 7200));
        }
        var plan = await PlanOfAsync(db, branchCode!, monday, serviceLevel ?? options.Value.ServiceLevel, targetWaitSeconds ?? options.Value.TargetWaitSeconds, ct);
        var greeters = await db.RosterSlots.AsNoTracking().Where(r => r.BranchCode == branchCode).ToDictionaryAsync(r => (r.Weekday, r.Hour), r => r.Greeters, ct);
        return TypedResults.Ok(plan with { Hours = StaffingPlanner.WithGreeters(plan.Hours, greeters, options.Value.GreeterArrivalsPerHour) });
    }

    public static async Task<StaffingPlan> PlanOfAsync(FootTrafficDbContext db, string branchCode, DateOnly monday, double serviceLevel, int targetWaitSeconds, CancellationToken ct)
    {
        var forecast = await ForecastOfAsync(db, branchCode, monday, ct);
        // Each hour's handle time is its service mix over the same weeks as the forecast, times each type's handle time.
        var mix = await TrafficProfiler.ServiceMixAsync((NpgsqlConnection)db.Database.GetDbConnection(), branchCode, monday.AddDays(-7 * ArrivalForecast.HistoryWeeks), monday, ct);
        var handle = mix.OverallHandleMinutes ?? DefaultHandleMinutes;
        var roster = await db.RosterSlots.AsNoTracking().Where(r => r.BranchCode == branchCode).ToDictionaryAsync(r => (r.Weekday, r.Hour), r => r.Counters, ct);
        var hours = StaffingPlanner.Plan(forecast.Hours, (weekday, hour) => mix.HandleMinutes(weekday, hour) ?? DefaultHandleMinutes, roster, serviceLevel, targetWaitSeconds);
        return new StaffingPlan(branchCode, WeekOf(monday), Math.Round(handle, 2), serviceLevel, targetWaitSeconds, forecast, hours);
    }

    /// <summary>Assumed when a branch has no timed service yet.</summary>
    public const double DefaultHandleMinutes = 8;

    private static async Task<IResult> RosterAsync(string branchCode, HttpContext http, FootTrafficDbContext db, CancellationToken ct)
    {
        if (!DataScope.Of(http.User).CanSeeBranch(branchCode))
        {
            return TrafficProblems.OutOfScope(branchCode, "branchCode");
        }
        return TypedResults.Ok(await db.RosterSlots.AsNoTracking().Where(r => r.BranchCode == branchCode)
            .OrderBy(r => r.Weekday).ThenBy(r => r.Hour).Select(r => new RosterSlotView(r.Weekday, r.Hour, r.Counters, r.Greeters)).ToListAsync(ct));
    }

    /// <summary>Replaces the branch's weekly roster.</summary>
    private static async Task<IResult> SaveRosterAsync(string branchCode, List<RosterSlotView> slots, HttpContext http, FootTrafficDbContext db, CancellationToken ct)
    {
        var scope = DataScope.Of(http.User);
        if (!scope.CanSeeBranch(branchCode) || scope.Role == StaffRoles.RelationshipManager)
        {
            return TrafficProblems.OutOfScope(branchCode, "branchCode");
        }
        for (var i = 0; i < slots.Count; i++)
        {
            var s = slots[i];
            if (s.Weekday is < 1 or > 7) { return TrafficProblems.Invalid($"[{i}].Weekday", FieldReasons.OutOfRange, "1 (Monday) to 7 (Sunday)", ("min", 1), ("max", 7)); }
            if (s.Hour is < 0 or > 23) { return TrafficProblems.Invalid($"[{i}].Hour", FieldReasons.OutOfRange, "0 to 23", ("min", 0), ("max", 23)); }
            if (s.Counters is < 0 or > 200) { return TrafficProblems.Invalid($"[{i}].Counters", FieldReasons.OutOfRange, "0 to 200", ("min", 0), ("max", 200)); }
            if (s.Greeters is < 0 or > 50) { return TrafficProblems.Invalid($"[{i}].Greeters", FieldReasons.OutOfRange, "0 to 50", ("min", 0), ("max", 50)); }
        }
        if (slots.GroupBy(s => (s.Weekday, s.Hour)).FirstOrDefault(g => g.Count() > 1) is { } twice)
        {
            return TrafficProblems.Invalid("Hour", FieldReasons.GivenTwice, $"weekday {twice.Key.Weekday} hour {twice.Key.Hour} is given twice");
        }
        await using var tx = await db.Database.BeginTransactionAsync(ct);
        await db.RosterSlots.Where(r => r.BranchCode == branchCode).ExecuteDeleteAsync(ct);
        db.RosterSlots.AddRange(slots.Select(s => new RosterSlot { BranchCode = branchCode, Weekday = s.Weekday, Hour = s.Hour, Counters = s.Counters, Greeters = s.Greeters }));
        // Kept for the audit log: who changed the roster, when, and its totals.
        db.Set<RosterChange>().Add(new RosterChange
        {
            Id = Guid.CreateVersion7(), BranchCode = branchCode, ChangedBy = scope.StaffId, ChangedAt = DateTimeOffset.UtcNow,
            Slots = slots.Count, CounterHours = slots.Sum(s => s.Counters), GreeterHours = slots.Sum(s => s.Greeters),
        });
        await db.SaveChangesAsync(ct);
        await tx.CommitAsync(ct);
        return TypedResults.Ok(slots.Count);
    }
}
