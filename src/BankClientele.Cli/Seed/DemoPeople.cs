using System.Globalization;
using Bogus;

namespace BankClientele.Cli.Seed;

/// <summary>One person of the demo: a customer, a prospect, or both in turn.</summary>
public sealed record DemoPerson(
    int Index, string FullName, string Gender, DateOnly BirthDate, string IdNumber, string Phone,
    string City, string District, string Occupation, string HomeBranchCode);

/// <summary>
/// The people of the demo, the same on every run and in every feature's demo data:
/// <list type="bullet">
/// <item>1 to <see cref="DemoNetwork.CustomerCount"/>: existing customers (the core-banking feed's base book);</item>
/// <item>the next <see cref="RecentlyConverted"/>: prospects of Acquisition who open an account during the
/// demo (the feed's "recent accounts" file, imported after Acquisition's prospects, converts them);</item>
/// <item>the next <see cref="OpenProspects"/>: prospects who have not opened an account.</item>
/// </list>
/// Customer numbers come from <see cref="DemoNetwork.CustomerNumber"/> for every index, so a prospect
/// who converts has the number of its index.
/// </summary>
public static class DemoPeople
{
    public const int RecentlyConverted = 600;
    public const int OpenProspects = 3_400;

    public static int FirstProspect => DemoNetwork.CustomerCount + 1;
    public static int LastProspect => DemoNetwork.CustomerCount + RecentlyConverted + OpenProspects;

    public static bool IsBaseCustomer(int index) => index is >= 1 and <= DemoNetwork.CustomerCount;
    public static bool IsRecentlyConverted(int index) => index > DemoNetwork.CustomerCount && index <= DemoNetwork.CustomerCount + RecentlyConverted;

    [ThreadStatic]
    private static Faker? cachedFaker;

    private static readonly string[] Occupations =
        ["企业职员", "公务员", "教师", "医生", "个体工商户", "企业主", "IT工程师", "退休人员", "自由职业", "销售", "律师", "学生"];

    /// <summary>Person <paramref name="index"/> (from 1); cheap enough to call for 25,000 people.</summary>
    public static DemoPerson Person(int index)
    {
        // A Faker is costly to build (its locale's data sets: ~2.5 ms, a minute for the demo's 20,000
        // customers); one per thread, re-seeded per person, gives the same people (see DemoPeopleTests).
        var faker = cachedFaker ??= new Faker("zh_CN");
        faker.Random = new Randomizer(DemoNetwork.RandomSeed ^ (index * 7919));
        var branch = DemoNetwork.CustomerBranch(index);
        var female = faker.Random.Bool();
        var birth = new DateOnly(1950, 1, 1).AddDays(faker.Random.Int(0, 365 * 53));
        var name = faker.Name.LastName() + faker.Name.FirstName(female ? Bogus.DataSets.Name.Gender.Female : Bogus.DataSets.Name.Gender.Male);
        // A plausible 18-character resident ID: area, birth date, sequence (odd for men), check character.
        var body = string.Create(CultureInfo.InvariantCulture,
            $"{faker.Random.Int(110000, 659000)}{birth:yyyyMMdd}{faker.Random.Int(10, 99)}{(female ? faker.Random.Even(0, 8) : faker.Random.Odd(1, 9))}");
        var phone = faker.PickRandom<string>(DemoNetwork.MobilePrefixes) + faker.Random.ReplaceNumbers("#########");
        return new DemoPerson(
            index, name, female ? "F" : "M", birth, body + IdCheckCharacter(body), phone,
            branch.City, branch.District, faker.PickRandom(Occupations), branch.Code);
    }

    /// <summary>GB 11643 check character of the first 17 characters.</summary>
    public static char IdCheckCharacter(string first17)
    {
        int[] weights = [7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2];
        var sum = 0;
        for (var i = 0; i < 17; i++)
        {
            sum += (first17[i] - '0') * weights[i];
        }
        return "10X98765432"[sum % 11];
    }
}

/// <summary>
/// Effects the demo builds into the core-banking balances, so Insights' uplift estimates can be
/// checked against what was put in (README: "what the demo builds in"). Dates are days before the
/// seed's "today".
/// </summary>
public static class DemoEffects
{
    /// <summary>
    /// A targeted deposit campaign of Acquisition for existing customers of the Shanghai branches, with
    /// a 20 % random holdout (Hosting's CampaignHoldout.IsControl): treated customers' deposits rise
    /// by <see cref="CampaignUplift"/> yuan from its start on; the holdout's do not.
    /// </summary>
    public const string UpliftCampaignCode = "CMP-DEP-2026Q3";
    public const double UpliftCampaignHoldout = 0.2;
    public const int UpliftCampaignStartsDaysAgo = 120;
    public const decimal CampaignUplift = 20_000m;
    public static readonly IReadOnlyList<string> UpliftCampaignBranches = ["SH001", "SH002", "SH003"];

    /// <summary>
    /// A customer's place in their branch's book (0, 1, 2, ...): customers go to the branches in turn, so this
    /// is what "every 10th customer of a branch" counts by. (By the index itself, index % 10 could never hit
    /// half of the branches: 12 branches in turn make a branch's indexes all odd or all even.)
    /// </summary>
    public static int PlaceInBranch(int customerIndex) => (customerIndex - 1) / DemoNetwork.Branches.Count;

    /// <summary>Every 10th customer of each campaign branch (place in the branch % 10 == 3) is in its audience.</summary>
    public static bool InUpliftCampaignAudience(int customerIndex) =>
        PlaceInBranch(customerIndex) % 10 == 3 && UpliftCampaignBranches.Contains(DemoNetwork.CustomerBranch(customerIndex).Code);

    /// <summary>
    /// Lobby events (厅堂活动) with staggered starts: at each branch below, invited customers (every 10th of the
    /// branch: place % 10 == 7) attend on the given day and raise deposits by <see cref="LobbyEventUplift"/>
    /// yuan from then on. Whole weeks before the seed day, so each event opens a week of the dashboard's
    /// weekly outcome (weeks end on the latest balance day, the day before the seed's): no week is part
    /// treated, and the effect per customer of the branch is the same in every week after the start.
    /// </summary>
    public const decimal LobbyEventUplift = 15_000m;
    public static readonly IReadOnlyList<(string BranchCode, int DaysAgo)> LobbyEventStarts =
        [("BJ001", 140), ("BJ002", 112), ("GZ001", 84), ("SZ001", 56), ("HZ001", 28)];

    public static bool InvitedToLobbyEvent(int customerIndex) =>
        PlaceInBranch(customerIndex) % 10 == 7 && LobbyEventStarts.Any(e => e.BranchCode == DemoNetwork.CustomerBranch(customerIndex).Code);

    /// <summary>
    /// What the lobby events build into the dashboard's outcome at a branch: 15,000 for each invited customer,
    /// spread over the branch's customers outside campaign audiences (the outcome's customers), yuan per customer.
    /// </summary>
    public static double LobbyEffectPerCustomer(string branchCode)
    {
        var customers = Enumerable.Range(1, DemoNetwork.CustomerCount)
            .Where(i => DemoNetwork.CustomerBranch(i).Code == branchCode && !InUpliftCampaignAudience(i)).ToList();
        return (double)LobbyEventUplift * customers.Count(InvitedToLobbyEvent) / customers.Count;
    }

    /// <summary>What the seed built in and where the uplift dashboard shows its estimate, for the seed's closing lines.</summary>
    public static IReadOnlyList<string> Describe(DateOnly today)
    {
        var start = today.AddDays(-UpliftCampaignStartsDaysAgo);
        var lobby = LobbyEventStarts.Select(e => (e.BranchCode, Day: today.AddDays(-e.DaysAgo), PerCustomer: LobbyEffectPerCustomer(e.BranchCode))).ToList();
        return
        [
            $"campaign {UpliftCampaignCode}: +{CampaignUplift:N0} yuan for each treated (not held out) audience customer of {string.Join(", ", UpliftCampaignBranches)} from {start:yyyy-MM-dd}; " +
            $"/insights/uplift grouped by campaign, period {start:yyyy-MM-dd}..{today.AddDays(-1):yyyy-MM-dd}, baseline {start.AddDays(-UpliftCampaignStartsDaysAgo):yyyy-MM-dd}..{start.AddDays(-1):yyyy-MM-dd}: " +
            "the treated row's change per customer less the holdout's; the campaign effects table: its difference-in-differences",
            $"lobby events: +{LobbyEventUplift:N0} yuan for each invited customer (every 10th of the branch) from the event day: " +
            string.Join(", ", lobby.Select(l => $"{l.BranchCode} {l.Day:yyyy-MM-dd} {l.PerCustomer:N0}")) +
            $" yuan per customer of the book ({lobby.Average(l => l.PerCustomer):N0} on average; a little less once the recent accounts join); /insights/uplift, lobby-event effect",
        ];
    }
}
