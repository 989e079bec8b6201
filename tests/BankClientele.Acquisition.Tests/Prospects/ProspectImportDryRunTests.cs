using System.Net;
using System.Net.Http.Json;
using BankClientele.Hosting.Auth;
using System.Text.Json;
using BankClientele.Acquisition.Import;
using Microsoft.EntityFrameworkCore;

namespace BankClientele.Acquisition.Tests.Prospects;

/// <summary><c>POST /api/prospects/import?dryRun=true</c>: the same import, rolled back, with the first rows as read.</summary>
public sealed class ProspectImportDryRunTests
{
    private static string Phone() => $"139{Random.Shared.Next(10_000_000, 99_999_999)}";

    private static async Task<HttpResponseMessage> PostAsync(StaffIdentity staff, string csv, bool dryRun)
    {
        using var client = TestSystem.Acquisition.ClientFor(staff);
        using var content = new StringContent(csv, System.Text.Encoding.UTF8, "text/csv");
        return await client.PostAsync(dryRun ? "/api/prospects/import?dryRun=true" : "/api/prospects/import", content);
    }

    private static async Task<int> ProspectsOfAsync(string branch)
    {
        await using var db = TestSystem.Acquisition.NewDbContext();
        return await db.Prospects.CountAsync(p => p.BranchCode == branch);
    }

    [Test]
    public async Task A_dry_run_counts_what_would_be_imported_shows_the_first_rows_masked_and_applies_nothing()
    {
        var branch = TestServers.UniqueBranch();
        var (phone1, phone2) = (Phone(), Phone());
        var csv = $"""
            full_name,phone,branch_code,channel,district
            欧阳娜娜,{phone1},{branch},import,静安区
            欧阳娜娜,{phone1},{branch},partner,
            司马光,{phone2},{branch},import,徐汇区
            """;
        using var response = await PostAsync(Tokens.BranchLead(branch), csv, dryRun: true);
        Assert.That(response.StatusCode, Is.EqualTo(HttpStatusCode.OK), await response.Content.ReadAsStringAsync());
        var preview = (await response.Content.ReadFromJsonAsync<ImportResult>())!;
        Assert.Multiple(() =>
        {
            Assert.That(preview.DryRun, Is.True);
            Assert.That((preview.Rows, preview.Inserted, preview.Merged), Is.EqualTo((3, 2, 1)));
            Assert.That(preview.Preview!.Select(r => r.Line), Is.EqualTo(new[] { 2, 3, 4 }));
            Assert.That(preview.Preview![2].Fields["full_name"], Is.EqualTo("司**"));
            Assert.That(preview.Preview![2].Fields["phone"], Is.EqualTo(phone2[..3] + "****" + phone2[^4..]));
            Assert.That(preview.Preview![2].Fields["district"], Is.EqualTo("徐汇区"));
            Assert.That(preview.Preview![1].Fields["district"], Is.Null, "an empty field as read");
        });
        Assert.That(await ProspectsOfAsync(branch), Is.Zero, "nothing applied");

        using var applied = await PostAsync(Tokens.BranchLead(branch), csv, dryRun: false);
        var result = (await applied.Content.ReadFromJsonAsync<ImportResult>())!;
        Assert.That((result.DryRun, result.Inserted, result.Merged), Is.EqualTo((false, 2, 1)), "as the preview said");
        Assert.That(await ProspectsOfAsync(branch), Is.EqualTo(2));
    }

    [Test]
    public async Task A_dry_run_of_a_bad_file_names_the_line_and_field()
    {
        var branch = TestServers.UniqueBranch();
        var csv = $"""
            full_name,phone,branch_code
            好行,{Phone()},{branch}
            坏电话,12-34,{branch}
            别行,{Phone()},OTHER9
            """;
        using var response = await PostAsync(Tokens.BranchLead(branch), csv, dryRun: true);
        Assert.That(response.StatusCode, Is.EqualTo(HttpStatusCode.BadRequest));
        var body = await response.Content.ReadFromJsonAsync<JsonElement>();
        var errors = body.GetProperty("errors").EnumerateArray().Select(e => (e.GetProperty("line").GetInt32(), e.GetProperty("field").GetString())).ToList();
        Assert.That(errors, Is.EquivalentTo(new[] { (3, "phone"), (4, "branch_code") }));
        Assert.That(await ProspectsOfAsync(branch), Is.Zero);
    }
}
