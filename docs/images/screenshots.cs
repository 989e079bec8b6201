// Takes docs/images/home-*.png: each demo role's home page, as the README shows them.
// With the demo up (./run.sh --detach), from the repository root:
//   dotnet run docs/images/screenshots.cs [portal URL, default http://127.0.0.1:5100]
// It drives the machine's Chromium headless shell (installed by `deploy/local/servers.sh install --with-browser`), or
// the full browser where only that is installed.
#:package Microsoft.Playwright
#:property PublishAot=false
using Microsoft.Playwright;

var portal = args.Length > 0 ? args[0] : "http://127.0.0.1:5100";
var folder = Path.Combine("docs", "images");
const string Password = "Demo@2026!";
(string User, string Page, string File, int Width, int Height)[] shots =
[
    ("rm.li", "/care/my-day", "home-relationship-manager.png", 390, 844),
    ("rm.li", "/customers", "home-relationship-manager-customers.png", 1366, 900),
    ("lead.wang", "/branch", "home-branch-lead.png", 1366, 900),
    ("region.sun", "/network", "home-region-head.png", 1366, 900),
    ("hq.zhao", "/network", "home-head-office.png", 1366, 900),
    ("admin", "/system", "home-administrator.png", 1366, 900),
];

using var playwright = await Playwright.CreateAsync();
await using var browser = await playwright.Chromium.LaunchAsync(new BrowserTypeLaunchOptions
{
    ExecutablePath = File.Exists("/usr/bin/chromium-headless-shell") ? "/usr/bin/chromium-headless-shell" : "/usr/bin/chromium",
    Headless = true,
    Args = ["--no-sandbox", "--disable-gpu", "--no-first-run"],
});
foreach (var shot in shots)
{
    await using var context = await browser.NewContextAsync(new BrowserNewContextOptions
    {
        BaseURL = portal, Locale = "zh-CN", TimezoneId = "Asia/Shanghai",
        ViewportSize = new ViewportSize { Width = shot.Width, Height = shot.Height },
        IsMobile = shot.Width < 500, DeviceScaleFactor = 1,
    });
    var page = await context.NewPageAsync();
    await page.GotoAsync("/account/login");
    await page.GetByTestId("username").FillAsync(shot.User);
    await page.GetByTestId("password").FillAsync(Password);
    await page.GetByTestId("signin").ClickAsync();
    await page.WaitForURLAsync(url => !url.Contains("/account/login"), new PageWaitForURLOptions { Timeout = 60_000 });
    await page.GotoAsync(shot.Page, new PageGotoOptions { WaitUntil = WaitUntilState.NetworkIdle, Timeout = 120_000 });
    // The pages load their figures after the first render; wait for the loading indicators to go.
    await page.WaitForFunctionAsync("() => !document.querySelector('.rz-progressbar-circular, [data-testid=loading]')",
        null, new PageWaitForFunctionOptions { Timeout = 120_000 });
    await page.WaitForTimeoutAsync(1500); // charts animate in
    var path = Path.Combine(folder, shot.File);
    await page.ScreenshotAsync(new PageScreenshotOptions { Path = path });
    Console.WriteLine($"{shot.User} {shot.Page} -> {path}");
}
