using System.Net;
using System.Net.Http.Json;
using BankClientele.Acquisition.Prospects;
using BankClientele.Contracts.CustomerCare;
using BankClientele.Hosting.Customers;
using BankClientele.Testing;
using Microsoft.AspNetCore.Mvc;
using Microsoft.EntityFrameworkCore;

namespace BankClientele.Acquisition.Tests.Prospects;

public sealed class HandConversionScopeTests
{
    [Test]
    public async Task A_hand_conversion_may_not_claim_a_customer_of_another_branch()
    {
        var (branchA, branchB) = (TestServers.UniqueBranch(), TestServers.UniqueBranch());
        var number = ServiceSystem.NewCustomerNumber();
        var customerId = CustomerIds.FromCustomerNumber(number);
        await TestSystem.Services.PublishAsync(new CustomerRegistered(customerId, number, branchB, null, null, "Mass", DateTimeOffset.UtcNow));
        await Poll.UntilAsync(async () =>
        {
            await using var db = TestSystem.Acquisition.NewDbContext();
            return await db.ExistingCustomers.AnyAsync(c => c.CustomerId == customerId);
        }, found => found, "Acquisition to know branch B's customer");

        var leadA = Tokens.BranchLead(branchA);
        var prospect = await TestSystem.Services.RecordProspectAsync(leadA, branchA);
        using var client = TestSystem.Acquisition.ClientFor(leadA);
        var response = await client.PostAsJsonAsync($"/api/prospects/{prospect}/conversion", new ConvertProspect(number, "6222020200112233", 10_000m));
        Assert.That(response.StatusCode, Is.EqualTo(HttpStatusCode.Forbidden));
        var problem = await response.Content.ReadFromJsonAsync<ProblemDetails>();
        Assert.That(problem!.Extensions["field"]?.ToString(), Is.EqualTo(nameof(ConvertProspect.CustomerNumber)));

        // A customer of the caller's own branch can be claimed.
        var own = ServiceSystem.NewCustomerNumber();
        await TestSystem.Services.PublishAsync(new CustomerRegistered(CustomerIds.FromCustomerNumber(own), own, branchA, null, null, "Mass", DateTimeOffset.UtcNow));
        await Poll.UntilAsync(async () =>
        {
            await using var db = TestSystem.Acquisition.NewDbContext();
            return await db.ExistingCustomers.AnyAsync(c => c.CustomerNumber == own);
        }, found => found, "Acquisition to know branch A's customer");
        Assert.That(await TestSystem.Services.ConvertAsync(leadA, prospect, customerNumber: own), Is.EqualTo(CustomerIds.FromCustomerNumber(own)));
    }
}
