using BankClientele.Hosting.Time;
using BankClientele.Hosting.Jobs;

namespace BankClientele.Hosting.Tests.Time;

/// <summary>The branches' calendar: Beijing days begin at 16:00 UTC, whatever the server's zone.</summary>
public sealed class BranchClockTests
{
    /// <summary>A clock stopped at one instant.</summary>
    private sealed class StoppedTime(DateTimeOffset now) : TimeProvider
    {
        public override DateTimeOffset GetUtcNow() => now;
    }

    private static BranchClock At(string utc) => new(new StoppedTime(DateTimeOffset.Parse(utc, System.Globalization.CultureInfo.InvariantCulture)));

    [Test]
    public void Today_turns_over_at_16_00_UTC()
    {
        Assert.Multiple(() =>
        {
            Assert.That(At("2026-12-06T15:59:59Z").Today, Is.EqualTo(new DateOnly(2026, 12, 6)));
            Assert.That(At("2026-12-06T16:00:00Z").Today, Is.EqualTo(new DateOnly(2026, 12, 7)));
            Assert.That(At("2026-12-31T16:00:00Z").Today, Is.EqualTo(new DateOnly(2027, 1, 1)), "the year turns over in Beijing first");
        });
    }

    [Test]
    public void Now_is_the_same_instant_at_plus_eight()
    {
        var clock = At("2026-12-06T20:30:00Z");
        Assert.Multiple(() =>
        {
            Assert.That(clock.Now, Is.EqualTo(clock.UtcNow), "the same instant");
            Assert.That(clock.Now.Offset, Is.EqualTo(TimeSpan.FromHours(8)));
            Assert.That(clock.Now.Hour, Is.EqualTo(4));
        });
    }

    [Test]
    public void A_branch_day_runs_from_16_00_UTC_the_day_before_to_16_00_UTC()
    {
        var day = new DateOnly(2026, 3, 1);
        Assert.Multiple(() =>
        {
            Assert.That(BranchClock.StartOfDay(day).UtcDateTime, Is.EqualTo(new DateTime(2026, 2, 28, 16, 0, 0, DateTimeKind.Utc)));
            Assert.That(BranchClock.EndOfDay(day).UtcDateTime, Is.EqualTo(new DateTime(2026, 3, 1, 16, 0, 0, DateTimeKind.Utc)));
            Assert.That(BranchClock.DayOf(BranchClock.StartOfDay(day)), Is.EqualTo(day));
            Assert.That(BranchClock.DayOf(BranchClock.EndOfDay(day).AddTicks(-1)), Is.EqualTo(day));
            Assert.That(BranchClock.DayOf(BranchClock.EndOfDay(day)), Is.EqualTo(day.AddDays(1)));
        });
    }

    [Test]
    public void Hours_and_times_of_day_are_branch_hours()
    {
        var utc = new DateTimeOffset(2026, 9, 8, 1, 30, 0, TimeSpan.Zero);
        Assert.Multiple(() =>
        {
            Assert.That(BranchClock.HourOf(utc), Is.EqualTo(9));
            Assert.That(BranchClock.HourOf(new DateTimeOffset(2026, 9, 8, 23, 0, 0, TimeSpan.Zero)), Is.EqualTo(7));
            Assert.That(BranchClock.At(new DateOnly(2026, 9, 8), 9).UtcDateTime, Is.EqualTo(new DateTime(2026, 9, 8, 1, 0, 0, DateTimeKind.Utc)));
            Assert.That(BranchClock.ToBranchTime(utc).ToString("yyyy-MM-dd HH:mm", System.Globalization.CultureInfo.InvariantCulture), Is.EqualTo("2026-09-08 09:30"));
        });
    }

    [Test]
    public void Recurring_jobs_are_scheduled_in_the_branch_zone()
    {
        var zone = BackgroundJobs.InBranchTime.TimeZone;
        Assert.That(zone.GetUtcOffset(new DateTime(2026, 7, 1, 0, 0, 0, DateTimeKind.Utc)), Is.EqualTo(TimeSpan.FromHours(8)));
        Assert.That(zone.GetUtcOffset(new DateTime(2026, 1, 1, 0, 0, 0, DateTimeKind.Utc)), Is.EqualTo(TimeSpan.FromHours(8)), "no daylight saving");
    }
}
