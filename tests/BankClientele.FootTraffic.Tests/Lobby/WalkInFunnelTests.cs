using System.Net;
using System.Net.Http.Json;
using BankClientele.FootTraffic.Lobby;
using BankClientele.FootTraffic.Visits;
using BankClientele.Hosting.Time;
using Microsoft.EntityFrameworkCore;

namespace BankClientele.FootTraffic.Tests.Lobby;

/// <summary>
/// The walk-in funnel a lead staffs the door and coaches by: visits, walk-ins identified and accounts opened
/// per hour of the branch day, and per member of staff, over the real services and broker.
/// </summary>
public sealed class WalkInFunnelTests
{
    private const string Consent = "本人同意银行就理财产品与我联系，并为此保存我的姓名与手机号。";

    [Test]
    public async Task Walk_ins_are_counted_by_branch_hour_and_by_the_staff_member_who_identified_them()
    {
        var branch = TestServers.UniqueBranch();
        var lead = Tokens.BranchLead(branch);
        var greeter = Tokens.RelationshipManager($"GR-{branch}", branch);
        using var asLead = TestSystem.FootTraffic.ClientFor(lead);
        using var asGreeter = TestSystem.FootTraffic.ClientFor(greeter);
        var day = BranchClock.System.Today.AddDays(-2);

        // Four visits at 10:00–11:00 Beijing time, one at 15:00.
        foreach (var (ticket, at) in new[] { ("A001", 10.1), ("A002", 10.4), ("A003", 10.8), ("A004", 10.9), ("B001", 15.5) })
        {
            var arrived = BranchClock.StartOfDay(day).AddHours(at);
            var recorded = await asLead.PostAsJsonAsync("/api/visits", new RecordVisit(branch, null, ticket, "deposit", arrived));
            Assert.That(recorded.StatusCode, Is.EqualTo(HttpStatusCode.Created), await recorded.Content.ReadAsStringAsync());
        }

        // The greeter identifies two walk-ins at 10:xx, the lead one at 15:xx. The first had opened an account
        // through Acquisition before the greeter typed in the sign-up sheet (consent two days ago): credited
        // as soon as it is recorded. (Converting after the capture would race the capture's own merge into
        // the prospect in Acquisition; ConversionOrderTests covers both orders.)
        var phones = Enumerable.Range(0, 3).Select(_ => TrafficFixture.UniquePhone()).ToList();
        var prospect = await TestSystem.Services.RecordProspectAsync(lead, branch, "访客", phones[0]);
        var customer = await TestSystem.Services.ConvertAsync(lead, prospect, 50_000m);
        await Poll.UntilAsync(async () =>
        {
            await using var db = TestSystem.FootTraffic.NewDbContext();
            return await db.ProspectConversions.AnyAsync(c => c.ProspectId == prospect) && await db.KnownCustomers.AnyAsync(c => c.CustomerId == customer);
        }, found => found, "FootTraffic to know the conversion and the new customer");
        foreach (var (client, at, phone) in new[] { (asGreeter, 10.2, phones[0]), (asGreeter, 10.5, phones[1]), (asLead, 15.6, phones[2]) })
        {
            var captured = await client.PostAsJsonAsync("/api/walk-ins", new CaptureWalkIn(branch, "访客", phone, "存款", null, true, Consent,
                BranchClock.StartOfDay(day).AddHours(at)));
            Assert.That(captured.StatusCode, Is.EqualTo(HttpStatusCode.Created), await captured.Content.ReadAsStringAsync());
        }
        await using (var db = TestSystem.FootTraffic.NewDbContext())
        {
            Assert.That(await db.WalkIns.CountAsync(w => w.BranchCode == branch && w.ConvertedCustomerId != null), Is.EqualTo(1), "the walk-in's conversion credited");
        }

        var hours = (await ServiceSystem.GetAsync<List<WalkInHour>>(asLead, $"/api/walk-ins/conversion/by-hour?branchCode={branch}"))!;
        var ten = hours.Single(h => h.Hour == 10);
        var three = hours.Single(h => h.Hour == 15);
        Assert.Multiple(() =>
        {
            Assert.That(hours.Select(h => h.Hour), Is.EqualTo(new[] { 10, 15 }));
            Assert.That((ten.Visits, ten.Identified, ten.Converted, ten.InitialDeposits), Is.EqualTo((4, 2, 1, 50_000m)));
            Assert.That(ten.IdentifiedRate, Is.EqualTo(0.5));
            Assert.That(ten.ConversionRate, Is.EqualTo(0.5));
            Assert.That((three.Visits, three.Identified, three.Converted), Is.EqualTo((1, 1, 0)));
        });

        var staff = (await ServiceSystem.GetAsync<List<WalkInStaff>>(asLead, $"/api/walk-ins/conversion/by-staff?branchCode={branch}"))!;
        Assert.Multiple(() =>
        {
            Assert.That(staff.Select(s => s.StaffId), Is.EqualTo(new[] { greeter.StaffId, lead.StaffId }), "the one who converted first");
            Assert.That((staff[0].Identified, staff[0].Converted, staff[0].ConversionRate, staff[0].InitialDeposits), Is.EqualTo((2, 1, 0.5, 50_000m)));
            Assert.That(staff[0].MedianDaysToConvert, Is.GreaterThan(1.5), "identified two days ago, converted now");
            Assert.That((staff[1].Identified, staff[1].Converted, staff[1].MedianDaysToConvert), Is.EqualTo((1, 0, (double?)null)));
        });

        // Another branch's lead is refused, naming the field; a bad period names its parameter.
        using var other = TestSystem.FootTraffic.ClientFor(Tokens.BranchLead(TestServers.UniqueBranch()));
        var refused = await other.GetAsync($"/api/walk-ins/conversion/by-staff?branchCode={branch}");
        Assert.That(refused.StatusCode, Is.EqualTo(HttpStatusCode.Forbidden));
        Assert.That(await refused.Content.ReadAsStringAsync(), Does.Contain("branchCode"));
        var bad = await asLead.GetAsync($"/api/walk-ins/conversion/by-hour?branchCode={branch}&weeks=0");
        Assert.That(bad.StatusCode, Is.EqualTo(HttpStatusCode.BadRequest));
        Assert.That(await bad.Content.ReadAsStringAsync(), Does.Contain("weeks"));
    }
}
