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

    /// <summary>
    /// Clicks a table's CSV export link (<c>export-{name}-csv</c>) and returns the downloaded file's rows, the
    /// heading first, each as its cells joined by commas (read as CSV: quotes taken off).
    /// </summary>
    protected async Task<string[]> DownloadCsvAsync(string name)
    {
        var download = await Page.RunAndWaitForDownloadAsync(() => Page.GetByTestId($"export-{name}-csv").ClickAsync());
        Assert.That(download.SuggestedFilename, Does.EndWith(".csv"));
        return MiniExcelLibs.MiniExcel.Query((await download.PathAsync())!, excelType: MiniExcelLibs.ExcelType.CSV)
            .Cast<IDictionary<string, object>>()
            .Select(row => string.Join(",", row.Values.Select(v => Convert.ToString(v, System.Globalization.CultureInfo.InvariantCulture)!.TrimStart('\uFEFF'))))
            .ToArray();
    }

    /// <summary>Clicks a table's xlsx export link and returns the first sheet's rows by heading.</summary>
    protected async Task<List<IDictionary<string, object>>> DownloadXlsxAsync(string name)
    {
        var download = await Page.RunAndWaitForDownloadAsync(() => Page.GetByTestId($"export-{name}-xlsx").ClickAsync());
        Assert.That(download.SuggestedFilename, Does.EndWith(".xlsx"));
        return MiniExcelLibs.MiniExcel.Query((await download.PathAsync())!, useHeaderRow: true, excelType: MiniExcelLibs.ExcelType.XLSX)
            .Cast<IDictionary<string, object>>().ToList();
    }

    /// <summary>A word of the portal in Chinese (the default language), as a heading or a label is found by.</summary>
    protected static string Chinese(string key) =>
        new System.Resources.ResourceManager(typeof(BankClientele.Portal.Localization.PortalText)).GetString(key, new System.Globalization.CultureInfo(BankClientele.Portal.Localization.Text.Chinese))!;

    protected static ILocatorAssertions Expect(ILocator locator) => Assertions.Expect(locator);

    protected static IPageAssertions Expect(IPage page) => Assertions.Expect(page);
}
