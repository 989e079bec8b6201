using System.Diagnostics;
using System.Globalization;
using System.Text;
using BankClientele.Cli.Import;
using BankClientele.Cli.Infrastructure;
using BankClientele.CustomerCare.Feed;
using BankClientele.Hosting.Customers;
using Spectre.Console;

namespace BankClientele.Cli.Seed;

/// <summary>
/// The core-banking demo feed, written as CSV files and imported through the real feed endpoints
/// (the code path of <c>bankclientele import</c>): the base book of people 1..20,000 with a year
/// of daily balances, and later the "recent accounts" of people 20,001..20,600 that convert
/// Acquisition's prospects. Deterministic: the same files for the same day.
/// </summary>
public sealed class CoreBankingDemo(CliContext context, DateOnly today, int balanceDays = CoreBankingDemo.DefaultBalanceDays,
    int dailyBalanceDays = CoreBankingDemo.DefaultDailyBalanceDays)
{
    public const int DefaultBalanceDays = 365;

    /// <summary>
    /// Balances are daily for this many days back and weekly before (for a lighter demo; by default
    /// every day of the year is daily: 7.3 M rows for 20,000 customers).
    /// </summary>
    public const int DefaultDailyBalanceDays = 365;

    /// <summary>Every 53rd customer moves most of their deposits out within the last two weeks (flight risk).</summary>
    public static bool HasLargeOutflow(int index) => index % 53 == 0;

    /// <summary>Every 41st customer keeps a large idle demand balance (a bundle prospect).</summary>
    public static bool HasIdleDemandBalance(int index) => index % 41 == 0;

    /// <summary>Every 17th customer's time deposit matures within the next 30 days.</summary>
    public static bool HasMaturingDeposit(int index) => index % 17 == 0;

    // The catalogue's codes (BundlesDemo.Products), so every holding the feed reports has a name and a kind.
    private static readonly string[] WealthProducts = ["WM-R2-180", "WM-R3-365", "FUND-BOND", "WM-R2-90", "FUND-MIX"];

    /// <summary>
    /// The base step sends its balances as this many files, each of a few branches' customers, imported
    /// side by side (each in its own transaction; disjoint customers, so they touch no row in common).
    /// </summary>
    public const int BaseBalanceFiles = 4;

    /// <summary>Seed step: customers, holdings and balances of people 1..20,000.</summary>
    public static Task ImportBaseAsync(CliContext context, DateOnly today, CancellationToken ct) =>
        new CoreBankingDemo(context, today).ImportAsync("core-banking base feed", 1, DemoNetwork.CustomerCount, recent: false, ct, BaseBalanceFiles);

    /// <summary>Seed step, after Acquisition's prospects exist: the accounts people 20,001..20,600 opened in the last 120 days.</summary>
    public static Task ImportRecentAccountsAsync(CliContext context, DateOnly today, CancellationToken ct) =>
        new CoreBankingDemo(context, today).ImportAsync("core-banking recent accounts", DemoPeople.FirstProspect,
            DemoPeople.FirstProspect + DemoPeople.RecentlyConverted - 1, recent: true, ct);

    public async Task<IReadOnlyList<FeedImportResult>> ImportAsync(string label, int first, int last, bool recent, CancellationToken ct, int balanceFiles = 1)
    {
        var folder = Directory.CreateTempSubdirectory("bankclientele-core-banking-");
        try
        {
            var clock = Stopwatch.StartNew();
            var files = await WriteFilesAsync(folder.FullName, first, last, recent, ct, balanceFiles);
            context.Note($"{label}: files for people {first}..{last} written in {clock.Elapsed.TotalSeconds:0.0} s ({string.Join(", ", files.Select(f => $"{f.Feed} {new FileInfo(f.Path).Length / 1_000_000.0:0.0} MB"))})");
            using var uploader = FeedUploader.Create(context.Settings);
            async Task<FeedImportResult> UploadAsync(string feed, string path)
            {
                await using var stream = File.OpenRead(path);
                var result = await uploader.UploadAsync(feed, stream, progress: null, ct);
                context.Console.MarkupLine(Markup.Escape(
                    $" {label}: {feed} {result.Rows:N0} rows ({result.Inserted:N0} new, {result.Updated:N0} updated, {result.Unchanged:N0} unchanged), " +
                    $"{result.Events:N0} events, {result.Seconds:0.0} s"));
                return result;
            }
            var results = await ImportInOrderAsync(files, recent, UploadAsync);
            context.Console.MarkupLine($" {Markup.Escape(label)} … [green]done in {clock.Elapsed.TotalSeconds:0.0} s[/]");
            return results;
        }
        finally
        {
            folder.Delete(recursive: true);
        }
    }

    /// <summary>
    /// Imports the files as the seed does. Customers first (the others refer to them). The base feed's holdings go last:
    /// their AccountOpened events (one per account, taken message by message in two services) are then consumed after
    /// the balances are in, not on the same two cores while they load. Recent accounts keep holdings before balances,
    /// so that Acquisition has converted their prospects when their first balances arrive. Balance files go side by side.
    /// </summary>
    public static async Task<List<FeedImportResult>> ImportInOrderAsync(
        IReadOnlyList<(string Feed, string Path)> files, bool recent, Func<string, string, Task<FeedImportResult>> import)
    {
        var results = new List<FeedImportResult> { await import("customers", files.Single(f => f.Feed == "customers").Path) };
        async Task HoldingsAsync()
        {
            foreach (var (feed, path) in files.Where(f => f.Feed == "holdings"))
            {
                results.Add(await import(feed, path));
            }
        }
        if (recent)
        {
            await HoldingsAsync();
        }
        results.AddRange(await Task.WhenAll(files.Where(f => f.Feed == "balances").Select(f => import(f.Feed, f.Path))));
        if (!recent)
        {
            await HoldingsAsync();
        }
        return results;
    }

    /// <summary>
    /// The files (customers, holdings, then the balances in <paramref name="balanceFiles"/> files by home branch);
    /// <see cref="ImportInOrderAsync"/> imports them in the seed's order. The people are planned one after the other
    /// (their Faker is shared); the balance files, most of the text, are then written side by side.
    /// </summary>
    public async Task<IReadOnlyList<(string Feed, string Path)>> WriteFilesAsync(string folder, int first, int last, bool recent, CancellationToken ct, int balanceFiles = 1)
    {
        var customers = Path.Combine(folder, "customers.csv");
        var holdings = Path.Combine(folder, "holdings.csv");
        var balances = Enumerable.Range(1, balanceFiles).Select(n => Path.Combine(folder, balanceFiles == 1 ? "balances.csv" : $"balances-{n}.csv")).ToArray();
        var plans = new List<CustomerPlan>(last - first + 1);
        await using (var c = Writer(customers))
        await using (var h = Writer(holdings))
        {
            await c.WriteLineAsync("customer_number,full_name,gender,birth_date,id_type,id_number,phone,city,district,branch_code,occupation,risk_level,risk_assessed_on,tags");
            await h.WriteLineAsync("account_number,customer_number,product_code,opened_on,matures_on,balance");
            for (var i = first; i <= last; i++)
            {
                ct.ThrowIfCancellationRequested();
                var plan = Plan(i, recent);
                WriteCustomer(c, plan);
                WriteHoldings(h, plan);
                plans.Add(plan);
            }
        }
        // Each customer's draws stay in their own order (their Random is theirs alone), so the files are the same whatever the interleaving.
        var byFile = plans.ToLookup(p => BalanceFileOf(p, balanceFiles));
        await Parallel.ForEachAsync(Enumerable.Range(0, balanceFiles), ct, async (n, ct) =>
        {
            await using var w = Writer(balances[n]);
            await w.WriteLineAsync("customer_number,date,deposit,wealth");
            foreach (var plan in byFile[n])
            {
                ct.ThrowIfCancellationRequested();
                WriteBalances(w, plan);
            }
        });
        return [("customers", customers), ("holdings", holdings), .. balances.Select(path => ("balances", path))];
    }

    /// <summary>
    /// The balance file of a customer: by home branch, so each branch's DailyBalancesRecorded of a day
    /// still comes from one file (one message per branch and day, as from a single file).
    /// </summary>
    private static int BalanceFileOf(CustomerPlan plan, int balanceFiles)
    {
        var branch = DemoNetwork.Branches.Select((b, i) => (b.Code, i)).First(b => b.Code == plan.Person.HomeBranchCode).i;
        return branch * balanceFiles / DemoNetwork.Branches.Count;
    }

    /// <summary>One customer's book: where their money is, and since when.</summary>
    private sealed record CustomerPlan(
        int Index, DemoPerson Person, string Number, Random Random, decimal Demand, decimal Time, decimal Wealth,
        DateOnly OpenedOn, DateOnly TimeOpenedOn, DateOnly TimeMaturesOn, string WealthProduct, int RiskLevel, DateOnly RiskAssessedOn);

    private CustomerPlan Plan(int index, bool recent)
    {
        var person = DemoPeople.Person(index);
        var random = new Random(DemoNetwork.RandomSeed ^ (index * 48_271));
        // Log-normal assets (median ~36,000 yuan): every tier is populated, a few dozen at 6 million and more.
        var assets = (decimal)Math.Round(Math.Exp(10.5 + 1.75 * Normal(random)), 2);
        if (recent)
        {
            assets = Math.Min(assets, 400_000m);
        }
        var wealthShare = assets < 50_000m ? 0m : (decimal)(random.NextDouble() * 0.7);
        var wealth = decimal.Round(assets * wealthShare, 2);
        var deposits = assets - wealth;
        var demandShare = HasIdleDemandBalance(index) ? 1m : (decimal)(0.3 + random.NextDouble() * 0.7);
        var demand = decimal.Round(deposits * demandShare, 2);
        if (HasIdleDemandBalance(index))
        {
            demand += 300_000m; // a large balance earning almost nothing
        }
        var time = deposits - decimal.Round(deposits * demandShare, 2);
        // A recent account opens on the day its channel's plan says (the draw is still taken, so the later ones stay the same).
        var openedDaysAgo = recent ? random.Next(1, 121) : random.Next(400, 7_000);
        var opened = today.AddDays(-(recent ? DemoChannels.Lead(index).OpenedDaysAgo : openedDaysAgo));
        var timeMatures = HasMaturingDeposit(index) && !recent ? today.AddDays(random.Next(1, 31)) : today.AddDays(random.Next(31, 360));
        var timeOpened = timeMatures.AddYears(-1) < opened ? opened : timeMatures.AddYears(-1);
        var risk = 1 + (int)Math.Min(4, Math.Floor(Math.Abs(Normal(random)) * 1.6));
        // About a quarter of the assessments are more than a year old (expired).
        var assessed = recent ? opened : today.AddDays(-random.Next(0, 480));
        if (recent && !DemoChannels.Lead(index).Activates)
        {
            // Opened and never funded, in the share of its channel's activation rate: no deposit, so never activated.
            (demand, time, wealth) = (0m, 0m, 0m);
        }
        return new CustomerPlan(index, person, DemoNetwork.CustomerNumber(index), random, demand, time, wealth, opened,
            timeOpened, timeMatures, WealthProducts[random.Next(WealthProducts.Length)], risk, assessed);
    }

    private static void WriteCustomer(StreamWriter w, CustomerPlan p)
    {
        var person = p.Person;
        var tags = p.Wealth > 0 ? "理财客户" : HasIdleDemandBalance(p.Index) ? "活期沉淀" : "";
        w.Write(string.Create(CultureInfo.InvariantCulture,
            $"{p.Number},{person.FullName},{person.Gender},{person.BirthDate:yyyy-MM-dd},ID,{person.IdNumber},{person.Phone},{person.City},{person.District},{person.HomeBranchCode},{person.Occupation},C{p.RiskLevel},{p.RiskAssessedOn:yyyy-MM-dd},{tags}\n"));
    }

    private void WriteHoldings(StreamWriter w, CustomerPlan p)
    {
        var account = AccountNumber(p.Index, 0);
        w.Write(string.Create(CultureInfo.InvariantCulture, $"{account},{p.Number},DD-CNY,{p.OpenedOn:yyyy-MM-dd},,{Today(p, p.Demand):0.00}\n"));
        if (p.Time > 0)
        {
            w.Write(string.Create(CultureInfo.InvariantCulture,
                $"{AccountNumber(p.Index, 1)},{p.Number},TD-1Y,{p.TimeOpenedOn:yyyy-MM-dd},{p.TimeMaturesOn:yyyy-MM-dd},{p.Time:0.00}\n"));
        }
        if (p.Wealth > 0)
        {
            var wealthOpened = p.OpenedOn.AddDays(30) < today ? p.OpenedOn.AddDays(30) : p.OpenedOn;
            w.Write(string.Create(CultureInfo.InvariantCulture,
                $"{AccountNumber(p.Index, 2)},{p.Number},{p.WealthProduct},{wealthOpened:yyyy-MM-dd},,{p.Wealth:0.00}\n"));
        }
    }

    /// <summary>
    /// Daily balances up to yesterday: the planned deposits plus the money the customer brings in and spends
    /// down (<see cref="DemoInflows"/>: regular, occasional and lapsed savers), plus the demo's effects.
    /// </summary>
    private void WriteBalances(StreamWriter w, CustomerPlan p)
    {
        var start = today.AddDays(-balanceDays);
        var established = p.OpenedOn <= start;
        if (!established)
        {
            start = p.OpenedOn;
        }
        var id = CustomerIds.FromCustomerNumber(p.Number);
        var campaignFrom = DemoEffects.InUpliftCampaignAudience(p.Index)
            && !CampaignHoldout.IsControl(DemoEffects.UpliftCampaignCode, id, DemoEffects.UpliftCampaignHoldout)
            ? today.AddDays(-DemoEffects.UpliftCampaignStartsDaysAgo) : DateOnly.MaxValue;
        var lobbyFrom = DemoEffects.InvitedToLobbyEvent(p.Index)
            ? today.AddDays(-DemoEffects.LobbyEventStarts.First(e => e.BranchCode == p.Person.HomeBranchCode).DaysAgo) : DateOnly.MaxValue;
        var outflowFrom = HasLargeOutflow(p.Index) ? today.AddDays(-p.Random.Next(2, 14)) : DateOnly.MaxValue;
        var inflows = DemoInflows.For(p.Index, start, today, established);
        var line = new StringBuilder(64);
        var inHand = inflows.Opening;
        for (var day = start; day < today; day = day.AddDays(1))
        {
            // Money comes in on its days and is spent down on the others, so the balance rises only on an inflow day.
            inHand = inflows.Inflows.TryGetValue(day, out var inflow)
                ? inHand + inflow
                : decimal.Round(inHand * (1 - DemoInflows.DailySpending), 2);
            if (day < today.AddDays(-dailyBalanceDays) && (today.DayNumber - day.DayNumber) % 7 != 0)
            {
                continue;
            }
            var deposit = p.Demand + p.Time + inHand;
            if (!Funded(p))
            {
                deposit = 0m;
            }
            if (day >= campaignFrom)
            {
                deposit += DemoEffects.CampaignUplift;
            }
            if (day >= lobbyFrom)
            {
                deposit += DemoEffects.LobbyEventUplift;
            }
            if (day >= outflowFrom)
            {
                deposit = decimal.Round(deposit * 0.3m, 2);
            }
            line.Clear();
            line.Append(p.Number).Append(',').Append(day.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture)).Append(',')
                .Append(deposit.ToString("0.00", CultureInfo.InvariantCulture)).Append(',')
                .Append(p.Wealth.ToString("0.00", CultureInfo.InvariantCulture)).Append('\n');
            w.Write(line);
        }
    }

    /// <summary>Whether the customer ever puts money in: all but the recent accounts their channel's plan leaves unfunded.</summary>
    private static bool Funded(CustomerPlan p) => !DemoPeople.IsRecentlyConverted(p.Index) || DemoChannels.Lead(p.Index).Activates;

    private decimal Today(CustomerPlan p, decimal demand) => HasLargeOutflow(p.Index) ? decimal.Round(demand * 0.3m, 2) : demand;

    /// <summary>A 19-digit debit-card-like account number: kind 0 demand, 1 time deposit, 2 wealth.</summary>
    public static string AccountNumber(int index, int kind) =>
        string.Create(CultureInfo.InvariantCulture, $"622202{kind}{index:D12}");

    private static double Normal(Random random) =>
        Math.Sqrt(-2 * Math.Log(1 - random.NextDouble())) * Math.Cos(2 * Math.PI * random.NextDouble());

    private static StreamWriter Writer(string path) => new(path, append: false, new UTF8Encoding(false), 1 << 16);
}
