using BankClientele.Hosting.Time;
using Microsoft.EntityFrameworkCore;

namespace BankClientele.Insights.Uplift;

/// <summary>A branch's deposits on one day: the customers counted and their total.</summary>
public readonly record struct BranchDay(string BranchCode, DateOnly Day, int Customers, decimal Deposit);

/// <summary>A group of branches that started lobby events in the same week.</summary>
public sealed record LobbyGroup(int Period, DateOnly WeekEnding, IReadOnlyList<string> Branches);

public sealed record LobbyGroupTimeEffect(int Group, DateOnly GroupWeekEnding, int Period, DateOnly WeekEnding, int EventTime,
    double Att, double StandardError, double CiLow, double CiHigh, int TreatedBranches, int ControlBranches);

/// <summary>
/// The effect of lobby events on a branch's average deposit per customer (yuan), staggered by the
/// week each branch first held one: Callaway–Sant'Anna over branch-week outcomes.
/// </summary>
public sealed record LobbyEventEffect(
    DateOnly WindowFrom,
    DateOnly WindowTo,
    int Weeks,
    string Control,
    int Branches,
    IReadOnlyList<LobbyGroup> Groups,
    AggregateEffect Effect,
    AggregateEffect? PreTrend,
    bool PreTrendCoversZero,
    IReadOnlyList<EventTimeEffect> EventStudy,
    IReadOnlyList<LobbyGroupTimeEffect> GroupTime,
    string Method,
    string Outcome,
    string Inference);

public static class LobbyEventUplift
{
    public const string Outcome =
        "a branch's average deposit per customer (yuan), averaged over the week's days with balances, over the customers it already had " +
        "(first balance no later than the month the window's balances begin: a new customer's first deposit is not a change in its customers' deposits); " +
        "customers in any campaign's audience are left out so a campaign's own effect does not leak in";

    /// <summary>The week (0 = the one ending on <paramref name="end"/>, −1 the week before, …) a day falls in.</summary>
    public static int Week(DateOnly day, DateOnly end) => -((end.DayNumber - day.DayNumber) / 7);

    public static DateOnly WeekEnding(int week, DateOnly end) => end.AddDays(7 * week);

    /// <summary>
    /// Callaway–Sant'Anna on the branch-week outcomes of the <paramref name="weeks"/> weeks ending on
    /// <paramref name="end"/>. A branch is treated from the week of its first lobby event with a
    /// customer's check-in (<paramref name="firstEvents"/>); one whose first event is after the window
    /// is never treated in it. Null when no branch starts within the window after its first week.
    /// </summary>
    public static LobbyEventEffect? Estimate(IEnumerable<BranchDay> days, IReadOnlyDictionary<string, DateOnly> firstEvents, DateOnly end, int weeks, ControlGroup control)
    {
        var from = end.AddDays(-7 * weeks + 1);
        var outcomes = days.Where(d => d.Day >= from && d.Day <= end && d.Customers > 0)
            .GroupBy(d => (d.BranchCode, Week: Week(d.Day, end)))
            .Select(g => (g.Key.BranchCode, g.Key.Week, Outcome: (double)g.Average(d => d.Deposit / d.Customers)))
            .ToList();
        int? FirstTreated(string branch) =>
            firstEvents.TryGetValue(branch, out var day) && day <= end ? Math.Max(Week(day, end), -weeks) : null;
        var observations = outcomes.Select(o => new StaggeredObservation(o.BranchCode, o.Week, FirstTreated(o.BranchCode), o.Outcome)).ToList();
        var firstPeriod = observations.Count == 0 ? 0 : observations.Min(o => o.Period);
        if (observations.Select(o => o.Period).Distinct().Count() < 2 || !observations.Any(o => o.FirstTreated > firstPeriod))
        {
            return null;
        }
        StaggeredEstimate estimate;
        try
        {
            // One branch per start week: its own noise must be in the interval (see RandomizationInference).
            estimate = RandomizationInference.Apply(observations, control, CallawaySantAnna.Estimate(observations, control));
        }
        catch (ArgumentException)
        {
            return null; // no comparable controls in the window
        }
        var groups = observations.Where(o => o.FirstTreated > firstPeriod).GroupBy(o => o.FirstTreated!.Value).OrderBy(g => g.Key)
            .Select(g => new LobbyGroup(g.Key, WeekEnding(g.Key, end), [.. g.Select(o => o.Unit).Distinct().Order(StringComparer.Ordinal)]))
            .ToList();
        var preTrend = estimate.PreTrend;
        return new LobbyEventEffect(from, end, weeks, control == ControlGroup.NotYetTreated ? "not-yet" : "never",
            estimate.Units, groups,
            new AggregateEffect(estimate.Att, estimate.StandardError, estimate.CiLow, estimate.CiHigh),
            preTrend, preTrend is null || (preTrend.CiLow <= 0 && preTrend.CiHigh >= 0),
            estimate.EventStudy,
            [.. estimate.GroupTime.Select(e => new LobbyGroupTimeEffect(e.Group, WeekEnding(e.Group, end), e.Period, WeekEnding(e.Period, end), e.EventTime,
                e.Att, e.StandardError, e.CiLow, e.CiHigh, e.TreatedUnits, e.ControlUnits))],
            estimate.Method, Outcome, estimate.Inference);
    }

    /// <summary>
    /// Reads the branch-day outcomes and each branch's first lobby event from the store, and estimates. The outcome
    /// keeps to a fixed set of customers: those outside campaign audiences whose first balance is in the month the
    /// window's balances begin or before (the store's <c>joined</c> groups), so customers joining during the window (a new
    /// account's first deposit, the branch's mix changing under a per-customer average) do not move it.
    /// </summary>
    public static async Task<LobbyEventEffect?> QueryAsync(InsightsDbContext db, DateOnly end, int weeks, ControlGroup control, CancellationToken ct)
    {
        var from = end.AddDays(-7 * weeks + 1);
        var everyone = await db.Set<Store.DailyGroupDeposits>().AsNoTracking()
            .Where(d => d.Dimension == "audience" && d.GroupKey == "none" && d.BranchCode != Store.UpliftStore.Network && d.Day >= from && d.Day <= end)
            .Select(d => new BranchDay(d.BranchCode, d.Day, d.Customers, d.Deposit))
            .ToListAsync(ct);
        // The customers the branches had when the window's balances begin (a store younger than the window begins later).
        var firstMonth = (everyone.Count == 0 ? from : everyone.Min(d => d.Day)).ToString("yyyy-MM", System.Globalization.CultureInfo.InvariantCulture);
        var joined = await db.Set<Store.DailyGroupDeposits>().AsNoTracking()
            .Where(d => d.Dimension == "joined" && d.GroupKey != Store.UpliftStore.JoinedCampaign
                && d.BranchCode != Store.UpliftStore.Network && d.Day >= from && d.Day <= end)
            .GroupBy(d => new { d.BranchCode, d.Day })
            .Select(g => new
            {
                g.Key.BranchCode,
                g.Key.Day,
                Customers = g.Sum(d => string.Compare(d.GroupKey, firstMonth) <= 0 ? d.Customers : 0),
                Deposit = g.Sum(d => string.Compare(d.GroupKey, firstMonth) <= 0 ? d.Deposit : 0m),
            })
            .ToListAsync(ct);
        // A store grouped before the joined groups existed has them only for the days it took in since: until its
        // rebuild (POST /api/uplift/store/rebuild?all=true) the window is read over every customer, as before.
        var complete = joined.Select(d => (d.BranchCode, d.Day)).ToHashSet().SetEquals(everyone.Select(d => (d.BranchCode, d.Day)));
        List<BranchDay> days = complete ? [.. joined.Select(d => new BranchDay(d.BranchCode, d.Day, d.Customers, d.Deposit))] : everyone;
        // Check-in times are stored in UTC; the branch's day is the branch clock's.
        var firsts = await db.Set<Store.LobbyAttendance>().AsNoTracking()
            .Where(a => a.CustomerId != null)
            .GroupBy(a => a.BranchCode)
            .Select(g => new { g.Key, First = g.Min(a => a.CheckedInAt) })
            .ToListAsync(ct);
        var firstEvents = firsts.ToDictionary(f => f.Key, f => BranchClock.DayOf(f.First));
        return Estimate(days, firstEvents, end, weeks, control);
    }
}
