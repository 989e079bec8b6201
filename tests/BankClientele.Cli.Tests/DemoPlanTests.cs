using System.ComponentModel.DataAnnotations;
using BankClientele.Acquisition.Prospects;
using BankClientele.Cli.Seed;
using BankClientele.CustomerCare.Managers;
using BankClientele.FootTraffic.Visits;
using BankClientele.Hosting.Auth;

namespace BankClientele.Cli.Tests;

public sealed class DemoPlanTests
{
    private static readonly DateOnly Day = new(2026, 11, 23);

    [Test]
    public void The_plan_is_the_same_on_every_run()
    {
        var first = DemoNetwork.Plan(Day);
        var second = DemoNetwork.Plan(Day);

        Assert.That(Flatten(second), Is.EqualTo(Flatten(first)));
    }

    [Test]
    public void Todays_visits_spread_over_the_opening_hours_and_the_services_as_weighted()
    {
        var visits = DemoNetwork.Plan(Day).Branches.SelectMany(b => b.Visits).ToList();
        var hours = visits.GroupBy(v => BankClientele.Hosting.Time.BranchClock.HourOf(v.ArrivedAt)).ToDictionary(g => g.Key, g => g.Count());
        var services = visits.GroupBy(v => v.ServiceType).ToDictionary(g => g.Key, g => g.Count());
        Assert.Multiple(() =>
        {
            Assert.That(hours.Keys, Is.All.InRange(DemoNetwork.Opens.Hour, DemoNetwork.Closes.Hour - 1));
            Assert.That(hours, Has.Count.GreaterThanOrEqualTo(6), "visits across the day, not all in its first hour");
            Assert.That(hours.Values.Max(), Is.LessThan(visits.Count / 3), "no hour holds a third of the day");
            Assert.That(services, Has.Count.GreaterThanOrEqualTo(3), "more than one kind of service");
            Assert.That(DemoPlanGenerator.Probabilities([3, 5, 2]), Is.EqualTo(new[] { 0.3f, 0.5f, 0.2f }).Within(1e-6f));
        });
    }

    [Test]
    public void A_visit_planned_later_today_is_recorded_within_the_part_of_the_day_that_has_passed()
    {
        static DateTimeOffset At(int hour, int minute) => BankClientele.Hosting.Time.BranchClock.At(Day, new TimeOnly(hour, minute));
        Assert.Multiple(() =>
        {
            Assert.That(DemoPlanGenerator.SoFar(At(15, 0), At(21, 10)), Is.EqualTo(At(15, 0)), "after closing: as planned");
            Assert.That(DemoPlanGenerator.SoFar(At(9, 30), At(13, 0)), Is.EqualTo(At(9, 30)), "already passed: as planned");
            Assert.That(DemoPlanGenerator.SoFar(At(13, 0), At(13, 0)), Is.EqualTo(At(13, 0)));
            // Mid-day the rest of the day is squeezed into the hours gone: at 11:00, 13:00 (half the day) maps to 10:00;
            // at 13:00, 16:59 maps just before 13:00. Order kept, none later than now.
            Assert.That(DemoPlanGenerator.SoFar(At(13, 0), At(11, 0)), Is.EqualTo(At(10, 0)));
            Assert.That(DemoPlanGenerator.SoFar(At(16, 59), At(13, 0)), Is.InRange(At(12, 59), At(13, 0)));
            Assert.That(DemoPlanGenerator.SoFar(At(10, 0), At(7, 30)), Is.EqualTo(At(10, 0).AddDays(-1)), "before opening: the day before");
        });
    }

    [Test]
    public void Each_branch_has_its_prospects_conversions_and_visits()
    {
        var plan = DemoNetwork.Plan(Day);

        Assert.That(plan.Branches.Select(b => b.Branch.Code), Is.EqualTo(DemoNetwork.Branches.Select(b => b.Code)));
        Assert.That(plan.Branches, Has.Count.GreaterThanOrEqualTo(10), "the demo network has at least ten branches");
        foreach (var branch in plan.Branches)
        {
            Assert.Multiple(() =>
            {
                Assert.That(branch.RelationshipManagers, Has.Count.EqualTo(4));
                Assert.That(branch.RelationshipManagers.Select(m => m.StaffId),
                    Is.EqualTo(Enumerable.Range(1, 4).Select(i => $"RM-{branch.Branch.Code}-{i:00}")));
                Assert.That(branch.Prospects, Has.Count.EqualTo(DemoNetwork.ProspectsPerBranch));
                Assert.That(branch.Conversions, Is.EqualTo(DemoNetwork.ConversionsPerBranch));
                Assert.That(branch.Visits, Has.Count.EqualTo(DemoNetwork.VisitsPerBranch));
                Assert.That(branch.Visits.Count(v => v.CustomerProspect is not null), Is.EqualTo(DemoNetwork.CustomerVisitsPerBranch));
                Assert.That(branch.Prospects.Concat<object>(branch.Visits).All(x => x switch
                {
                    DemoProspect p => p.BranchCode == branch.Branch.Code,
                    DemoVisit v => v.BranchCode == branch.Branch.Code,
                    _ => false,
                }));
            });
        }
    }

    [Test]
    public void Prospects_look_real()
    {
        var prospects = DemoNetwork.Plan(Day).Branches.SelectMany(b => b.Prospects).ToList();

        Assert.Multiple(() =>
        {
            Assert.That(prospects.Select(p => p.FullName), Has.All.Match(@"^\p{IsCJKUnifiedIdeographs}{2,4}$"));
            Assert.That(prospects.Select(p => p.Phone), Has.All.Match("^1[358][0-9]{9}$"));
            Assert.That(prospects.Select(p => p.CampaignCode).Distinct(), Is.SubsetOf(DemoNetwork.CampaignCodes));
            Assert.That(prospects.Select(p => p.FullName).Distinct().Count(), Is.GreaterThan(prospects.Count - 3), "names mostly distinct");
        });
        foreach (var conversion in prospects.Select(p => p.Conversion).OfType<DemoConversion>())
        {
            Assert.That(conversion.AccountNumber, Does.Match("^6[0-9]{10,18}$"));
            Assert.That(conversion.InitialDeposit, Is.InRange(DemoNetwork.MinInitialDeposit, DemoNetwork.MaxInitialDeposit));
            Assert.That(conversion.InitialDeposit % 100m, Is.Zero);
        }
    }

    [Test]
    public void Visits_arrive_in_opening_hours_with_tickets_numbered_per_queue()
    {
        foreach (var branch in DemoNetwork.Plan(Day).Branches)
        {
            var converted = branch.Prospects.Select((p, i) => (p, i)).Where(x => x.p.Conversion is not null).Select(x => x.i).ToList();
            foreach (var visit in branch.Visits)
            {
                var local = visit.ArrivedAt.ToOffset(TimeSpan.FromHours(8));
                Assert.That(DateOnly.FromDateTime(local.DateTime), Is.EqualTo(Day));
                Assert.That(TimeOnly.FromDateTime(local.DateTime), Is.InRange(DemoNetwork.Opens, DemoNetwork.Closes));
                Assert.That(DemoNetwork.ServiceTypes.Select(t => t.Name), Does.Contain(visit.ServiceType));
                Assert.That(visit.TicketNumber, Does.Match("^[A-D][0-9]{3}$"));
                Assert.That(visit.TicketNumber[0], Is.EqualTo(DemoNetwork.ServiceTypes.Single(t => t.Name == visit.ServiceType).TicketPrefix));
                if (visit.CustomerProspect is { } p)
                {
                    Assert.That(converted, Does.Contain(p), "a customer visit is by a converted prospect");
                }
            }
            Assert.That(branch.Visits.Select(v => v.TicketNumber), Is.Unique);
            Assert.That(branch.Visits.Select(v => v.ArrivedAt), Is.Ordered);
        }
    }

    [Test]
    public void Every_request_passes_the_services_own_validation()
    {
        var plan = DemoNetwork.Plan(Day);
        var requests = new List<object>();
        requests.AddRange(DemoNetwork.RelationshipManagers.Select(m => new SaveRelationshipManager(m.StaffId, m.Name, m.BranchCode, m.Capacity)));
        foreach (var branch in plan.Branches)
        {
            requests.AddRange(branch.Prospects.Select(p => new RecordProspect(p.FullName, p.Phone, p.BranchCode, p.CampaignCode)));
            requests.AddRange(branch.Prospects.Select(p => p.Conversion).OfType<DemoConversion>().Select(c => new ConvertProspect(c.CustomerNumber, c.AccountNumber, c.InitialDeposit)));
            requests.AddRange(branch.Visits.Select(v => new RecordVisit(v.BranchCode, null, v.TicketNumber, v.ServiceType, v.ArrivedAt)));
        }
        foreach (var request in requests)
        {
            var errors = new List<ValidationResult>();
            Assert.That(Validator.TryValidateObject(request, new ValidationContext(request), errors, validateAllProperties: true), Is.True,
                $"{request}: {string.Join("; ", errors.Select(e => e.ErrorMessage))}");
        }
    }

    [Test]
    public void The_sign_ins_are_the_documented_ones()
    {
        Assert.That(DemoNetwork.SignIns.Select(s => (s.UserName, s.Role, s.StaffId, s.BranchCode)), Is.EqualTo(new[]
        {
            ("rm.li", StaffRoles.RelationshipManager, "RM-SH001-01", (string?)"SH001"),
            ("lead.wang", StaffRoles.BranchLead, "BL-SH001", "SH001"),
            ("hq.zhao", StaffRoles.HeadOffice, "HQ-001", null),
            ("region.sun", StaffRoles.RegionHead, "RH-EAST", null),
            ("admin", StaffRoles.Administrator, "ADM-001", null),
        }));
        Assert.That(DemoNetwork.Password, Is.EqualTo("Demo@2026!"));
    }

    [Test]
    public void The_regions_cover_every_demo_branch_once_and_the_region_head_has_one()
    {
        var regionBranches = DemoNetwork.Regions.SelectMany(r => r.BranchCodes).ToList();
        Assert.That(regionBranches, Is.Unique);
        Assert.That(regionBranches, Is.EquivalentTo(DemoNetwork.Branches.Select(b => b.Code)));
        var head = DemoNetwork.SignIns.Single(s => s.Role == StaffRoles.RegionHead);
        Assert.That(DemoNetwork.Regions.Select(r => r.Code), Does.Contain(head.RegionCode));
    }

    private static List<string> Flatten(DemoPlan plan) =>
        plan.Branches.SelectMany(b => b.Prospects.Select(p => p.ToString()).Concat(b.Visits.Select(v => v.ToString()))).ToList();
}
