namespace BankClientele.Testing;

/// <summary>
/// The four services of one test project's run, started once by that project's
/// <see cref="TestSystemFixture"/> and shared by its tests.
/// </summary>
public static class TestSystem
{
    public static ServiceSystem Services { get; internal set; } = null!;

    public static ServiceFactory<CustomerCare.CustomerCareDbContext> CustomerCare => Services.CustomerCare;
    public static ServiceFactory<Acquisition.AcquisitionDbContext> Acquisition => Services.Acquisition;
    public static ServiceFactory<FootTraffic.FootTrafficDbContext> FootTraffic => Services.FootTraffic;
    public static ServiceFactory<Insights.InsightsDbContext> Insights => Services.Insights;

    /// <summary>The four services, for tests that walk them all.</summary>
    public static IReadOnlyList<IServiceHost> All => [CustomerCare, Acquisition, FootTraffic, Insights];

    /// <summary>One of the four by name (CustomerCare, Acquisition, FootTraffic, Insights).</summary>
    public static IServiceHost Named(string service) => All.Single(host => host.Name == service);
}

/// <summary>
/// Derive one [SetUpFixture] per test project from this, in the project's root namespace: it starts
/// the four services on databases named after the project, so projects never share a database.
/// </summary>
public abstract class TestSystemFixture
{
    /// <summary>The prefix of this project's test databases, e.g. bankclientele_test_care.</summary>
    protected abstract string DatabasePrefix { get; }

    [OneTimeSetUp]
    public async Task StartServicesAsync()
    {
        TestSystem.Services = new ServiceSystem(DatabasePrefix);
        await TestSystem.Services.StartAsync();
    }

    [OneTimeTearDown]
    public async Task StopServicesAsync() => await TestSystem.Services.DisposeAsync();
}
