using System.Globalization;
using BankClientele.Cli.Seed;
using BankClientele.Hosting.Customers;
using BankClientele.Insights.Segmentation;
using BankClientele.Insights.Uplift;

namespace BankClientele.Cli.Tests;

/// <summary>
/// The seed's own core-banking balance files (the base book, people 1..20,000, and the recent accounts of
/// people 20,001..20,600), written once per test run and read in one pass into what Insights makes of them:
/// the uplift store's sums (branch-days outside campaign audiences, the campaign's arms) and each
/// customer's window of activity as the segmentation's query summarises it.
/// </summary>
public sealed record DemoBook(
    List<BranchDay> Outside,
    List<GroupDay> CampaignArms,
    Dictionary<string, (int Invited, int Customers)> LobbyBranches,
    List<SegmentationJob.CustomerFacts> Facts,
    DateOnly AsOf)
{
    public static readonly DateOnly Today = new(2026, 11, 29);

    private static readonly Lazy<Task<DemoBook>> Book = new(ReadAsync);

    public static Task<DemoBook> LoadAsync() => Book.Value;

    private static async Task<DemoBook> ReadAsync()
    {
        var folder = Directory.CreateTempSubdirectory("demo-book-");
        try
        {
            var demo = new CoreBankingDemo(new TestCli().Context, Today);
            Directory.CreateDirectory(Path.Combine(folder.FullName, "base"));
            Directory.CreateDirectory(Path.Combine(folder.FullName, "recent"));
            var baseFiles = await demo.WriteFilesAsync(Path.Combine(folder.FullName, "base"), 1, DemoNetwork.CustomerCount, recent: false, CancellationToken.None);
            var recentFiles = await demo.WriteFilesAsync(Path.Combine(folder.FullName, "recent"), DemoPeople.FirstProspect,
                DemoPeople.FirstProspect + DemoPeople.RecentlyConverted - 1, recent: true, CancellationToken.None);
            var outside = new Dictionary<(string, DateOnly), (int Customers, decimal Deposit)>();
            var arms = new Dictionary<(string, DateOnly), (int Customers, decimal Deposit)>();
            var asOf = Today.AddDays(-1);
            var from = asOf.AddDays(-365);
            var facts = new List<SegmentationJob.CustomerFacts>();
            foreach (var (path, recent) in new[] { (baseFiles[2].Path, false), (recentFiles[2].Path, true) })
            {
                var current = "";
                var activity = new Activity();
                foreach (var line in File.ReadLines(path).Skip(1))
                {
                    var f = line.Split(',');
                    var day = DateOnly.ParseExact(f[1], "yyyy-MM-dd", CultureInfo.InvariantCulture);
                    var deposit = decimal.Parse(f[2], CultureInfo.InvariantCulture);
                    var assets = deposit + decimal.Parse(f[3], CultureInfo.InvariantCulture);
                    if (f[0] != current)
                    {
                        activity.AddTo(facts, current);
                        current = f[0];
                        activity = new Activity();
                    }
                    if (day > from && day <= asOf)
                    {
                        activity.Add(day, assets);
                    }
                    if (recent)
                    {
                        continue; // the uplift sums below are those of the base book (the recent accounts are checked on the seeded system)
                    }
                    var index = (int)(long.Parse(f[0], CultureInfo.InvariantCulture) - 6_100_000_000L);
                    var branch = DemoNetwork.CustomerBranch(index).Code;
                    // As the store's "audience" dimension: campaign audiences apart from everyone else.
                    if (DemoEffects.InUpliftCampaignAudience(index))
                    {
                        var id = CustomerIds.FromCustomerNumber(f[0]);
                        var arm = CampaignHoldout.IsControl(DemoEffects.UpliftCampaignCode, id, DemoEffects.UpliftCampaignHoldout) ? "holdout" : "treated";
                        arms[(arm, day)] = arms.TryGetValue((arm, day), out var a) ? (a.Customers + 1, a.Deposit + deposit) : (1, deposit);
                    }
                    else
                    {
                        outside[(branch, day)] = outside.TryGetValue((branch, day), out var o) ? (o.Customers + 1, o.Deposit + deposit) : (1, deposit);
                    }
                }
                activity.AddTo(facts, current);
            }
            var lobby = DemoEffects.LobbyEventStarts.ToDictionary(e => e.BranchCode, e =>
            {
                var people = Enumerable.Range(1, DemoNetwork.CustomerCount).Where(i => DemoNetwork.CustomerBranch(i).Code == e.BranchCode).ToList();
                return (people.Count(DemoEffects.InvitedToLobbyEvent), people.Count);
            });
            return new DemoBook(
                [.. outside.Select(o => new BranchDay(o.Key.Item1, o.Key.Item2, o.Value.Customers, o.Value.Deposit))],
                [.. arms.Select(a => new GroupDay(a.Key.Item1, a.Key.Item2, a.Value.Customers, a.Value.Deposit))],
                lobby, facts, asOf);
        }
        finally
        {
            folder.Delete(recursive: true);
        }
    }

    /// <summary>One customer's window, as the segmentation's query reads it: a transaction is a day whose assets rose against the previous day's.</summary>
    private sealed class Activity
    {
        private DateOnly? first;
        private decimal? previous;
        private int repeats;
        private DateOnly lastInflow;
        private decimal inflows;

        public void Add(DateOnly day, decimal assets)
        {
            first ??= day;
            if (previous is { } p && assets > p)
            {
                repeats++;
                lastInflow = day;
                inflows += assets - p;
            }
            previous = assets;
        }

        public void AddTo(List<SegmentationJob.CustomerFacts> facts, string number)
        {
            if (first is { } f)
            {
                facts.Add(new SegmentationJob.CustomerFacts(CustomerIds.FromCustomerNumber(number), "", f, repeats,
                    repeats > 0 ? lastInflow : f, inflows, previous!.Value));
            }
        }
    }
}
