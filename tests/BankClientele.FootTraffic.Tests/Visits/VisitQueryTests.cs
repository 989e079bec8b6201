using System.Net;
using System.Net.Http.Json;
using BankClientele.FootTraffic.Visits;

namespace BankClientele.FootTraffic.Tests.Visits;

public sealed class VisitQueryTests
{
    [Test]
    public async Task Visits_with_a_local_offset_are_stored_as_instants_and_filtered_by_time()
    {
        var branch = TestServers.UniqueBranch();
        using var client = TestSystem.FootTraffic.ClientFor(Tokens.BranchLead(branch));
        var beijing = TimeSpan.FromHours(8);
        var morning = new DateTimeOffset(2026, 11, 20, 9, 30, 0, beijing);
        var nextDay = morning.AddDays(1);
        foreach (var (ticket, at) in new[] { ("A001", morning), ("A002", nextDay) })
        {
            var response = await client.PostAsJsonAsync("/api/visits", new RecordVisit(branch, null, ticket, "存取款", at));
            Assert.That(response.StatusCode, Is.EqualTo(HttpStatusCode.Created), await response.Content.ReadAsStringAsync());
        }

        var dayStart = new DateTimeOffset(2026, 11, 20, 0, 0, 0, beijing);
        var query = $"/api/visits?branchCode={branch}&from={Uri.EscapeDataString(dayStart.ToString("O"))}&to={Uri.EscapeDataString(dayStart.AddDays(1).ToString("O"))}";
        var visits = await ServiceSystem.GetAsync<List<VisitView>>(client, query);

        Assert.That(visits!.Select(v => v.TicketNumber), Is.EqualTo(new[] { "A001" }));
        Assert.That(visits![0].ArrivedAt, Is.EqualTo(morning), "the same instant, whatever offset it is read back in");
    }
}
