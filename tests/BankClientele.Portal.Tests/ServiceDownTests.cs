using System.Text.RegularExpressions;
using BankClientele.Portal.Services;

namespace BankClientele.Portal.Tests;

/// <summary>
/// A second portal over the same services, except that Insights is down (nobody listens at its
/// address): pages say so where its data would be and still show what the other services give.
/// </summary>
public sealed class ServiceDownTests : PortalPageTest
{
    private PortalFactory portal = null!;

    protected override Uri PortalAddress => portal.Address;

    [OneTimeSetUp]
    public void StartPortalWithInsightsDown()
    {
        var addresses = new Dictionary<string, Uri>(PortalSystem.ServiceAddresses) { [ServiceNames.Insights] = PortalFactory.Nowhere() };
        portal = new PortalFactory(addresses);
        portal.Start();
    }

    [OneTimeTearDown]
    public async Task StopPortalAsync() => await portal.DisposeAsync();

    [Test]
    public async Task The_branch_page_says_the_figures_are_unavailable_and_still_lists_the_visits()
    {
        await SignInAsync(PortalSystem.BranchLead);

        await Expect(Page).ToHaveURLAsync(new Regex("/branch$"));
        await Expect(Page.GetByTestId("unavailable")).ToContainTextAsync("经营分析服务暂时无法提供数据");
        // The connection's own error is English: worded on the page, kept for support in the tooltip only.
        await Expect(Page.GetByTestId("unavailable-no-answer")).ToHaveTextAsync("(服务未响应)");
        Assert.That(await Page.GetByTestId("unavailable-no-answer").GetAttributeAsync("title"), Is.Not.Empty);
        await Expect(Page.GetByTestId($"customers-{PortalSystem.Branch}")).ToHaveCountAsync(0);
        await Expect(Page.GetByTestId("visits")).ToContainTextAsync("A001");
        await Expect(Page.GetByTestId("managers")).ToContainTextAsync(PortalSystem.RelationshipManager.DisplayName);
    }

    [Test]
    public async Task The_status_page_shows_the_service_that_is_down()
    {
        await SignInAsync(PortalSystem.Administrator);

        await Expect(Page).ToHaveURLAsync(new Regex("/system$"));
        await Expect(Page.GetByTestId($"health-{ServiceNames.Insights}")).ToContainTextAsync("不可用");
        await Expect(Page.GetByTestId($"health-{ServiceNames.CustomerCare}")).ToContainTextAsync("就绪");
    }
}
