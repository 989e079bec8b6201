namespace BankClientele.Hosting.Time;

/// <summary>
/// The branches' business calendar: Beijing time (China Standard Time, UTC+8 all year, no daylight
/// saving). Storage stays UTC; wherever a branch's day or hour is meant (today's date, a day's
/// boundaries, the hour a visit arrived, when a nightly job fires) it comes from here, so .NET,
/// SQL (<c>AT TIME ZONE 'Asia/Shanghai'</c>, <see cref="SqlZone"/>) and Hangfire agree.
/// A branch day runs from 16:00 UTC the evening before to 16:00 UTC.
/// </summary>
/// <remarks>"Now" comes from the <see cref="TimeProvider"/>, so tests can move time; the conversions are static (pure).</remarks>
public sealed class BranchClock(TimeProvider time)
{
    /// <summary>The IANA id of the branches' zone, for PostgreSQL's <c>AT TIME ZONE</c>.</summary>
    public const string SqlZone = "Asia/Shanghai";

    /// <summary>The branches' offset from UTC (fixed: China has no daylight saving).</summary>
    public static readonly TimeSpan Offset = TimeSpan.FromHours(8);

    /// <summary>The branches' zone, for Hangfire's recurring jobs (their crons are in branch time) and conversions.</summary>
    public static TimeZoneInfo Zone { get; } = FindZone();

    /// <summary>The clock for code that is not given one (the CLI, static helpers): the system's time.</summary>
    public static BranchClock System { get; } = new(TimeProvider.System);

    /// <summary>Where "now" comes from.</summary>
    public TimeProvider Time => time;

    /// <summary>The current instant (UTC).</summary>
    public DateTimeOffset UtcNow => time.GetUtcNow();

    /// <summary>The current instant in branch time.</summary>
    public DateTimeOffset Now => ToBranchTime(time.GetUtcNow());

    /// <summary>Today's date at the branches.</summary>
    public DateOnly Today => DayOf(time.GetUtcNow());

    /// <summary>The instant in branch time (same instant, +08:00 offset).</summary>
    public static DateTimeOffset ToBranchTime(DateTimeOffset instant) => TimeZoneInfo.ConvertTime(instant, Zone);

    /// <summary>The branch date an instant falls on.</summary>
    public static DateOnly DayOf(DateTimeOffset instant) => DateOnly.FromDateTime(ToBranchTime(instant).DateTime);

    /// <summary>The branch hour (0–23) an instant falls in.</summary>
    public static int HourOf(DateTimeOffset instant) => ToBranchTime(instant).Hour;

    /// <summary>The instant a branch date and time of day begins (in branch time; <c>.UtcDateTime</c> for storage).</summary>
    public static DateTimeOffset At(DateOnly day, TimeOnly timeOfDay)
    {
        var local = day.ToDateTime(timeOfDay, DateTimeKind.Unspecified);
        return new DateTimeOffset(local, Zone.GetUtcOffset(local));
    }

    /// <summary>The instant a branch date's given hour begins.</summary>
    public static DateTimeOffset At(DateOnly day, int hour) => At(day, new TimeOnly(hour, 0));

    /// <summary>The first instant of a branch day (16:00 UTC the day before).</summary>
    public static DateTimeOffset StartOfDay(DateOnly day) => At(day, TimeOnly.MinValue);

    /// <summary>The end of a branch day, exclusive: the start of the next one.</summary>
    public static DateTimeOffset EndOfDay(DateOnly day) => StartOfDay(day.AddDays(1));

    private static TimeZoneInfo FindZone()
    {
        try
        {
            return TimeZoneInfo.FindSystemTimeZoneById(SqlZone);
        }
        catch (Exception e) when (e is TimeZoneNotFoundException or InvalidTimeZoneException)
        {
            // No tzdata on the machine: the same zone by its fixed offset.
            return TimeZoneInfo.CreateCustomTimeZone("China Standard Time", Offset, "China Standard Time", "CST");
        }
    }
}
