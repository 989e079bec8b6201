using System.Net;
using System.Net.Http.Json;
using BankClientele.CustomerCare.Book;
using BankClientele.FootTraffic.Visits;
using BankClientele.Insights.BranchStats;

namespace BankClientele.Hosting.Tests.Flow;

/// <summary>The first flow across all four services, over the real RabbitMQ.</summary>
public sealed class ConversionFlowTests
{
    [Test]
    public async Task A_converted_prospect_gets_a_manager_is_seen_visiting_and_is_counted_by_insights()
    {
        var branch = TestServers.UniqueBranch();
        await TestSystem.Services.AddRelationshipManagerAsync($"{branch}-RM1", branch, capacity: 1);
        await TestSystem.Services.AddRelationshipManagerAsync($"{branch}-RM2", branch, capacity: 5);
        var lead = Tokens.BranchLead(branch);

        // Acquisition: a prospect, then its conversion (publishes ProspectConvertedV2).
        var prospectId = await TestSystem.Services.RecordProspectAsync(lead, branch, "李四", "13800005678");
        var number = ServiceSystem.NewCustomerNumber();
        var customerId = await TestSystem.Services.ConvertAsync(lead, prospectId, 120_000m, number);

        // CustomerCare: the customer enters the book with the manager who has most room; the event
        // carries no name or phone, so the book has none until the core-banking feed brings them.
        using var care = TestSystem.CustomerCare.ClientFor(lead);
        var converted = await Poll.UntilAsync(
            () => ServiceSystem.GetAsync<CustomerView>(care, $"/api/customers/{customerId}"),
            c => c?.RelationshipManagerId is not null, "the customer to be assigned a manager");
        Assert.That((converted!.FullName, converted.PhoneMasked), Is.EqualTo(("", "")), "nothing personal came with the event");
        await TestSystem.Services.ImportFeedAsync("customers", $"customer_number,full_name,phone,branch_code\n{number},李四,13800005678,{branch}\n");
        var customer = await ServiceSystem.GetAsync<CustomerView>(care, $"/api/customers/{customerId}");
        Assert.Multiple(() =>
        {
            Assert.That(customer!.RelationshipManagerId, Is.EqualTo($"{branch}-RM2"));
            Assert.That(customer.BranchCode, Is.EqualTo(branch));
            Assert.That(customer.FullName, Is.EqualTo("李*"), "names are masked on display");
            Assert.That(customer.PhoneMasked, Is.EqualTo("138****5678"));
        });

        // FootTraffic: the customer checks in at the branch (publishes BranchVisitRecorded).
        using var traffic = TestSystem.FootTraffic.ClientFor(lead);
        var visit = await traffic.PostAsJsonAsync("/api/visits", new RecordVisit(branch, customerId, "A001", "理财咨询", null));
        Assert.That(visit.StatusCode, Is.EqualTo(HttpStatusCode.Created));
        var visits = await ServiceSystem.GetAsync<List<VisitView>>(traffic, $"/api/visits?branchCode={branch}");
        Assert.That(visits!.Single().CustomerId, Is.EqualTo(customerId));

        // Insights: counts built from the three events alone.
        using var insights = TestSystem.Insights.ClientFor(lead);
        var stats = await Poll.UntilAsync(
            async () => (await ServiceSystem.GetAsync<List<BranchStatisticsView>>(insights, "/api/branch-stats"))!.SingleOrDefault(s => s.BranchCode == branch),
            s => s is { Customers: 1, Assignments: 1, Visits: 1 }, "insights to count the customer, assignment and visit");
        Assert.That(stats, Is.Not.Null);
    }

    [Test]
    public async Task Converting_twice_is_refused_and_publishes_once()
    {
        var branch = TestServers.UniqueBranch();
        var lead = Tokens.BranchLead(branch);
        var prospectId = await TestSystem.Services.RecordProspectAsync(lead, branch);
        await TestSystem.Services.ConvertAsync(lead, prospectId);

        using var client = TestSystem.Acquisition.ClientFor(lead);
        var again = await client.PostAsJsonAsync($"/api/prospects/{prospectId}/conversion", new { customerNumber = ServiceSystem.NewCustomerNumber(), accountNumber = "62220202001122", initialDeposit = 1m });
        Assert.That(again.StatusCode, Is.EqualTo(HttpStatusCode.Conflict));

        var events = await TestDatabases.ScalarAsync<long>(TestSystem.Acquisition.Database,
            $"SELECT count(*) FROM outbox_messages WHERE body->>'prospectId' = '{prospectId}'");
        Assert.That(events, Is.EqualTo(1));
    }

    [Test]
    public async Task Bad_input_gets_problem_details_naming_the_field()
    {
        using var client = TestSystem.Acquisition.ClientFor(Tokens.HeadOffice);
        var response = await client.PostAsJsonAsync("/api/prospects", new { fullName = "王五", phone = "not-a-phone", branchCode = "SH001" });
        Assert.That(response.StatusCode, Is.EqualTo(HttpStatusCode.BadRequest));
        Assert.That(response.Content.Headers.ContentType?.MediaType, Is.EqualTo("application/problem+json"));
        var problem = await response.Content.ReadFromJsonAsync<Microsoft.AspNetCore.Mvc.ValidationProblemDetails>();
        Assert.That(problem!.Errors.Keys, Has.Some.EqualTo("Phone").IgnoreCase);
    }
}
