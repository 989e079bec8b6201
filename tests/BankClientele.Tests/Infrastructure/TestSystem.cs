using BankClientele.Testing;

namespace BankClientele.Tests;

/// <summary>The four services for this project's tests, started once per run.</summary>
[SetUpFixture]
public sealed class TestSystem
{
    public static ServiceSystem Services { get; private set; } = null!;

    public static ServiceFactory<CustomerCare.CustomerCareDbContext> CustomerCare => Services.CustomerCare;
    public static ServiceFactory<Acquisition.AcquisitionDbContext> Acquisition => Services.Acquisition;
    public static ServiceFactory<FootTraffic.FootTrafficDbContext> FootTraffic => Services.FootTraffic;
    public static ServiceFactory<Insights.InsightsDbContext> Insights => Services.Insights;

    [OneTimeSetUp]
    public async Task StartAsync()
    {
        Services = new ServiceSystem("bankclientele_test");
        await Services.StartAsync();
    }

    [OneTimeTearDown]
    public async Task StopAsync() => await Services.DisposeAsync();
}
