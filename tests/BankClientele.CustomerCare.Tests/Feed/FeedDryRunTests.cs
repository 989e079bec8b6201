using System.Net;
using System.Net.Http.Json;
using BankClientele.Hosting.Auth;
using BankClientele.CustomerCare.Feed;
using Microsoft.AspNetCore.Mvc;

namespace BankClientele.CustomerCare.Tests.Feed;

/// <summary>
/// <c>?dryRun=true</c> (the portal's preview): the whole import runs and is rolled back, and a branch
/// lead may import customers into their own branch only.
/// </summary>
public sealed class FeedDryRunTests
{
    private static async Task<HttpResponseMessage> PostAsync(string csv, StaffIdentity staff, bool dryRun, string feed = "customers")
    {
        using var client = TestSystem.CustomerCare.ClientFor(staff);
        using var content = new StringContent(csv, System.Text.Encoding.UTF8, "text/csv");
        return await client.PostAsync($"/api/feed/{feed}{(dryRun ? "?dryRun=true" : "")}", content);
    }

    private static int CustomersOf(string branch)
    {
        using var db = TestSystem.CustomerCare.NewDbContext();
        return db.Customers.Count(c => c.BranchCode == branch);
    }

    [Test]
    public async Task A_dry_run_answers_what_the_import_would_do_with_the_first_rows_masked_and_applies_nothing()
    {
        var files = new FeedFiles(TestServers.UniqueBranch());
        using var response = await PostAsync(files.Customers(1, 2, 3), Tokens.BranchLead(files.Branch), dryRun: true);
        Assert.That(response.StatusCode, Is.EqualTo(HttpStatusCode.OK), await response.Content.ReadAsStringAsync());
        var preview = (await response.Content.ReadFromJsonAsync<FeedImportResult>())!;
        Assert.Multiple(() =>
        {
            Assert.That(preview.DryRun, Is.True);
            Assert.That((preview.Rows, preview.Inserted, preview.Updated, preview.Events), Is.EqualTo((3, 3, 0, 3)), "what applying would do");
            Assert.That(preview.Preview!.Select(r => r.Line), Is.EqualTo(new[] { 2, 3, 4 }));
            var first = preview.Preview![0].Fields;
            Assert.That(first["customer_number"], Is.EqualTo(files.Number(1)));
            Assert.That(first["full_name"], Is.EqualTo("王**"), "masked");
            Assert.That(first["phone"], Is.EqualTo(files.Phone(1)[..3] + "****" + files.Phone(1)[^4..]));
            Assert.That(first["branch_code"], Is.EqualTo(files.Branch));
        });
        Assert.That(CustomersOf(files.Branch), Is.Zero, "nothing applied");
        Assert.That(await FeedFiles.OutboxCountAsync("CustomerRegistered", $"body->>'branchCode' = '{files.Branch}'"), Is.Zero, "no event left behind");

        // Applying the same file then does what the preview said.
        using var applied = await PostAsync(files.Customers(1, 2, 3), Tokens.BranchLead(files.Branch), dryRun: false);
        var result = (await applied.Content.ReadFromJsonAsync<FeedImportResult>())!;
        Assert.That((result.DryRun, result.Inserted, result.Events, result.Preview), Is.EqualTo((false, 3, 3, (IReadOnlyList<BankClientele.Hosting.Imports.PreviewRow>?)null)));
        Assert.That(CustomersOf(files.Branch), Is.EqualTo(3));
    }

    [Test]
    public async Task A_dry_run_of_a_bad_file_names_the_line_and_field_like_the_import()
    {
        var files = new FeedFiles(TestServers.UniqueBranch());
        var csv = FeedFiles.File(FeedFiles.CustomersHeader, [files.CustomerLine(1), files.CustomerLine(2, phone: "12"), files.CustomerLine(3)]);
        using var response = await PostAsync(csv, Tokens.HeadOffice, dryRun: true);
        Assert.That(response.StatusCode, Is.EqualTo(HttpStatusCode.BadRequest));
        var problem = (await response.Content.ReadFromJsonAsync<ValidationProblemDetails>())!;
        Assert.That(problem.Errors.Keys, Is.EquivalentTo(new[] { "line 3: phone" }));
        Assert.That(CustomersOf(files.Branch), Is.Zero);
    }

    [Test]
    public async Task A_branch_lead_imports_customers_into_their_own_branch_only()
    {
        var files = new FeedFiles(TestServers.UniqueBranch());
        var other = new FeedFiles(TestServers.UniqueBranch());
        var lead = Tokens.BranchLead(files.Branch);

        // A row of another branch: refused by line and field, even in a dry run, and nothing applied.
        var mixed = FeedFiles.File(FeedFiles.CustomersHeader, [files.CustomerLine(1), other.CustomerLine(1)]);
        foreach (var dryRun in new[] { true, false })
        {
            using var response = await PostAsync(mixed, lead, dryRun);
            Assert.That(response.StatusCode, Is.EqualTo(HttpStatusCode.BadRequest), $"dry run {dryRun}");
            var problem = (await response.Content.ReadFromJsonAsync<ValidationProblemDetails>())!;
            Assert.That(problem.Errors.Keys, Is.EquivalentTo(new[] { "line 3: branch_code" }));
        }
        Assert.That(CustomersOf(files.Branch) + CustomersOf(other.Branch), Is.Zero);

        // Another branch's existing customer cannot be moved into the lead's branch.
        await TestSystem.Services.ImportFeedAsync("customers", other.Customers(1));
        var moved = FeedFiles.File(FeedFiles.CustomersHeader, [files.CustomerLine(1), other.CustomerLine(1).Replace($",{other.Branch},", $",{files.Branch},", StringComparison.Ordinal)]);
        using (var response = await PostAsync(moved, lead, dryRun: false))
        {
            Assert.That(response.StatusCode, Is.EqualTo(HttpStatusCode.BadRequest));
            var problem = (await response.Content.ReadFromJsonAsync<ValidationProblemDetails>())!;
            Assert.That(problem.Errors["line 3: customer_number"], Has.Some.Contains(other.Branch));
        }
        Assert.That(CustomersOf(files.Branch), Is.Zero);
        Assert.That(CustomersOf(other.Branch), Is.EqualTo(1), "still in its own branch");

        // The core-banking holdings and balances stay with administrators and head office.
        using (var holdings = await PostAsync(FeedFiles.File(FeedFiles.HoldingsHeader, []), lead, dryRun: true, feed: "holdings"))
        {
            Assert.That(holdings.StatusCode, Is.EqualTo(HttpStatusCode.Forbidden));
        }
        // A relationship manager may not import customers at all.
        using (var manager = await PostAsync(files.Customers(1), Tokens.RelationshipManager("RM-X", files.Branch), dryRun: true))
        {
            Assert.That(manager.StatusCode, Is.EqualTo(HttpStatusCode.Forbidden));
        }
    }
}
