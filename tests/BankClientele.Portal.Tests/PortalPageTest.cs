using BankClientele.Portal.Accounts;
using Microsoft.Playwright;

namespace BankClientele.Portal.Tests;

/// <summary>Each test gets a fresh browser context (its own cookies) on the shared Chromium.</summary>
public abstract class PortalPageTest
{
    protected IBrowserContext Context { get; private set; } = null!;
    protected IPage Page { get; private set; } = null!;

    /// <summary>The portal the pages open on (the run's portal, unless a fixture starts its own).</summary>
    protected virtual Uri PortalAddress => PortalSystem.Portal.Address;

    [SetUp]
    public async Task OpenPageAsync()
    {
        Context = await PortalSystem.Browser.NewContextAsync(new BrowserNewContextOptions
        {
            BaseURL = PortalAddress.ToString(),
            ViewportSize = new ViewportSize { Width = 1366, Height = 900 },
        });
        Page = await Context.NewPageAsync();
    }

    [TearDown]
    public async Task ClosePageAsync()
    {
        // Where asked (BANKCLIENTELE_SCREENSHOTS=folder), keep a picture of each test's last page.
        if (Environment.GetEnvironmentVariable("BANKCLIENTELE_SCREENSHOTS") is { Length: > 0 } folder)
        {
            Directory.CreateDirectory(folder);
            await Page.ScreenshotAsync(new PageScreenshotOptions { Path = Path.Combine(folder, TestContext.CurrentContext.Test.Name + ".png"), FullPage = true });
        }
        await Context.DisposeAsync();
    }

    protected async Task SignInAsync(string userName, string password)
    {
        await Page.GotoAsync("/account/login");
        await Page.GetByTestId("username").FillAsync(userName);
        await Page.GetByTestId("password").FillAsync(password);
        await Page.GetByTestId("signin").ClickAsync();
    }

    protected Task SignInAsync(SaveStaffAccount account) => SignInAsync(account.UserName, account.Password);

    protected static ILocatorAssertions Expect(ILocator locator) => Assertions.Expect(locator);

    protected static IPageAssertions Expect(IPage page) => Assertions.Expect(page);
}
