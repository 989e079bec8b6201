using System.Globalization;
using BankClientele.Cli.Seed;
using BankClientele.Hosting.Time;

namespace BankClientele.Cli.Tests;

/// <summary>
/// The demo's funnel plan (no services): each channel's realised rates, counted the way /api/channel-figures
/// counts them, are the stated table's within sampling error, and the channels differ; the traffic demo's touches
/// leave each opener's days to convert its planned delay; docs/acquisition.md states the same table.
/// (<see cref="DemoChannelFiguresTests"/> sends such a plan through a real Acquisition.)
/// </summary>
public sealed class DemoChannelsTests
{
    /// <summary>Rates, counted as the funnel page does: each stage of the one before.</summary>
    private sealed record Realised(
        DemoChannel Channel, int Leads, int Contacted, int Interested, int Appointments, int Opened, int Activated, double MeanDays)
    {
        public static Realised Of(DemoChannel channel, IReadOnlyList<DemoLead> plan)
        {
            var leads = plan.Where(l => l.Channel == channel).ToList();
            var opened = leads.Where(l => l.Opens).ToList();
            return new Realised(channel, leads.Count,
                leads.Count(l => l.Stage >= DemoLeadStage.Contacted),
                leads.Count(l => l.Stage >= DemoLeadStage.Interested),
                leads.Count(l => l.Stage >= DemoLeadStage.Appointment),
                opened.Count, opened.Count(l => l.Activates), opened.Average(l => (double)l.DaysToConvert));
        }
    }

    // The seed's own plan and four others: the law holds for the draw, not for one lucky seed.
    private static readonly int[] Seeds = [DemoNetwork.RandomSeed, 1, 2, 3, 4];

    [TestCaseSource(nameof(Seeds))]
    public void Each_channel_realises_its_stated_rates_within_four_standard_errors(int seed)
    {
        var plan = DemoChannels.Plan(seed, DemoPeople.RecentlyConverted, DemoPeople.OpenProspects);

        Assert.Multiple(() =>
        {
            foreach (var channel in DemoChannels.All)
            {
                var r = Realised.Of(channel, plan);
                Within(channel.Channel, "share of leads", r.Leads, plan.Count, channel.LeadShare);
                Within(channel.Channel, "contacted", r.Contacted, r.Leads, channel.Contact);
                Within(channel.Channel, "interested", r.Interested, r.Contacted, channel.Interest);
                Within(channel.Channel, "appointment", r.Appointments, r.Interested, channel.Appointment);
                Within(channel.Channel, "opened", r.Opened, r.Appointments, channel.Opening);
                Within(channel.Channel, "activated", r.Activated, r.Opened, channel.Activation);
                // Gamma(3) delays: standard deviation mean / √3 (rounding to whole days moves the mean by far less).
                var error = channel.MeanDaysToConvert / Math.Sqrt(3) / Math.Sqrt(r.Opened);
                Assert.That(r.MeanDays, Is.EqualTo(channel.MeanDaysToConvert).Within(4 * error + 0.5),
                    $"{channel.Channel}: mean days to convert over {r.Opened} openings");
            }
        });
    }

    [Test]
    public void The_channels_differ_significantly()
    {
        var plan = DemoChannels.Plan(DemoNetwork.RandomSeed, DemoPeople.RecentlyConverted, DemoPeople.OpenProspects);
        var realised = DemoChannels.All.Select(c => Realised.Of(c, plan)).ToList();

        // Two-proportion z on the lead-to-account conversion of each pair: the page can tell which channel works.
        var differing = (from a in realised
                         from b in realised
                         where string.CompareOrdinal(a.Channel.Channel, b.Channel.Channel) < 0
                         let pa = (double)a.Opened / a.Leads
                         let pb = (double)b.Opened / b.Leads
                         let z = Math.Abs(pa - pb) / Math.Sqrt(pa * (1 - pa) / a.Leads + pb * (1 - pb) / b.Leads)
                         where z > 4
                         select (a.Channel.Channel, b.Channel.Channel)).ToList();

        Assert.That(differing, Is.Not.Empty, "at least two channels' conversions differ by more than four standard errors");
    }

    [Test]
    public void The_openers_are_the_recent_accounts_and_the_table_converts_their_share()
    {
        var plan = Enumerable.Range(DemoPeople.FirstProspect, DemoPeople.RecentlyConverted + DemoPeople.OpenProspects).Select(DemoChannels.Lead).ToList();

        Assert.Multiple(() =>
        {
            Assert.That(plan.Select(l => l.Opens), Is.EqualTo(plan.Select(l => DemoPeople.IsRecentlyConverted(l.Index))),
                "the feed's recent accounts convert exactly the planned openers");
            Assert.That(plan.Where(l => l.Opens).Select(l => l.OpenedDaysAgo), Is.All.InRange(1, DemoChannels.OpeningWindowDays));
            Assert.That(DemoChannels.All.Sum(c => c.LeadShare), Is.EqualTo(1).Within(1e-9));
            // Conditioning on the fixed number of openers leaves the rates unbiased only if the table converts that share.
            var share = (double)DemoPeople.RecentlyConverted / (DemoPeople.RecentlyConverted + DemoPeople.OpenProspects);
            Assert.That(DemoChannels.All.Sum(c => c.LeadShare * c.Conversion), Is.EqualTo(share).Within(0.002));
        });
    }

    [Test]
    public void The_traffic_demos_walk_ins_leave_each_openers_first_touch_its_arrival_and_its_days_to_convert_its_delay()
    {
        var today = new DateOnly(2026, 6, 30);
        var door = TrafficDemoSeeder.DoorWalkIns(today);
        // A lobby event's walk-ins come after its start (14:00) on its day.
        var atEvents = DemoEffects.LobbyEventStarts.SelectMany(e => TrafficDemoSeeder.EventWalkIns(e.BranchCode, e.DaysAgo)
            .Select(person => (Person: person, At: BranchClock.At(today.AddDays(-e.DaysAgo), 14))));
        var touches = door.Select(w => (w.Person, w.At)).Concat(atEvents).ToLookup(t => t.Person, t => t.At);
        var openers = Enumerable.Range(DemoPeople.FirstProspect, DemoPeople.RecentlyConverted).Select(DemoChannels.Lead).ToList();

        Assert.Multiple(() =>
        {
            Assert.That(openers.Count(l => touches[l.Index].Any()), Is.GreaterThan(100), "openers the traffic demo walks in");
            Assert.That(door.Select(w => today.DayNumber - BranchClock.DayOf(w.At).DayNumber), Is.All.InRange(1, TrafficDemoSeeder.DoorWalkInsWithinDays),
                "door walk-ins within the portal's 26 weeks");
            foreach (var lead in openers)
            {
                // What the page measures: from the first touch at or before the opening to the end of the opening day.
                var opening = BranchClock.EndOfDay(today.AddDays(-lead.OpenedDaysAgo));
                Assert.That(touches[lead.Index], Is.All.LessThan(opening), $"lead {lead.Index} walks in before its opening");
                var first = touches[lead.Index].Append(lead.ArrivedAt(today)).Min();
                Assert.That((opening - first).TotalDays, Is.EqualTo(lead.DaysToConvert).Within(1e-6), $"lead {lead.Index}: days from its first touch to its opening");
            }
        });
    }

    [Test]
    public void Docs_acquisition_states_the_table_the_demo_draws_from()
    {
        var lines = File.ReadAllLines(Path.Combine(RepositoryRoot(), "docs", "acquisition.md"));
        var start = Array.FindIndex(lines, line => line.StartsWith("**The demo's channels**", StringComparison.Ordinal));
        Assert.That(start, Is.Not.Negative, "docs/acquisition.md has the demo's channels");
        // Header and separator rows skipped; the channel cell may name its campaign in brackets.
        var documented = lines.Skip(start + 1).SkipWhile(line => !line.StartsWith('|')).TakeWhile(line => line.StartsWith('|')).Skip(2)
            .Select(line => line.Trim().Trim('|').Split('|').Select(cell => cell.Trim()).ToArray())
            .Select(cells => string.Join(" | ", cells.Skip(1).Prepend(cells[0].Split(' ')[0])));
        static string Percent(double p) => string.Create(CultureInfo.InvariantCulture, $"{p * 100:0} %");
        var stated = DemoChannels.All.Select(c => string.Join(" | ", c.Channel, Percent(c.LeadShare), Percent(c.Contact), Percent(c.Interest),
            Percent(c.Appointment), Percent(c.Opening), Percent(c.Activation), c.MeanDaysToConvert.ToString(CultureInfo.InvariantCulture)));

        Assert.That(documented, Is.EqualTo(stated));
    }

    private static string RepositoryRoot()
    {
        for (var dir = new DirectoryInfo(TestContext.CurrentContext.TestDirectory); dir is not null; dir = dir.Parent)
        {
            if (File.Exists(Path.Combine(dir.FullName, "BankClientele.sln")))
            {
                return dir.FullName;
            }
        }
        throw new InvalidOperationException("BankClientele.sln not found above the test directory.");
    }

    private static void Within(string channel, string what, int part, int whole, double p)
    {
        var error = Math.Sqrt(p * (1 - p) / whole);
        Assert.That((double)part / whole, Is.EqualTo(p).Within(4 * error), $"{channel}: {what} {part} of {whole}, stated {p:P0}");
    }
}
