using BankClientele.Acquisition;
using BankClientele.CustomerCare;
using BankClientele.FootTraffic;
using BankClientele.Insights;
using BankClientele.Tests.Infrastructure;

namespace BankClientele.Tests;

/// <summary>
/// The four services, each in this process on its own test database, sharing the real broker.
/// Started once per run; tests isolate themselves with unique branch codes.
/// </summary>
[SetUpFixture]
public sealed class TestSystem
{
    public static ServiceFactory<CustomerCareDbContext> CustomerCare { get; private set; } = null!;
    public static ServiceFactory<AcquisitionDbContext> Acquisition { get; private set; } = null!;
    public static ServiceFactory<FootTrafficDbContext> FootTraffic { get; private set; } = null!;
    public static ServiceFactory<InsightsDbContext> Insights { get; private set; } = null!;

    [OneTimeSetUp]
    public async Task StartAsync()
    {
        CustomerCare = new("bankclientele_test_customercare");
        Acquisition = new("bankclientele_test_acquisition");
        FootTraffic = new("bankclientele_test_foottraffic");
        Insights = new("bankclientele_test_insights");
        foreach (var database in new[] { CustomerCare.Database, Acquisition.Database, FootTraffic.Database, Insights.Database })
        {
            await TestDatabases.DropAsync(database);
        }
        await Task.WhenAll(CustomerCare.StartAsync(), Acquisition.StartAsync(), FootTraffic.StartAsync(), Insights.StartAsync());
    }

    [OneTimeTearDown]
    public async Task StopAsync()
    {
        await CustomerCare.DisposeAsync();
        await Acquisition.DisposeAsync();
        await FootTraffic.DisposeAsync();
        await Insights.DisposeAsync();
    }
}
