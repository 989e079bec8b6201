using BankClientele.Acquisition.Campaigns;
using BankClientele.Hosting.Time;

namespace BankClientele.Cli.Seed;

/// <summary>
/// A lead channel of the demo with its stated funnel: the share of the demo's prospects arriving by it, and the
/// probability of each stage given the one before (contacted of leads, interested of contacted, appointment of
/// interested, account opened of appointments, activated of opened), as /api/channel-figures reports them,
/// plus the mean days to convert as the page counts them (from the first touch to the end of the opening day).
/// </summary>
public sealed record DemoChannel(
    string Channel, string CampaignKind, double LeadShare, double Contact, double Interest, double Appointment, double Opening,
    double Activation, double MeanDaysToConvert)
{
    /// <summary>Probability that a lead of the channel opens an account.</summary>
    public double Conversion => Contact * Interest * Appointment * Opening;
}

/// <summary>How far a demo lead goes before (or without) opening an account.</summary>
public enum DemoLeadStage { New, Contacted, Interested, Appointment }

/// <summary>
/// One demo prospect's planned funnel: its channel, the furthest contact stage, and, for those who open,
/// whether they activate (a first positive deposit), how long after the first touch they open, and when.
/// </summary>
public sealed record DemoLead(int Index, DemoChannel Channel, DemoLeadStage Stage, bool Opens, bool Activates, int DaysToConvert, int OpenedDaysAgo)
{
    /// <summary>
    /// The day the lead arrives by its channel (its first touch), in days before the seed day. The page counts days to
    /// convert from that touch to the end of the opening day (the feed's account counts as opened then), so an opener
    /// arrives at the start of its day <see cref="DaysToConvert"/> − 1 days before the opening day: exactly its delay.
    /// Those who never open arrive over the last 90 days.
    /// </summary>
    public int ArrivedDaysAgo => Opens ? OpenedDaysAgo + DaysToConvert - 1 : Index % 90 + 1;

    /// <summary>The lead's arrival: the start of its day, branch time (a list gives the day of consent).</summary>
    public DateTimeOffset ArrivedAt(DateOnly today) => BranchClock.StartOfDay(today.AddDays(-ArrivedDaysAgo));

    /// <summary>
    /// Whether another touch on the day <paramref name="daysAgo"/> (in branch hours) leaves the lead's first touch and its
    /// opening as planned: on or after its arrival day and on or before its opening day. Any day for a lead who never opens.
    /// </summary>
    public bool MayBeTouchedOn(int daysAgo) => !Opens || (daysAgo <= ArrivedDaysAgo && daysAgo >= OpenedDaysAgo);
}

/// <summary>
/// The demo's stated channel parameters (README: "channels of the demo") and the funnel drawn from them, so the
/// funnel page shows channels that differ the way a real network's do. The people who open are fixed by
/// <see cref="DemoPeople"/> (the feed's recent accounts convert <see cref="DemoPeople.RecentlyConverted"/> of the
/// <see cref="DemoPeople.RecentlyConverted"/> + <see cref="DemoPeople.OpenProspects"/> prospects); the plan draws
/// each group from the table's law given its outcome (Bayes: channel ∝ share × P(open | channel), stages given
/// opened or not), which is the same as drawing every lead from the table and conditioning on that count. The
/// table is tuned so that its overall conversion is that 15 %, which keeps every channel's rates unbiased.
/// </summary>
public static class DemoChannels
{
    public static readonly IReadOnlyList<DemoChannel> All =
    [
        // Bought and imported lists for the targeted campaigns: cheap reach, cold leads, slow to decide.
        new("import", CampaignKinds.Targeted, LeadShare: 0.40, Contact: 0.35, Interest: 0.40, Appointment: 0.60, Opening: 0.60, Activation: 0.70, MeanDaysToConvert: 35),
        // Community events: people who came and signed up: easy to reach, warm, quick.
        new("community-event", CampaignKinds.CommunityEvent, LeadShare: 0.35, Contact: 0.70, Interest: 0.60, Appointment: 0.75, Opening: 0.75, Activation: 0.90, MeanDaysToConvert: 12),
        // Partner referrals: paid per opened and funded account, so the partner pushes them to open.
        new("partner", CampaignKinds.Partner, LeadShare: 0.25, Contact: 0.60, Interest: 0.60, Appointment: 0.65, Opening: 0.80, Activation: 0.80, MeanDaysToConvert: 20),
    ];

    /// <summary>Days before the seed day the recent accounts open: 1 to this (the feed's "last 120 days").</summary>
    public const int OpeningWindowDays = 120;

    public static DemoChannel OfKind(string kind) => All.Single(c => c.CampaignKind == kind);

    private static readonly Lazy<IReadOnlyList<DemoLead>> DemoPlan = new(() => Plan(DemoNetwork.RandomSeed, DemoPeople.RecentlyConverted, DemoPeople.OpenProspects));

    /// <summary>The seed's plan for prospect <paramref name="index"/> (<see cref="DemoPeople.FirstProspect"/>..<see cref="DemoPeople.LastProspect"/>).</summary>
    public static DemoLead Lead(int index) => DemoPlan.Value[index - DemoPeople.FirstProspect];

    /// <summary>
    /// The funnel of <paramref name="converted"/> leads who open an account followed by <paramref name="open"/> who do not,
    /// indexed from <see cref="DemoPeople.FirstProspect"/>; the same for the same seed.
    /// </summary>
    public static IReadOnlyList<DemoLead> Plan(int seed, int converted, int open)
    {
        var random = new Random(seed);
        var leads = new List<DemoLead>(converted + open);
        var openWeights = All.Select(c => c.LeadShare * c.Conversion).ToArray();
        var stayWeights = All.Select(c => c.LeadShare * (1 - c.Conversion)).ToArray();
        for (var n = 0; n < converted; n++)
        {
            var channel = All[Pick(random, openWeights)];
            var days = DelayDays(random, channel.MeanDaysToConvert);
            leads.Add(new DemoLead(DemoPeople.FirstProspect + n, channel, DemoLeadStage.Appointment, Opens: true,
                Activates: random.NextDouble() < channel.Activation, days, OpenedDaysAgo: random.Next(1, OpeningWindowDays + 1)));
        }
        for (var n = 0; n < open; n++)
        {
            var c = All[Pick(random, stayWeights)];
            // The furthest stage of a lead who does not open, each in proportion to its probability.
            double[] stages = [1 - c.Contact, c.Contact * (1 - c.Interest), c.Contact * c.Interest * (1 - c.Appointment), c.Contact * c.Interest * c.Appointment * (1 - c.Opening)];
            leads.Add(new DemoLead(DemoPeople.FirstProspect + converted + n, c, (DemoLeadStage)Pick(random, stages), Opens: false, Activates: false, 0, 0));
        }
        return leads;
    }

    /// <summary>Gamma(3) days around the mean (a right tail of slow deciders), at least one day.</summary>
    private static int DelayDays(Random random, double mean)
    {
        var sum = 0.0;
        for (var k = 0; k < 3; k++)
        {
            sum -= Math.Log(1 - random.NextDouble());
        }
        return Math.Max(1, (int)Math.Round(sum * mean / 3));
    }

    private static int Pick(Random random, double[] weights)
    {
        var u = random.NextDouble() * weights.Sum();
        for (var i = 0; i < weights.Length - 1; i++)
        {
            u -= weights[i];
            if (u < 0)
            {
                return i;
            }
        }
        return weights.Length - 1;
    }
}
