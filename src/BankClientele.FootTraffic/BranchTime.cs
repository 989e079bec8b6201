namespace BankClientele.FootTraffic;

/// <summary>
/// The branches' local time: China Standard Time, UTC+8 all year (no daylight saving), so hours of
/// the day and queue-log days are the same in .NET and in SQL (<c>AT TIME ZONE 'Asia/Shanghai'</c>).
/// </summary>
public static class BranchTime
{
    public const string SqlZone = "Asia/Shanghai";
    public static readonly TimeSpan Offset = TimeSpan.FromHours(8);

    public static DateTimeOffset Local(DateTimeOffset instant) => instant.ToOffset(Offset);

    public static DateOnly Day(DateTimeOffset instant) => DateOnly.FromDateTime(Local(instant).DateTime);

    /// <summary>The instant a local date and hour begins.</summary>
    public static DateTimeOffset At(DateOnly day, int hour) => new(day.ToDateTime(new TimeOnly(hour, 0)), Offset);
}
