using System.Diagnostics;
using System.Globalization;
using BankClientele.Cli.Seed;
using BankClientele.Hosting.Customers;
using Bogus;

namespace BankClientele.Cli.Tests;

public sealed class CoreBankingDemoTests
{
    [Test]
    public void A_reused_faker_gives_the_same_people_as_a_fresh_one_and_faster()
    {
        var clock = Stopwatch.StartNew();
        var people = Enumerable.Range(1, 2_000).Select(DemoPeople.Person).ToList();
        var reused = clock.Elapsed;
        clock.Restart();
        var reference = Enumerable.Range(1, 2_000).Select(Reference).ToList();
        var fresh = clock.Elapsed;
        Assert.That(people, Is.EqualTo(reference));
        TestContext.Out.WriteLine($"2,000 people: {reused.TotalMilliseconds:0} ms reused, {fresh.TotalMilliseconds:0} ms with a new Faker each");
    }

    [Test]
    public async Task The_demo_files_are_deterministic_populate_every_tier_and_build_in_the_campaign_uplift()
    {
        var today = new DateOnly(2026, 11, 23);
        var first = Directory.CreateTempSubdirectory("care1-demo-a-");
        var second = Directory.CreateTempSubdirectory("care1-demo-b-");
        try
        {
            var files = await new CoreBankingDemo(new TestCli().Context, today).WriteFilesAsync(first.FullName, 1, 3_000, recent: false, CancellationToken.None);
            var again = await new CoreBankingDemo(new TestCli().Context, today).WriteFilesAsync(second.FullName, 1, 3_000, recent: false, CancellationToken.None);
            foreach (var (a, b) in files.Zip(again))
            {
                Assert.That(File.ReadAllBytes(b.Path), Is.EqualTo(File.ReadAllBytes(a.Path)), a.Feed);
            }

            var balances = File.ReadLines(files[2].Path).Skip(1).Select(l => l.Split(',')).ToList();
            Assert.That(balances.All(b => DateOnly.Parse(b[1], CultureInfo.InvariantCulture) < today), "no balance of today or later");
            var latest = balances.GroupBy(b => b[0]).ToDictionary(g => g.Key, g => g.Max(b => decimal.Parse(b[2], CultureInfo.InvariantCulture) + decimal.Parse(b[3], CultureInfo.InvariantCulture)));
            Assert.That(latest.Values.Count(v => v >= 500_000m), Is.GreaterThan(50), "wealth and above");
            Assert.That(latest.Values.Count(v => v < 50_000m), Is.GreaterThan(1_000), "mass");

            // A treated customer of the uplift campaign has 20,000 more from its start; a control customer does not.
            var audience = Enumerable.Range(1, 3_000).Where(DemoEffects.InUpliftCampaignAudience).ToList();
            var treated = audience.First(i => !CampaignHoldout.IsControl(DemoEffects.UpliftCampaignCode, CustomerIds.FromCustomerNumber(DemoNetwork.CustomerNumber(i)), DemoEffects.UpliftCampaignHoldout));
            var start = today.AddDays(-DemoEffects.UpliftCampaignStartsDaysAgo);
            var rows = balances.Where(b => b[0] == DemoNetwork.CustomerNumber(treated)).ToDictionary(b => DateOnly.Parse(b[1], CultureInfo.InvariantCulture), b => decimal.Parse(b[2], CultureInfo.InvariantCulture));
            var before = rows.Where(r => r.Key < start).OrderBy(r => r.Key).Last().Value;
            var after = rows.Where(r => r.Key >= start).OrderBy(r => r.Key).First().Value;
            Assert.That(after - before, Is.GreaterThan(15_000m), "the uplift shows in the deposits");
        }
        finally
        {
            first.Delete(true);
            second.Delete(true);
        }
    }

    /// <summary>DemoPeople.Person as it was written first: a new Faker per person.</summary>
    private static DemoPerson Reference(int index)
    {
        var faker = new Faker("zh_CN") { Random = new Randomizer(DemoNetwork.RandomSeed ^ (index * 7919)) };
        var branch = DemoNetwork.CustomerBranch(index);
        var female = faker.Random.Bool();
        var birth = new DateOnly(1950, 1, 1).AddDays(faker.Random.Int(0, 365 * 53));
        var name = faker.Name.LastName() + faker.Name.FirstName(female ? Bogus.DataSets.Name.Gender.Female : Bogus.DataSets.Name.Gender.Male);
        var body = string.Create(CultureInfo.InvariantCulture,
            $"{faker.Random.Int(110000, 659000)}{birth:yyyyMMdd}{faker.Random.Int(10, 99)}{(female ? faker.Random.Even(0, 8) : faker.Random.Odd(1, 9))}");
        var phone = faker.PickRandom<string>(DemoNetwork.MobilePrefixes) + faker.Random.ReplaceNumbers("#########");
        string[] occupations = ["企业职员", "公务员", "教师", "医生", "个体工商户", "企业主", "IT工程师", "退休人员", "自由职业", "销售", "律师", "学生"];
        return new DemoPerson(index, name, female ? "F" : "M", birth, body + DemoPeople.IdCheckCharacter(body), phone,
            branch.City, branch.District, faker.PickRandom(occupations), branch.Code);
    }
}
