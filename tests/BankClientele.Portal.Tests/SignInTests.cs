using System.Globalization;
using System.Text.RegularExpressions;

namespace BankClientele.Portal.Tests;

public sealed class SignInTests : PortalPageTest
{
    [Test]
    public async Task A_relationship_manager_lands_on_their_customers_with_personal_data_masked()
    {
        await SignInAsync(PortalSystem.RelationshipManager);

        await Expect(Page).ToHaveURLAsync(new Regex("/customers$"));
        var grid = Page.GetByTestId("customers");
        await Expect(grid).ToContainTextAsync("欧**"); // 欧阳娜娜, masked
        await Expect(grid).ToContainTextAsync("138****5678");
        await Expect(grid).Not.ToContainTextAsync("别*"); // the other branch's customer
        await Expect(Page.GetByTestId("who")).ToContainTextAsync("客户经理");
    }

    [Test]
    public async Task A_branch_lead_sees_their_branch_counts_visits_and_managers()
    {
        await SignInAsync(PortalSystem.BranchLead);

        await Expect(Page).ToHaveURLAsync(new Regex("/branch$"));
        // Other pages' tests add customers to this branch too: the page shows what Insights counted.
        var counts = (await InsightsBranchStatisticsAsync()).Single(s => s.BranchCode == PortalSystem.Branch);
        Assert.That(counts.Customers, Is.GreaterThanOrEqualTo(1));
        await Expect(Page.GetByTestId($"customers-{PortalSystem.Branch}")).ToHaveTextAsync(counts.Customers.ToString(CultureInfo.InvariantCulture));
        await Expect(Page.GetByTestId($"assignments-{PortalSystem.Branch}")).ToHaveTextAsync(counts.Assigned.ToString(CultureInfo.InvariantCulture));
        await Expect(Page.GetByTestId($"visits-{PortalSystem.Branch}")).ToHaveTextAsync(counts.Visits.ToString(CultureInfo.InvariantCulture));
        await Expect(Page.GetByTestId($"branch-{PortalSystem.OtherBranch}")).ToHaveCountAsync(0);
        await Expect(Page.GetByTestId("visits")).ToContainTextAsync("A001");
        await Expect(Page.GetByTestId("managers")).ToContainTextAsync(PortalSystem.RelationshipManager.DisplayName);
    }

    [Test]
    public async Task Head_office_sees_every_branch()
    {
        await SignInAsync(PortalSystem.HeadOffice);

        await Expect(Page).ToHaveURLAsync(new Regex("/network$"));
        var grid = Page.GetByTestId("branches");
        await Expect(grid).ToContainTextAsync(PortalSystem.Branch);
        await Expect(grid).ToContainTextAsync(PortalSystem.OtherBranch);
        var total = (await InsightsBranchStatisticsAsync()).Sum(s => s.Customers);
        Assert.That(total, Is.GreaterThanOrEqualTo(2));
        await Expect(Page.GetByTestId("total-customers")).ToHaveTextAsync(total.ToString(CultureInfo.InvariantCulture));
        await Expect(Page.GetByTestId("chart")).ToContainTextAsync(PortalSystem.OtherBranch);
    }

    [Test]
    public async Task An_administrator_sees_every_service_ready()
    {
        await SignInAsync(PortalSystem.Administrator);

        await Expect(Page).ToHaveURLAsync(new Regex("/system$"));
        foreach (var service in Services.ServiceNames.All)
        {
            await Expect(Page.GetByTestId($"health-{service}")).ToContainTextAsync("就绪");
        }
        // Every service runs Hangfire (at least the message retention): each dashboard answered the administrator's token, so each is linked.
        foreach (var service in new[] { Services.ServiceNames.Insights, Services.ServiceNames.FootTraffic })
        {
            await Expect(Page.GetByTestId($"hangfire-{service}"))
                .ToHaveAttributeAsync("href", $"{PortalSystem.ServiceAddresses[service]}hangfire");
        }
    }

    [Test]
    public async Task An_administrator_may_open_every_page()
    {
        await SignInAsync(PortalSystem.Administrator);
        await Expect(Page).ToHaveURLAsync(new Regex("/system$"));

        await Page.GetByTestId("nav-customers").ClickAsync();
        await Expect(Page.GetByRole(Microsoft.Playwright.AriaRole.Heading, new() { Level = 1 })).ToHaveTextAsync("我的客户");
        await Page.GetByTestId("nav-branch").ClickAsync();
        await Expect(Page.GetByRole(Microsoft.Playwright.AriaRole.Heading, new() { Level = 1 })).ToHaveTextAsync("网点概况");
        await Page.GetByTestId("nav-network").ClickAsync();
        await Expect(Page.GetByTestId("branches")).ToContainTextAsync(PortalSystem.Branch);
    }

    [Test]
    public async Task Signing_out_ends_the_session()
    {
        await SignInAsync(PortalSystem.HeadOffice);
        await Expect(Page).ToHaveURLAsync(new Regex("/network$"));

        await Page.GetByTestId("sign-out").ClickAsync();

        await Expect(Page).ToHaveURLAsync(new Regex("/account/login$"));
        await Page.GotoAsync("/network");
        await Expect(Page).ToHaveURLAsync(new Regex("/account/login"));
        await Expect(Page.GetByTestId("signin")).ToBeVisibleAsync();
    }

    [Test]
    public async Task A_wrong_password_is_refused_with_a_message()
    {
        await SignInAsync(PortalSystem.HeadOffice.UserName, "not-the-password");

        await Expect(Page.GetByTestId("signin-error")).ToHaveTextAsync("用户名或密码错误。");
        await Expect(Page).ToHaveURLAsync(new Regex("/account/login"));
    }

    [Test]
    public async Task Five_wrong_passwords_lock_the_account_even_against_the_right_one()
    {
        var account = PortalSystem.ToBeLocked;
        for (var attempt = 1; attempt <= 5; attempt++)
        {
            await SignInAsync(account.UserName, $"wrong-{attempt}");
            await Expect(Page.GetByTestId("signin-error")).ToBeVisibleAsync();
        }

        await SignInAsync(account);

        // The same message as a wrong password: the page does not tell a guesser the account exists.
        await Expect(Page.GetByTestId("signin-error")).ToHaveTextAsync("用户名或密码错误。");
        await Expect(Page).ToHaveURLAsync(new Regex("/account/login"));
    }

    [Test]
    public async Task A_relationship_manager_cannot_open_the_head_office_page()
    {
        await SignInAsync(PortalSystem.RelationshipManager);
        await Expect(Page).ToHaveURLAsync(new Regex("/customers$"));

        await Page.GotoAsync("/network");

        await Expect(Page.GetByTestId("denied")).ToBeVisibleAsync();
        await Expect(Page.GetByTestId("branches")).ToHaveCountAsync(0);
        await Expect(Page.GetByTestId("nav-network")).ToHaveCountAsync(0);
    }

    [Test]
    public async Task Pages_need_a_sign_in()
    {
        await Page.GotoAsync("/branch");

        await Expect(Page).ToHaveURLAsync(new Regex("/account/login"));
        await Expect(Page.GetByTestId("signin")).ToBeVisibleAsync();
    }

    [Test]
    public async Task The_portal_speaks_Chinese_by_default_and_English_on_request()
    {
        await SignInAsync(PortalSystem.RelationshipManager);
        await Expect(Page.GetByRole(Microsoft.Playwright.AriaRole.Heading, new() { Level = 1 })).ToHaveTextAsync("我的客户");

        await Page.GetByTestId("language").ClickAsync();

        await Expect(Page.GetByRole(Microsoft.Playwright.AriaRole.Heading, new() { Level = 1 })).ToHaveTextAsync("My customers");
        await Expect(Page.GetByTestId("nav-customers")).ToContainTextAsync("My customers");
    }

    private static async Task<List<Insights.BranchStats.BranchStatisticsView>> InsightsBranchStatisticsAsync()
    {
        using var insights = PortalSystem.Services.Insights.ClientFor(Tokens.HeadOffice);
        return (await ServiceSystem.GetAsync<List<Insights.BranchStats.BranchStatisticsView>>(insights, "/api/branch-stats"))!;
    }
}
