using System.Text;

namespace BankClientele.Portal.Tests.Language;

/// <summary>
/// One language for refusals: against the real services, a form's validation refusal (with the field's own reason,
/// and the numbers it names), a form's 409 and an import's bad row each read in Chinese on the Chinese pages, with
/// none of the services' English prose or JSON.
/// </summary>
public sealed class RefusalsInChineseTests : PortalPageTest
{
    /// <summary>The refusal's text holds no English word of the services (the same check as every Chinese page's) and no JSON.</summary>
    private static async Task AssertChineseOnlyAsync(Microsoft.Playwright.ILocator refusal)
    {
        var text = await refusal.InnerTextAsync();
        Assert.Multiple(() =>
        {
            Assert.That(ChineseOnlyTests.LatinWords(text), Is.Empty, text);
            Assert.That(text, Does.Not.Contain("{").And.Not.Contain("\"").And.Not.Contain("409"), text);
        });
    }

    [Test]
    public async Task A_segment_refused_for_a_bad_criterion_and_then_for_its_taken_name_is_told_in_Chinese()
    {
        var name = $"拒绝测试{Random.Shared.Next(100_000, 999_999)}";
        await SignInAsync(PortalSystem.BranchLead);
        await Page.GotoAsync("/acquisition/segments");
        await Page.GetByTestId("criterion-district").FillAsync("静安区");
        await Page.GetByTestId("criterion-engagement").SelectOptionAsync("cold");
        await Page.GetByTestId("save-segment").ClickAsync();

        // 400 (no name): the field at fault by its Chinese label, with its own reason (not a plain "not valid").
        var problem = Page.GetByTestId("problem");
        await Expect(problem).ToContainTextAsync($"{Chinese("Field.name")}：{Chinese("Reason.required")}");
        await AssertChineseOnlyAsync(problem);

        await Page.GetByTestId("segment-name").FillAsync(name);
        await Page.GetByTestId("criterion-district").FillAsync("静安区");
        await Page.GetByTestId("criterion-engagement").SelectOptionAsync("cold");
        await Page.GetByTestId("save-segment").ClickAsync();
        await Expect(Page.GetByTestId("saved")).ToBeVisibleAsync();

        // 409: the same name again, worded from the service's code.
        await Page.GetByTestId("segment-name").FillAsync(name);
        await Page.GetByTestId("criterion-district").FillAsync("静安区");
        await Page.GetByTestId("criterion-engagement").SelectOptionAsync("cold");
        await Page.GetByTestId("save-segment").ClickAsync();
        await Expect(problem).ToContainTextAsync(Chinese("Problem.segment-exists"));
        await AssertChineseOnlyAsync(problem);
    }

    [Test]
    public async Task A_campaign_whose_budget_is_out_of_range_is_told_the_range_in_Chinese_numbers()
    {
        await SignInAsync(PortalSystem.BranchLead);
        await Page.GotoAsync("/acquisition/campaigns/new");
        await Page.GetByTestId("code").FillAsync($"UI-REF-{Random.Shared.Next(100_000, 999_999)}");
        await Page.GetByTestId("name").FillAsync("预算越界测试");
        await Page.GetByTestId("next").ClickAsync();
        await Expect(Page.GetByTestId("step-target")).ToBeVisibleAsync();
        await Page.GetByTestId("next").ClickAsync();
        await Expect(Page.GetByTestId("step-plan")).ToBeVisibleAsync();
        await Page.GetByTestId("budget").FillAsync("-5");
        await Page.GetByTestId("starts-on").FillAsync(DateTime.UtcNow.ToString("yyyy-MM-dd", System.Globalization.CultureInfo.InvariantCulture));
        await Page.GetByTestId("next").ClickAsync();
        await Expect(Page.GetByTestId("review")).ToBeVisibleAsync();
        await Page.GetByTestId("create").ClickAsync();

        // The model validation's Range(0, 1,000,000,000): the reason with both bounds, written as a Chinese reader writes numbers.
        var problem = Page.GetByTestId("problem");
        await Expect(problem).ToContainTextAsync($"{Chinese("Field.budget")}：须在 0 到 1,000,000,000 之间");
        await AssertChineseOnlyAsync(problem);
    }

    [Test]
    public async Task An_import_row_with_a_bad_phone_and_a_missing_name_is_told_by_line_and_field_in_Chinese()
    {
        var number = $"REF{Random.Shared.Next(100_000, 999_999)}";
        var csv = $"""
            customer_number,full_name,gender,birth_date,phone,city,district,branch_code
            {number}1,欧阳锋,M,1980-01-02,13912340009,上海,静安区,{PortalSystem.Branch}
            {number}2,,F,1990-03-04,12,上海,徐汇区,{PortalSystem.Branch}
            """;
        await SignInAsync(PortalSystem.BranchLead);
        await Page.GotoAsync("/imports");
        await Page.GetByLabel(Chinese("Imports.Kind")).SelectOptionAsync("customers");
        await Page.GetByLabel(Chinese("Imports.File")).SetInputFilesAsync(new Microsoft.Playwright.FilePayload
        {
            Name = "customers.csv", MimeType = "text/csv", Buffer = Encoding.UTF8.GetBytes(csv),
        });
        await Page.GetByTestId("import-preview").ClickAsync();

        var problems = Page.GetByTestId("import-problems");
        await Expect(Page.GetByTestId("problem-3-phone")).ToContainTextAsync($"{Chinese("Field.phone")}{Chinese("Reason.not-a-phone")}");
        await Expect(Page.GetByTestId("problem-3-full_name")).ToContainTextAsync($"{Chinese("Field.full_name")}{Chinese("Reason.required")}");
        await AssertChineseOnlyAsync(problems);
    }
}
