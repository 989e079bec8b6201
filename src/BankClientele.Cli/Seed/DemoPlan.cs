using System.Globalization;
using Bogus;
using BankClientele.Hosting.Time;

namespace BankClientele.Cli.Seed;

public sealed record DemoConversion(string AccountNumber, decimal InitialDeposit)
{
    /// <summary>The core-banking customer number of the hand conversion (outside DemoPeople's 61000xxxxx range).</summary>
    public string CustomerNumber => "69" + AccountNumber[^8..];
}

public sealed record DemoProspect(string BranchCode, string FullName, string Phone, string CampaignCode, DemoConversion? Conversion);

/// <summary>A queue ticket; <see cref="CustomerProspect"/> is the index of the converted prospect who came, or null for a walk-in.</summary>
public sealed record DemoVisit(string BranchCode, string TicketNumber, string ServiceType, DateTimeOffset ArrivedAt, int? CustomerProspect);

public sealed record DemoBranchPlan(DemoBranch Branch, IReadOnlyList<DemoRelationshipManager> RelationshipManagers, IReadOnlyList<DemoProspect> Prospects, IReadOnlyList<DemoVisit> Visits)
{
    public int Conversions => Prospects.Count(p => p.Conversion is not null);
}

public sealed record DemoPlan(DateOnly Day, IReadOnlyList<DemoBranchPlan> Branches);

/// <summary>Makes the demo's prospects, conversions and visits with Bogus (zh_CN) from a fixed seed.</summary>
public static class DemoPlanGenerator
{
    public static DemoPlan Generate(DateOnly day, int seed = DemoNetwork.RandomSeed)
    {
        var faker = new Faker("zh_CN") { Random = new Randomizer(seed) };
        var branches = DemoNetwork.Branches.Select(branch =>
        {
            var prospects = Prospects(faker, branch);
            return new DemoBranchPlan(
                branch,
                DemoNetwork.RelationshipManagers.Where(m => m.BranchCode == branch.Code).ToList(),
                prospects,
                Visits(faker, branch, day, prospects));
        }).ToList();
        return new DemoPlan(day, branches);
    }

    private static List<DemoProspect> Prospects(Faker faker, DemoBranch branch)
    {
        var converted = faker.Random.Shuffle(Enumerable.Range(0, DemoNetwork.ProspectsPerBranch))
            .Take(DemoNetwork.ConversionsPerBranch).ToHashSet();
        return Enumerable.Range(0, DemoNetwork.ProspectsPerBranch).Select(i => new DemoProspect(
            branch.Code,
            // Bogus' FullName puts the given name first; a Chinese name is family name then given name.
            faker.Name.LastName() + faker.Name.FirstName(),
            faker.PickRandom<string>(DemoNetwork.MobilePrefixes) + faker.Random.ReplaceNumbers("#########"),
            faker.PickRandom<string>(DemoNetwork.CampaignCodes),
            converted.Contains(i) ? Conversion(faker) : null)).ToList();
    }

    private static DemoConversion Conversion(Faker faker)
    {
        // An 11 to 19 digit account or card number, not starting with 0.
        var length = faker.Random.Int(11, 19);
        var account = "6" + faker.Random.ReplaceNumbers(new string('#', length - 1));
        // Log-uniform between the bounds: many modest first deposits, a few large ones; whole hundreds.
        var min = Math.Log((double)DemoNetwork.MinInitialDeposit);
        var max = Math.Log((double)DemoNetwork.MaxInitialDeposit);
        var deposit = Math.Round((decimal)Math.Exp(faker.Random.Double(min, max)) / 100m, MidpointRounding.AwayFromZero) * 100m;
        return new DemoConversion(account, Math.Clamp(deposit, DemoNetwork.MinInitialDeposit, DemoNetwork.MaxInitialDeposit));
    }

    /// <summary>
    /// When a planned visit of today is recorded: as planned once that time has passed; else within the part of
    /// the day that has (the plan's order kept, so tickets stay numbered by arrival), or the day before when the
    /// branches have not opened yet. A branch's "today" never shows a visit still to come.
    /// </summary>
    public static DateTimeOffset SoFar(DateTimeOffset plannedAt, DateTimeOffset now)
    {
        if (plannedAt <= now)
        {
            return plannedAt;
        }
        var day = BranchClock.DayOf(plannedAt);
        var (opens, closes) = (BranchClock.At(day, DemoNetwork.Opens), BranchClock.At(day, DemoNetwork.Closes));
        if (now <= opens || plannedAt < opens)
        {
            return plannedAt.AddDays(-1);
        }
        var share = (plannedAt - opens) / (closes - opens);
        return opens + (now - opens) * Math.Clamp(share, 0, 1);
    }

    /// <summary>
    /// Weights as probabilities: Bogus' WeightedRandom walks the cumulative weights against one draw in [0, 1), so
    /// unnormalised weights (3, 5, 4, ...) picked the first item every time (every visit at 09:xx, every ticket an A).
    /// </summary>
    public static float[] Probabilities(IEnumerable<int> weights)
    {
        var list = weights.ToList();
        var total = (float)list.Sum();
        return list.Select(w => w / total).ToArray();
    }

    private static List<DemoVisit> Visits(Faker faker, DemoBranch branch, DateOnly day, List<DemoProspect> prospects)
    {
        var convertedIndexes = prospects.Select((p, i) => (p, i)).Where(x => x.p.Conversion is not null).Select(x => x.i).ToList();
        var hours = Enumerable.Range(DemoNetwork.Opens.Hour, DemoNetwork.Closes.Hour - DemoNetwork.Opens.Hour).ToArray();
        var hourWeights = Probabilities(DemoNetwork.HourlyWeights.Take(hours.Length));
        var types = DemoNetwork.ServiceTypes.ToArray();
        var typeWeights = Probabilities(types.Select(t => t.Weight));
        var byCustomer = convertedIndexes.Count == 0
            ? []
            : faker.Random.Shuffle(Enumerable.Range(0, DemoNetwork.VisitsPerBranch)).Take(DemoNetwork.CustomerVisitsPerBranch).ToHashSet();

        var offset = BranchClock.Zone.GetUtcOffset(day.ToDateTime(new TimeOnly(12, 0)));
        var drafts = Enumerable.Range(0, DemoNetwork.VisitsPerBranch).Select(i =>
        {
            var hour = faker.Random.WeightedRandom(hours, hourWeights);
            var local = day.ToDateTime(new TimeOnly(hour, faker.Random.Int(0, 59), faker.Random.Int(0, 59)));
            var type = faker.Random.WeightedRandom(types, typeWeights);
            int? customer = byCustomer.Contains(i) ? faker.PickRandom<int>(convertedIndexes) : null;
            return (ArrivedAt: new DateTimeOffset(local, offset), Type: type, Customer: customer);
        }).OrderBy(v => v.ArrivedAt).ToList();

        // Tickets are numbered per queue (letter) in order of arrival, as a branch's ticket machine does.
        var next = types.ToDictionary(t => t.TicketPrefix, _ => 1);
        return drafts.Select(v => new DemoVisit(
            branch.Code,
            string.Create(CultureInfo.InvariantCulture, $"{v.Type.TicketPrefix}{next[v.Type.TicketPrefix]++:000}"),
            v.Type.Name,
            v.ArrivedAt,
            v.Customer)).ToList();
    }
}
