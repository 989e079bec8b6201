using System.Diagnostics;
using System.Text;
using BankClientele.Acquisition.Prospects;
using BankClientele.Cli.Import;
using BankClientele.Cli.Infrastructure;
using BankClientele.FootTraffic.Lobby;
using BankClientele.Hosting.Auth;
using BankClientele.Hosting.Customers;
using BankClientele.Hosting.Time;
using Spectre.Console;

namespace BankClientele.Cli.Seed;

/// <summary>
/// Foot traffic's demo data, through foot-traffic's API and queue-log import only: each branch's
/// roster and a year of queue logs (<see cref="TrafficDemo"/>), then lobby events: the staggered
/// events of <see cref="DemoEffects.LobbyEventStarts"/> inviting and checking in the customers
/// <see cref="DemoEffects.InvitedToLobbyEvent"/> picks, with walk-ins captured there (some of them the
/// prospects who open an account during the demo), a past event per branch and a planned one.
/// </summary>
public sealed class TrafficDemoSeeder(CliContext context, SeedApi api)
{
    public const string Consent = "本人同意银行在活动后就存款与理财产品与我电话联系，并为此保存我的姓名与手机号。";

    public async Task RunAsync(DateOnly today, CancellationToken ct)
    {
        var watch = Stopwatch.StartNew();
        int rows = 0, added = 0, identified = 0;
        await context.Errors.Progress()
            .Columns(new TaskDescriptionColumn(), new ProgressBarColumn(), new PercentageColumn(), new TransferSpeedColumn(), new SpinnerColumn())
            .StartAsync(async progress =>
            {
                var tasks = DemoNetwork.Branches.Select(b => progress.AddTask($"foot traffic: {b.Code} roster and a year of queue logs", autoStart: false)).ToList();
                using var upload = new VisitLogUpload(context.Settings);
                for (var b = 0; b < DemoNetwork.Branches.Count; b++)
                {
                    var code = DemoNetwork.Branches[b].Code;
                    await api.FootTraffic.SendAsync(HttpMethod.Put, $"/api/traffic/rosters/{code}", TrafficDemo.Roster(b), ct);
                    var csv = new StringBuilder();
                    foreach (var line in TrafficDemo.Year(b, today))
                    {
                        csv.Append(line).Append('\n');
                        identified += line.EndsWith(",,", StringComparison.Ordinal) || line.StartsWith("branch_code", StringComparison.Ordinal) ? 0 : 1;
                    }
                    using var body = new MemoryStream(Encoding.UTF8.GetBytes(csv.ToString()));
                    tasks[b].MaxValue = body.Length;
                    tasks[b].StartTask();
                    var result = await upload.UploadAsync(body, sent => tasks[b].Value = sent, ct);
                    tasks[b].Value = tasks[b].MaxValue;
                    rows += result.Rows;
                    added += result.Added;
                }
            });
        var logs = watch.Elapsed;
        var (events, invitations, checkIns, walkIns) = await LobbyEventsAsync(today, ct);
        var (door, doorConverting) = await DoorWalkInsAsync(today, ct);
        context.Console.MarkupLine(
            $" foot traffic → foot-traffic … [green]{DemoNetwork.Branches.Count} rosters; {rows:N0} queue-log rows ({added:N0} new visits, {identified:N0} by identified customers) in {logs.TotalSeconds:0.0} s; " +
            $"{events} lobby events, {invitations:N0} invitations, {checkIns:N0} check-ins, {walkIns} walk-ins at events; " +
            $"{door} walk-ins identified at the door ({doorConverting} of whom open an account later); {watch.Elapsed.TotalSeconds:0.0} s in all[/]");
        context.Note("The identified visits' BranchVisitRecorded events leave foot-traffic's outbox over RabbitMQ in the background.");
    }

    private async Task<(int Events, int Invitations, int CheckIns, int WalkIns)> LobbyEventsAsync(DateOnly today, CancellationToken ct)
    {
        int events = 0, invitations = 0, checkIns = 0, walkIns = 0;
        var random = new Random(DemoNetwork.RandomSeed);
        var prospects = await api.Acquisition.GetAsync<List<ProspectView>>("/api/prospects", ct);
        foreach (var branch in DemoNetwork.Branches)
        {
            var b = TrafficDemo.BranchIndex(branch.Code);
            var perBranch = DemoNetwork.CustomerCount / DemoNetwork.Branches.Count;
            var customers = Enumerable.Range(0, perBranch).Select(k => b + 1 + DemoNetwork.Branches.Count * k).ToList();

            // The demo's lobby events whose attendees' deposits rise in the core-banking feed.
            foreach (var (_, daysAgo) in DemoEffects.LobbyEventStarts.Where(e => e.BranchCode == branch.Code))
            {
                var invited = customers.Where(DemoEffects.InvitedToLobbyEvent).ToList();
                var starts = At(today.AddDays(-daysAgo), 14);
                var view = await PlanAsync(branch.Code, "财富管理沙龙：稳健存款与养老规划", starts, 200, 8_000m, [],
                    invited.Select(i => CustomerIds.FromCustomerNumber(DemoNetwork.CustomerNumber(i))).ToList(), [], ct);
                events++;
                invitations += invited.Count;
                foreach (var i in invited)
                {
                    await CheckInAsync(view.Id, new CheckInAttendee(null, DemoNetwork.CustomerNumber(i), null, null, starts.AddMinutes(random.Next(0, 60))), ct);
                    checkIns++;
                }
                // Walk-ins captured at the event: prospects of the branch, a few of whom open an account during the demo.
                foreach (var i in EventWalkIns(branch.Code, daysAgo))
                {
                    var person = DemoPeople.Person(i);
                    var walkIn = await api.FootTraffic.SendAsync<WalkInView>(HttpMethod.Post, "/api/walk-ins",
                        new CaptureWalkIn(branch.Code, person.FullName, person.Phone, "存款", view.Id, true, Consent, starts.AddMinutes(random.Next(5, 90))), ct);
                    await CheckInAsync(view.Id, new CheckInAttendee(null, null, null, walkIn.Id, walkIn.IdentifiedAt), ct);
                    walkIns++;
                    checkIns++;
                }
            }

            // A past event for the branch's high tiers, and a planned one inviting its open prospects too.
            var past = await PlanAsync(branch.Code, "客户答谢会", At(today.AddDays(-45 - b), 15), 60, 5_000m, ["HighNetWorth", "PrivateBanking"], [], [], ct);
            invitations += past.Results.Invited;
            var open = prospects.Where(p => p.BranchCode == branch.Code && p.ConvertedAt is null).Take(20).Select(p => p.Id).ToList();
            var planned = await PlanAsync(branch.Code, "新客开户礼·亲子财商课", At(today.AddDays(10 + b % 5), 10), 80, 6_000m, ["Wealth"], [], open, ct);
            invitations += planned.Results.Invited;
            events += 2;
        }
        return (events, invitations, checkIns, walkIns);
    }

    /// <summary>Walk-ins each branch's staff identify at the door, over days 125 to 180 ago (those who open an account later: see <see cref="DoorWalkIns"/>).</summary>
    public const int DoorWalkInsPerBranch = 48;

    /// <summary>Door walk-ins are identified within this many days before the seed day (the portal's walk-in funnel shows 26 weeks).</summary>
    public const int DoorWalkInsWithinDays = 180;

    /// <summary>
    /// The share of door walk-ins who open an account later, by hour of the day: quiet mornings and
    /// afternoons leave time for a real conversation, the lunch crowd does not.
    /// </summary>
    public static readonly IReadOnlyDictionary<int, double> DoorConversionByHour = new Dictionary<int, double>
    {
        [9] = 0.45, [10] = 0.5, [11] = 0.4, [12] = 0.15, [13] = 0.2, [14] = 0.45, [15] = 0.35, [16] = 0.3,
    };

    /// <summary>How often each member of a branch (lead, then its managers in order) is at the door, and how well they convert (× the hour's share).</summary>
    private static readonly (int Weight, double Skill)[] DoorStaff = [(2, 1.2), (3, 1.0), (2, 0.8), (2, 0.6), (1, 1.1)];

    /// <summary>A walk-in the door's staff member <see cref="Staff"/> (index in <see cref="DoorStaffOf"/>) identifies at <see cref="At"/>.</summary>
    public sealed record DoorWalkIn(string BranchCode, int Staff, int Person, DateTimeOffset At, string Interest, bool Converts);

    /// <summary>The branch's people at the door: its lead, then its managers.</summary>
    public static List<StaffIdentity> DoorStaffOf(string branchCode)
    {
        var staff = new List<StaffIdentity> { new($"BL-{branchCode}", $"{branchCode} 网点负责人", StaffRoles.BranchLead, branchCode) };
        staff.AddRange(DemoNetwork.RelationshipManagers.Where(m => m.BranchCode == branchCode)
            .Select(m => new StaffIdentity(m.StaffId, m.Name, StaffRoles.RelationshipManager, branchCode)));
        return staff;
    }

    /// <summary>
    /// The walk-ins captured at the branch's lobby event <paramref name="daysAgo"/>: eight of the branch's first prospects,
    /// those who open an account only if the event falls between their arrival and their opening (a walk-in earlier than
    /// the lead's arrival would become its first touch and lengthen its days to convert past its channel's).
    /// </summary>
    public static IReadOnlyList<int> EventWalkIns(string branchCode, int daysAgo) =>
        Enumerable.Range(DemoPeople.FirstProspect, 600 + 200)
            .Where(i => DemoNetwork.CustomerBranch(i).Code == branchCode && DemoChannels.Lead(i).MayBeTouchedOn(daysAgo))
            .Take(8).ToList();

    /// <summary>
    /// Door walk-ins by the branch's own staff (each with their own token, so each is credited): whether a
    /// walk-in converts is drawn from <see cref="DoorConversionByHour"/> × the staff member's skill; those
    /// who do are people who open an account in the feed's recent accounts, the others open prospects. The others come
    /// 125 to 180 days ago; one who opens comes on a day between its arrival by its channel and its opening (and within
    /// 180 days), so that its first touch stays its channel's and the page's days to convert its channel's delay.
    /// </summary>
    public static IReadOnlyList<DoorWalkIn> DoorWalkIns(DateOnly today)
    {
        var random = new Random(DemoNetwork.RandomSeed + 17);
        var hours = DoorConversionByHour.Keys.ToArray();
        var walkIns = new List<DoorWalkIn>();
        foreach (var branch in DemoNetwork.Branches)
        {
            // Those captured at the branch's lobby events are not at the door too.
            var atEvents = DemoEffects.LobbyEventStarts.Where(e => e.BranchCode == branch.Code).SelectMany(e => EventWalkIns(branch.Code, e.DaysAgo)).ToHashSet();
            var willOpen = new Queue<int>(Enumerable.Range(DemoPeople.FirstProspect, DemoPeople.RecentlyConverted)
                .Where(i => DemoNetwork.CustomerBranch(i).Code == branch.Code && !atEvents.Contains(i)));
            var staysProspect = new Queue<int>(Enumerable.Range(DemoPeople.FirstProspect + 800, DemoPeople.OpenProspects - 800)
                .Where(i => DemoNetwork.CustomerBranch(i).Code == branch.Code));
            var weights = DoorStaffOf(branch.Code).Select((_, k) => DoorStaff[k % DoorStaff.Length].Weight).ToArray();
            for (var n = 0; n < DoorWalkInsPerBranch; n++)
            {
                var who = Pick(random, weights);
                var hour = hours[random.Next(hours.Length)];
                var converts = random.NextDouble() < DoorConversionByHour[hour] * DoorStaff[who % DoorStaff.Length].Skill;
                var pool = converts && willOpen.Count > 0 ? willOpen : staysProspect;
                var person = pool.Dequeue();
                var daysAgo = 125 + random.Next(0, 56);
                if (pool == willOpen)
                {
                    var lead = DemoChannels.Lead(person);
                    var latest = Math.Min(lead.ArrivedDaysAgo, DoorWalkInsWithinDays);
                    daysAgo = lead.OpenedDaysAgo + daysAgo % (latest - lead.OpenedDaysAgo + 1);
                }
                var at = At(today.AddDays(-daysAgo), hour).AddMinutes(random.Next(0, 60));
                walkIns.Add(new DoorWalkIn(branch.Code, who, person, at, random.Next(3) == 0 ? "理财" : "存款", pool == willOpen));
            }
        }
        return walkIns;
    }

    private async Task<(int WalkIns, int Converting)> DoorWalkInsAsync(DateOnly today, CancellationToken ct)
    {
        var staff = DemoNetwork.Branches.ToDictionary(b => b.Code, b => DoorStaffOf(b.Code));
        var walkIns = DoorWalkIns(today);
        foreach (var walkIn in walkIns)
        {
            var person = DemoPeople.Person(walkIn.Person);
            using var client = FootTrafficClient(staff[walkIn.BranchCode][walkIn.Staff]);
            await client.SendAsync<WalkInView>(HttpMethod.Post, "/api/walk-ins",
                new CaptureWalkIn(walkIn.BranchCode, person.FullName, person.Phone, walkIn.Interest, null, true, Consent, walkIn.At), ct);
        }
        return (walkIns.Count, walkIns.Count(w => w.Converts));
    }

    private static int Pick(Random random, int[] weights)
    {
        var roll = random.Next(weights.Sum());
        for (var k = 0; k < weights.Length; k++)
        {
            roll -= weights[k];
            if (roll < 0)
            {
                return k;
            }
        }
        return weights.Length - 1;
    }

    private ServiceClient FootTrafficClient(StaffIdentity staff) =>
        new(ServiceCatalog.FootTraffic, context.Settings.BaseAddress(ServiceCatalog.FootTraffic), context.Settings.TokenIssuer().Issue(staff, ServiceCatalog.FootTraffic.Audience));

    private static DateTimeOffset At(DateOnly day, int hour) => BranchClock.At(day, hour);

    private Task<LobbyEventView> PlanAsync(string branch, string theme, DateTimeOffset starts, int capacity, decimal budget,
        List<string> segments, List<Guid> customers, List<Guid> prospects, CancellationToken ct) =>
        api.FootTraffic.SendAsync<LobbyEventView>(HttpMethod.Post, "/api/lobby-events",
            new PlanLobbyEvent(branch, theme, starts.ToUniversalTime(), starts.AddHours(2).ToUniversalTime(), capacity, budget,
                ["BL-" + branch, $"RM-{branch}-01"], segments, customers, prospects), ct);

    private Task CheckInAsync(Guid eventId, CheckInAttendee attendee, CancellationToken ct) =>
        api.FootTraffic.SendAsync(HttpMethod.Post, $"/api/lobby-events/{eventId}/attendance", attendee, ct);
}
