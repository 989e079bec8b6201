using System.Net.Http.Json;
using BankClientele.Hosting.Auth;
using BankClientele.Insights.BranchStats;
using BankClientele.Portal.Accounts;
using BankClientele.Portal.Services;
using Microsoft.Playwright;

namespace BankClientele.Portal.Tests;

/// <summary>
/// Once per run: the services and the portal, a small branch pushed through their APIs, demo
/// accounts for every role, and Debian's Chromium driven by Playwright.
/// </summary>
[SetUpFixture]
public sealed class PortalSystem
{
    public const string Branch = "UI001";
    public const string OtherBranch = "UI002";
    public const string Password = "Ui-Test#2026";
    public const string CustomerName = "欧阳娜娜";

    public static ServiceSystem Services { get; private set; } = null!;
    public static PortalFactory Portal { get; private set; } = null!;
    public static IReadOnlyDictionary<string, Uri> ServiceAddresses { get; private set; } = null!;
    public static IPlaywright Playwright { get; private set; } = null!;
    public static IBrowser Browser { get; private set; } = null!;

    public static readonly SaveStaffAccount RelationshipManager = new("ui.rm", Password, "测试经理", StaffRoles.RelationshipManager, "UI-RM-1", Branch);
    public static readonly SaveStaffAccount BranchLead = new("ui.lead", Password, "测试行长", StaffRoles.BranchLead, "UI-BL-1", Branch);
    public static readonly SaveStaffAccount HeadOffice = new("ui.hq", Password, "测试总行", StaffRoles.HeadOffice, "UI-HQ-1", null);
    public static readonly SaveStaffAccount Administrator = new("ui.admin", Password, "测试管理员", StaffRoles.Administrator, "UI-ADM-1", null);
    public static readonly SaveStaffAccount ToBeLocked = new("ui.locked", Password, "锁定测试", StaffRoles.HeadOffice, "UI-HQ-2", null);

    [OneTimeSetUp]
    public async Task StartAsync()
    {
        // Playwright drives the Chromium of the machine: never let it fetch a browser.
        Environment.SetEnvironmentVariable("PLAYWRIGHT_SKIP_BROWSER_DOWNLOAD", "1");

        // The four services on real Kestrel ports (each on its bankclientele_test_ui_* database,
        // the test virtual host and this run's signing key), then the portal pointed at them.
        Services = new ServiceSystem("bankclientele_test_ui");
        Services.CustomerCare.UseKestrel(0);
        Services.Acquisition.UseKestrel(0);
        Services.FootTraffic.UseKestrel(0);
        Services.Insights.UseKestrel(0);
        await Task.WhenAll(Services.StartAsync(), PortalFactory.CreateDatabaseAsync());
        ServiceAddresses = new Dictionary<string, Uri>
        {
            [ServiceNames.CustomerCare] = PortalFactory.KestrelAddress(Services.CustomerCare),
            [ServiceNames.Acquisition] = PortalFactory.KestrelAddress(Services.Acquisition),
            [ServiceNames.FootTraffic] = PortalFactory.KestrelAddress(Services.FootTraffic),
            [ServiceNames.Insights] = PortalFactory.KestrelAddress(Services.Insights),
        };
        // The tests' requests come from 127.0.0.1: that is the "ingress" whose X-Forwarded-Proto is believed.
        Portal = new PortalFactory(ServiceAddresses, new Dictionary<string, string?> { ["ForwardedHeaders:KnownProxies:0"] = "127.0.0.1" });
        Portal.Start();

        // The flow, through the services' own APIs: a converted customer and a visit at UI001.
        await Services.AddRelationshipManagerAsync(RelationshipManager.StaffId, Branch, name: RelationshipManager.DisplayName);
        var customerId = await Services.NewCustomerAsync(Branch, CustomerName, $"138{Random.Shared.Next(10_000):D4}5678"); // shown masked as 138****5678
        using (var traffic = Services.FootTraffic.ClientFor(Tokens.BranchLead(Branch)))
        {
            (await traffic.PostAsJsonAsync("/api/visits", new FootTraffic.Visits.RecordVisit(Branch, customerId, "A001", "理财咨询", null))).EnsureSuccessStatusCode();
        }
        await Services.NewCustomerAsync(OtherBranch, "别行客户");

        // Sign-in accounts, through the portal's own account API (as the CLI's seed does).
        using (var portal = new HttpClient { BaseAddress = Portal.Address })
        {
            portal.DefaultRequestHeaders.Authorization = new("Bearer", Tokens.For(Tokens.Administrator));
            foreach (var account in new[] { RelationshipManager, BranchLead, HeadOffice, Administrator, ToBeLocked })
            {
                (await portal.PutAsJsonAsync("/api/staff-accounts", account)).EnsureSuccessStatusCode();
            }
        }

        using var insights = Services.Insights.ClientFor(Tokens.HeadOffice);
        await Poll.UntilAsync(() => ServiceSystem.GetAsync<List<BranchStatisticsView>>(insights, "/api/branch-stats"),
            stats => stats!.Any(s => s is { BranchCode: Branch, Customers: 1, Assignments: 1, Assigned: 1, Visits: 1 }) && stats!.Any(s => s.BranchCode == OtherBranch),
            "insights to count the flow");

        // Two shared cores: the first sign-in (password hashing, JIT) can take seconds.
        Assertions.SetDefaultExpectTimeout(15_000);
        Playwright = await Microsoft.Playwright.Playwright.CreateAsync();
        Browser = await Playwright.Chromium.LaunchAsync(new BrowserTypeLaunchOptions
        {
            ExecutablePath = ChromiumPath,
            Headless = true,
            Args = ["--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-component-update", "--disable-sync", "--no-first-run", "--disable-quic"],
        });
    }

    /// <summary>
    /// Debian's headless shell (what Playwright itself runs headless): the same Blink, without the browser's own
    /// UI, at about a third of the full browser's CPU per page on two shared cores. The full browser where only it is installed.
    /// </summary>
    private static string ChromiumPath =>
        File.Exists("/usr/bin/chromium-headless-shell") ? "/usr/bin/chromium-headless-shell" : "/usr/bin/chromium";

    [OneTimeTearDown]
    public async Task StopAsync()
    {
        if (Browser is not null)
        {
            await Browser.DisposeAsync();
        }
        Playwright?.Dispose();
        if (Portal is not null)
        {
            await Portal.DisposeAsync();
        }
        if (Services is not null)
        {
            await Services.DisposeAsync();
        }
    }
}
