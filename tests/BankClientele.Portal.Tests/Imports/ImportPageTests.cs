using System.Text;
using Microsoft.EntityFrameworkCore;
using Microsoft.Playwright;
using MiniExcelLibs;

namespace BankClientele.Portal.Tests.Imports;

/// <summary>The imports page in Chromium, against the real services' import endpoints (dry run, then apply).</summary>
public sealed class ImportPageTests : PortalPageTest
{
    private const string Header = "customer_number,full_name,gender,birth_date,phone,city,district,branch_code";

    private static string UniqueNumber(int i) => $"IMP{Random.Shared.Next(100_000, 999_999)}{i}";

    private static async Task<int> CustomersAsync(IEnumerable<string> numbers)
    {
        await using var db = PortalSystem.Services.CustomerCare.NewDbContext();
        var list = numbers.ToList();
        return await db.Customers.CountAsync(c => list.Contains(c.CustomerNumber!));
    }

    private async Task UploadAsync(string kind, string fileName, string mimeType, byte[] content)
    {
        await Page.GotoAsync("/imports");
        await Page.GetByLabel(Chinese("Imports.Kind")).SelectOptionAsync(kind);
        await Page.GetByLabel(Chinese("Imports.File")).SetInputFilesAsync(new FilePayload { Name = fileName, MimeType = mimeType, Buffer = content });
        await Page.GetByTestId("import-preview").ClickAsync();
    }

    [Test]
    public async Task A_lead_previews_a_csv_with_a_bad_row_and_sees_its_line_and_field_and_nothing_is_applied()
    {
        string[] numbers = [UniqueNumber(1), UniqueNumber(2), UniqueNumber(3)];
        var csv = $"""
            {Header}
            {numbers[0]},欧阳娜娜,F,1990-03-12,13912340001,上海,静安区,{PortalSystem.Branch}
            {numbers[1]},司马光,M,1985-07-01,12,上海,徐汇区,{PortalSystem.Branch}
            {numbers[2]},诸葛明,M,1979-11-30,13912340003,上海,浦东新区,{PortalSystem.Branch}
            """;
        await SignInAsync(PortalSystem.BranchLead);
        await Expect(Page.GetByTestId("nav-imports")).ToBeVisibleAsync();
        await UploadAsync("customers", "customers.csv", "text/csv", Encoding.UTF8.GetBytes(csv));

        var problems = Page.GetByTestId("import-problems");
        await Expect(problems).ToBeVisibleAsync();
        await Expect(Page.GetByTestId("problem-3-phone")).ToContainTextAsync("3");
        await Expect(problems.Locator("tbody tr")).ToHaveCountAsync(1);
        await Expect(Page.GetByTestId("import-apply")).ToHaveCountAsync(0);
        await Expect(Page.GetByTestId("import-progress")).ToBeHiddenAsync();
        Assert.That(await CustomersAsync(numbers), Is.Zero, "a refused file applies nothing, not even its good rows");

        // The bad rows download, to fix the file by: line, field and problem, as the table shows them.
        var message = await problems.Locator("tbody tr td").Nth(2).InnerTextAsync();
        var lines = await DownloadCsvAsync("import-problems");
        Assert.That(lines[0], Is.EqualTo($"{Chinese("Imports.Line")},{Chinese("Imports.Field")},{Chinese("Imports.Problem")}"));
        Assert.That(lines.Skip(1).Where(l => l.Length > 0).ToList(), Has.Count.EqualTo(1).And.All.StartWith($"3,{Chinese("Field.phone")},"));
        var xlsx = await DownloadXlsxAsync("import-problems");
        Assert.That(xlsx, Has.Count.EqualTo(1));
        Assert.Multiple(() =>
        {
            Assert.That(Convert.ToInt32(xlsx[0][Chinese("Imports.Line")], System.Globalization.CultureInfo.InvariantCulture), Is.EqualTo(3));
            Assert.That(xlsx[0][Chinese("Imports.Field")], Is.EqualTo(Chinese("Field.phone")));
            Assert.That(xlsx[0][Chinese("Imports.Problem")], Is.EqualTo(message));
        });
    }

    [Test]
    public async Task A_lead_previews_a_good_xlsx_then_imports_it_and_the_customers_are_in_the_book()
    {
        string[] numbers = [UniqueNumber(1), UniqueNumber(2)];
        var rows = new[]
        {
            new Dictionary<string, object?>
            {
                ["customer_number"] = numbers[0], ["full_name"] = "上官婉儿", ["gender"] = "F", ["birth_date"] = new DateTime(1992, 4, 8),
                ["phone"] = 13912345601L, ["city"] = "上海", ["district"] = "长宁区", ["branch_code"] = PortalSystem.Branch,
            },
            new Dictionary<string, object?>
            {
                ["customer_number"] = numbers[1], ["full_name"] = "东方朔", ["gender"] = "M", ["birth_date"] = new DateTime(1970, 1, 20),
                ["phone"] = 13912345602L, ["city"] = "上海", ["district"] = "黄浦区", ["branch_code"] = PortalSystem.Branch,
            },
        };
        var xlsx = new MemoryStream();
        await xlsx.SaveAsAsync(rows);

        await SignInAsync(PortalSystem.BranchLead);
        await UploadAsync("customers", "customers.xlsx", "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet", xlsx.ToArray());

        // The preview: the rows as the service read them (dates and phones from Excel cells), masked, and nothing applied yet.
        var preview = Page.GetByTestId("import-preview-rows");
        await Expect(preview).ToBeVisibleAsync();
        await Expect(Page.GetByTestId("import-rows")).ToContainTextAsync("2");
        await Expect(Page.GetByTestId("would-inserted")).ToContainTextAsync("2");
        await Expect(preview.Locator("tbody tr").First).ToContainTextAsync("上***");
        await Expect(preview.Locator("tbody tr").First).ToContainTextAsync("1992-04-08");
        await Expect(preview.Locator("tbody tr").First).ToContainTextAsync("139****5601");
        await Expect(preview).Not.ToContainTextAsync("上官婉儿");
        Assert.That(await CustomersAsync(numbers), Is.Zero, "a preview applies nothing");

        await Page.GetByTestId("import-apply").ClickAsync();
        await Expect(Page.GetByTestId("import-applied")).ToContainTextAsync("2");
        await Expect(Page.GetByTestId("did-inserted")).ToContainTextAsync("2");
        Assert.That(await CustomersAsync(numbers), Is.EqualTo(2));

        await Page.GotoAsync($"/customers?search={numbers[0]}");
        await Expect(Page.GetByTestId("customers")).ToContainTextAsync("上***");
    }

    [Test]
    public async Task A_relationship_manager_has_no_imports_page()
    {
        await SignInAsync(PortalSystem.RelationshipManager);
        await Expect(Page.GetByTestId("nav")).ToBeVisibleAsync();
        await Expect(Page.GetByTestId("nav-imports")).ToHaveCountAsync(0);
        await Page.GotoAsync("/imports");
        await Expect(Page.GetByTestId("import-form")).ToHaveCountAsync(0);
    }
}
