using System.Net;
using System.Net.Http.Json;
using BankClientele.CustomerCare.Assignment;
using BankClientele.CustomerCare.Book;
using Microsoft.EntityFrameworkCore;

namespace BankClientele.CustomerCare.Tests.Assignment;

/// <summary>The branch lead picks customers by name and sees a reassignment's effect on every manager's load before making it.</summary>
public sealed class AssignmentByNameTests
{
    [Test]
    public async Task Customers_are_found_by_name_within_the_branch_with_the_name_masked()
    {
        var branch = TestServers.UniqueBranch();
        await TestSystem.Services.AddRelationshipManagerAsync($"{branch}-RM", branch, name: "周经理");
        var (wanted, _) = await AddCustomerAsync(branch, "司马相如", CustomerTiers.Wealth, $"{branch}-RM");
        await AddCustomerAsync(branch, "王小明", CustomerTiers.Wealth, null);
        await AddCustomerAsync(TestServers.UniqueBranch(), "司马光", CustomerTiers.Wealth, null);
        using var lead = TestSystem.CustomerCare.ClientFor(Tokens.BranchLead(branch));

        var found = (await lead.GetFromJsonAsync<List<CustomerPick>>($"/api/assignment/customers?branchCode={branch}&name={Uri.EscapeDataString("司马")}"))!;
        Assert.That(found.Single(), Has.Property(nameof(CustomerPick.Id)).EqualTo(wanted)
            .And.Property(nameof(CustomerPick.RelationshipManagerName)).EqualTo("周经理"), "the other branch's 司马 is not found");
        Assert.That(found.Single().NameMasked, Does.Not.Contain("相如"), "the name comes back masked");

        var empty = await lead.GetAsync($"/api/assignment/customers?branchCode={branch}&name=");
        Assert.That(empty.StatusCode, Is.EqualTo(HttpStatusCode.BadRequest));
        Assert.That(await empty.Content.ReadAsStringAsync(), Does.Contain("name"));
        var elsewhere = await lead.GetAsync($"/api/assignment/customers?branchCode={TestServers.UniqueBranch()}&name={Uri.EscapeDataString("司马")}");
        Assert.That(elsewhere.StatusCode, Is.EqualTo(HttpStatusCode.Forbidden));
    }

    [Test]
    public async Task The_what_if_shows_each_managers_load_before_and_after_and_changes_nothing()
    {
        var branch = TestServers.UniqueBranch();
        await TestSystem.Services.AddRelationshipManagerAsync($"{branch}-FROM", branch, capacity: 20, name: "甲经理");
        await TestSystem.Services.AddRelationshipManagerAsync($"{branch}-TO", branch, capacity: 20, name: "乙经理");
        await TestSystem.Services.AddRelationshipManagerAsync($"{branch}-FULL", branch, capacity: 2, name: "丙经理");
        var (moving, _) = await AddCustomerAsync(branch, "赵一", CustomerTiers.Wealth, $"{branch}-FROM"); // weight 2
        await AddCustomerAsync(branch, "钱二", CustomerTiers.Wealth, $"{branch}-FROM");
        await AddCustomerAsync(branch, "孙三", CustomerTiers.Wealth, $"{branch}-FULL");
        using var lead = TestSystem.CustomerCare.ClientFor(Tokens.BranchLead(branch));

        var whatIf = (await lead.GetFromJsonAsync<ReassignmentWhatIf>($"/api/customers/{moving}/reassignment/what-if?relationshipManagerId={branch}-TO"))!;
        Assert.That(whatIf.Allowed, Is.True);
        Assert.That(whatIf.Managers.Select(m => (m.StaffId, m.LoadBefore, m.LoadAfter)), Is.EquivalentTo(new[]
        {
            ($"{branch}-FROM", 4, 2), ($"{branch}-TO", 0, 2), ($"{branch}-FULL", 2, 2),
        }));
        await using (var db = TestSystem.CustomerCare.NewDbContext())
        {
            Assert.That(await db.Customers.Where(c => c.Id == moving).Select(c => c.RelationshipManagerId).SingleAsync(), Is.EqualTo($"{branch}-FROM"), "a what-if moves no one");
        }

        var full = (await lead.GetFromJsonAsync<ReassignmentWhatIf>($"/api/customers/{moving}/reassignment/what-if?relationshipManagerId={branch}-FULL"))!;
        Assert.That(full.Allowed, Is.False);
        Assert.That(full.Refusal, Does.Contain("carries 2 of 2"));
        Assert.That(full.Managers, Is.All.Matches<ManagerLoad>(m => m.LoadAfter == m.LoadBefore), "a refused move changes no load");

        var unknown = await lead.GetAsync($"/api/customers/{moving}/reassignment/what-if?relationshipManagerId=NOBODY");
        Assert.That(unknown.StatusCode, Is.EqualTo(HttpStatusCode.BadRequest));
        Assert.That(await unknown.Content.ReadAsStringAsync(), Does.Contain("relationshipManagerId"));
        using var stranger = TestSystem.CustomerCare.ClientFor(Tokens.BranchLead(TestServers.UniqueBranch()));
        Assert.That((await stranger.GetAsync($"/api/customers/{moving}/reassignment/what-if?relationshipManagerId={branch}-TO")).StatusCode,
            Is.EqualTo(HttpStatusCode.NotFound));
    }

    private static async Task<(Guid Id, string Number)> AddCustomerAsync(string branch, string name, string tier, string? manager)
    {
        // The core-banking feed fills the book in production; here the row goes straight in.
        await using var db = TestSystem.CustomerCare.NewDbContext();
        var id = Guid.NewGuid();
        var number = $"T{id:N}"[..20];
        db.Customers.Add(new Customer
        {
            Id = id, CustomerNumber = number, FullName = name, Phone = "13800001111", BranchCode = branch, AccountNumber = "6222000011112222",
            Tier = tier, AverageAssets = 1_000_000m, RelationshipManagerId = manager, JoinedAt = DateTimeOffset.UtcNow,
        });
        await db.SaveChangesAsync();
        return (id, number);
    }
}
