using System.Globalization;
using System.Text;
using BankClientele.FootTraffic.Staffing;
using BankClientele.Hosting.Time;

namespace BankClientele.Cli.Seed;

/// <summary>
/// A year of queue logs of the demo branches, the same on every run (a seeded generator per branch
/// and day): opening Monday to Saturday 09-17, about 80-200 tickets a branch-day with a lunch peak,
/// Mondays busier, month ends surging; a simulated queue over the rostered counters gives the waits,
/// and visitors whose patience runs out abandon. A quarter of the tickets are by identified customers
/// of the branch (customer number of <see cref="DemoPeople"/> 1..20,000).
/// </summary>
public static class TrafficDemo
{
    public const int Days = 365;
    public const double IdentifiedShare = 0.25;
    public const int OpensAt = 9;
    public const int ClosesAt = 17;

    /// <summary>Opening hours' relative weight (09 ... 16): busy late morning, a lunch-hour peak at 12-13.</summary>
    public static readonly IReadOnlyList<double> HourWeights = [0.8, 1.2, 1.1, 1.5, 1.4, 0.9, 1.0, 0.8];

    /// <summary>Mean tickets a day by ISO weekday (1 = Monday; Sunday closed) before the branch's size.</summary>
    public static readonly IReadOnlyList<double> WeekdayMeans = [0, 150, 105, 100, 100, 115, 70, 0];

    public const double MonthEndSurge = 1.3;

    /// <summary>Mean handle minutes by demo service type.</summary>
    private static readonly Dictionary<string, double> HandleMinutes = new() { ["存取款"] = 6, ["理财咨询"] = 15, ["开户"] = 12, ["贷款"] = 20 };

    public static int BranchIndex(string branchCode) => DemoNetwork.Branches.Select(b => b.Code).ToList().IndexOf(branchCode);

    /// <summary>Bigger and smaller branches: 0.8 to 1.2.</summary>
    public static double BranchSize(int branchIndex) => 0.8 + 0.4 * (branchIndex * 5 % 12) / 11.0;

    /// <summary>The branch's weekly roster: 3 counters, 4 on Mondays and over lunch, 2 on Saturdays, scaled by size; greeters 1, 2 on Mondays and over lunch.</summary>
    public static List<RosterSlotView> Roster(int branchIndex)
    {
        var size = BranchSize(branchIndex);
        var slots = new List<RosterSlotView>();
        for (var weekday = 1; weekday <= 6; weekday++)
        {
            for (var hour = OpensAt; hour < ClosesAt; hour++)
            {
                var counters = weekday == 6 ? 2 : weekday == 1 || hour is 12 or 13 ? 4 : 3;
                // One greeter at the door, two when the Monday and lunch crowds come.
                var greeters = weekday == 1 || hour is 12 or 13 ? 2 : 1;
                slots.Add(new RosterSlotView(weekday, hour, Math.Max(1, (int)Math.Round(counters * size)), greeters));
            }
        }
        return slots;
    }

    public static string Header => string.Join(',', BankClientele.FootTraffic.Visits.VisitLogImporter.Columns);

    /// <summary>The branch's queue log of one day (no header), empty on Sundays.</summary>
    public static IEnumerable<string> Day(int branchIndex, DateOnly day)
    {
        var weekday = day.DayOfWeek == DayOfWeek.Sunday ? 7 : (int)day.DayOfWeek;
        var mean = WeekdayMeans[weekday] * BranchSize(branchIndex) * (BankClientele.FootTraffic.Staffing.ArrivalForecast.IsMonthEnd(day) ? MonthEndSurge : 1);
        if (mean == 0)
        {
            yield break;
        }
        var random = new Random(DemoNetwork.RandomSeed ^ (branchIndex * 1_000_003) ^ (day.DayNumber * 7_919));
        var roster = Roster(branchIndex).ToDictionary(r => (r.Weekday, r.Hour), r => r.Counters);
        var branch = DemoNetwork.Branches[branchIndex].Code;
        var arrivals = new List<DateTimeOffset>();
        var weights = HourWeights.Sum();
        for (var hour = OpensAt; hour < ClosesAt; hour++)
        {
            var n = Poisson(random, mean * HourWeights[hour - OpensAt] / weights);
            for (var i = 0; i < n; i++)
            {
                arrivals.Add(BranchClock.At(day, hour).AddSeconds(random.Next(3600)));
            }
        }
        arrivals.Sort();
        var freeAt = new DateTimeOffset[roster.Values.Max()];
        Array.Fill(freeAt, DateTimeOffset.MinValue);
        var sequence = new Dictionary<char, int>();
        var totalWeight = DemoNetwork.ServiceTypes.Sum(t => t.Weight);
        var perBranch = DemoNetwork.CustomerCount / DemoNetwork.Branches.Count;
        foreach (var arrived in arrivals)
        {
            var pick = random.Next(totalWeight);
            var type = DemoNetwork.ServiceTypes.First(t => (pick -= t.Weight) < 0);
            var number = sequence[type.TicketPrefix] = sequence.GetValueOrDefault(type.TicketPrefix) + 1;
            var ticket = string.Create(CultureInfo.InvariantCulture, $"{type.TicketPrefix}{number:000}");
            var counters = roster.GetValueOrDefault((weekday, BranchClock.HourOf(arrived)), 1);
            var counter = 0;
            for (var c = 1; c < counters; c++)
            {
                if (freeAt[c] < freeAt[counter]) { counter = c; }
            }
            var start = freeAt[counter] > arrived ? freeAt[counter] : arrived;
            var patience = TimeSpan.FromMinutes(-Math.Log(1 - random.NextDouble()) * 40);
            string? customer = random.NextDouble() < IdentifiedShare
                ? DemoNetwork.CustomerNumber(branchIndex + 1 + DemoNetwork.Branches.Count * random.Next(perBranch))
                : null;
            if (start - arrived > patience)
            {
                yield return Row(branch, ticket, type.Name, arrived, null, null, null, null, arrived + patience, customer);
                continue;
            }
            var handle = TimeSpan.FromMinutes(Math.Clamp(-Math.Log(1 - random.NextDouble()) * HandleMinutes[type.Name], 1, 4 * HandleMinutes[type.Name]));
            freeAt[counter] = start + handle;
            yield return Row(branch, ticket, type.Name, arrived, start, (counter + 1).ToString(CultureInfo.InvariantCulture), start, start + handle, null, customer);
        }
    }

    /// <summary>The branch's queue logs of the <see cref="Days"/> days before <paramref name="today"/>, with the header.</summary>
    public static IEnumerable<string> Year(int branchIndex, DateOnly today)
    {
        yield return Header;
        for (var day = today.AddDays(-Days); day < today; day = day.AddDays(1))
        {
            foreach (var row in Day(branchIndex, day))
            {
                yield return row;
            }
        }
    }

    private static string Row(string branch, string ticket, string type, DateTimeOffset issued, DateTimeOffset? called, string? counter,
        DateTimeOffset? started, DateTimeOffset? ended, DateTimeOffset? abandoned, string? customer)
    {
        static string T(DateTimeOffset? t) => t?.ToString("yyyy-MM-ddTHH:mm:sszzz", CultureInfo.InvariantCulture) ?? "";
        return new StringBuilder(160).Append(branch).Append(',').Append(ticket).Append(',').Append(type).Append(',').Append(T(issued)).Append(',')
            .Append(T(called)).Append(',').Append(counter).Append(',').Append(T(started)).Append(',').Append(T(ended)).Append(',')
            .Append(T(abandoned)).Append(',').Append(customer).Append(',').ToString();
    }

    /// <summary>Knuth's Poisson sampler (means here are below 40).</summary>
    private static int Poisson(Random random, double mean)
    {
        var limit = Math.Exp(-mean);
        var k = 0;
        var p = random.NextDouble();
        while (p > limit)
        {
            k++;
            p *= random.NextDouble();
        }
        return k;
    }
}
