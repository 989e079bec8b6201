using BankClientele.Acquisition.Prospects;
using BankClientele.Cli.Infrastructure;
using BankClientele.CustomerCare.Managers;
using BankClientele.FootTraffic.Visits;
using BankClientele.Insights.BranchStats;

namespace BankClientele.Cli.Seed;

/// <summary>The portal's body for PUT /api/staff-accounts (creates or updates a sign-in account).</summary>
public sealed record SaveStaffAccount(string UserName, string Password, string DisplayName, string Role, string StaffId, string? BranchCode, string? RegionCode);

/// <summary>The portal's body for PUT /api/regions.</summary>
public sealed record SaveRegion(string Code, string Name, IReadOnlyList<string> BranchCodes);

/// <summary>
/// The calls the seed makes, each through a service's public HTTP API with an Administrator
/// token; the bodies are the services' own request and response records.
/// </summary>
public sealed class SeedApi(ServiceClient customerCare, ServiceClient acquisition, ServiceClient footTraffic, ServiceClient insights, ServiceClient portal) : IDisposable
{
    public ServiceClient CustomerCare { get; } = customerCare;
    public ServiceClient Acquisition { get; } = acquisition;
    public ServiceClient FootTraffic { get; } = footTraffic;
    public ServiceClient Insights { get; } = insights;
    public ServiceClient Portal { get; } = portal;

    /// <summary>Clients for every service, each with a token for that service's audience.</summary>
    public static SeedApi Create(CliSettings settings, Func<ServiceInfo, string> tokenFor)
    {
        ServiceClient Client(ServiceInfo service) => new(service, settings.BaseAddress(service), tokenFor(service));
        return new SeedApi(
            Client(ServiceCatalog.CustomerCare),
            Client(ServiceCatalog.Acquisition),
            Client(ServiceCatalog.FootTraffic),
            Client(ServiceCatalog.Insights),
            Client(ServiceCatalog.Portal));
    }

    public Task<List<RelationshipManagerView>> ListRelationshipManagersAsync(CancellationToken ct) =>
        CustomerCare.GetAsync<List<RelationshipManagerView>>("/api/relationship-managers", ct);

    public Task SaveRelationshipManagerAsync(DemoRelationshipManager manager, CancellationToken ct) =>
        CustomerCare.SendAsync(HttpMethod.Put, "/api/relationship-managers",
            new SaveRelationshipManager(manager.StaffId, manager.Name, manager.BranchCode, manager.Capacity), ct);

    public async Task<Guid> RecordProspectAsync(DemoProspect prospect, CancellationToken ct) =>
        (await Acquisition.SendAsync<ProspectCreated>(HttpMethod.Post, "/api/prospects",
            new RecordProspect(prospect.FullName, prospect.Phone, prospect.BranchCode, prospect.CampaignCode), ct)).Id;

    public async Task<Guid> ConvertAsync(Guid prospectId, DemoConversion conversion, CancellationToken ct) =>
        (await Acquisition.SendAsync<ProspectConversionResult>(HttpMethod.Post, $"/api/prospects/{prospectId}/conversion",
            new ConvertProspect(conversion.CustomerNumber, conversion.AccountNumber, conversion.InitialDeposit), ct)).CustomerId;

    public Task RecordVisitAsync(DemoVisit visit, Guid? customerId, CancellationToken ct) =>
        FootTraffic.SendAsync(HttpMethod.Post, "/api/visits",
            // In UTC: foot-traffic stores what it is given, and PostgreSQL's timestamptz takes offset 0 only.
            new RecordVisit(visit.BranchCode, customerId, visit.TicketNumber, visit.ServiceType,
                DemoPlanGenerator.SoFar(visit.ArrivedAt, DateTimeOffset.UtcNow).ToUniversalTime()), ct);

    public Task SaveSignInAsync(DemoSignIn signIn, CancellationToken ct) =>
        Portal.SendAsync(HttpMethod.Put, "/api/staff-accounts",
            new SaveStaffAccount(signIn.UserName, DemoNetwork.Password, signIn.DisplayName, signIn.Role, signIn.StaffId, signIn.BranchCode, signIn.RegionCode), ct);

    public Task SaveRegionAsync(DemoRegion region, CancellationToken ct) =>
        Portal.SendAsync(HttpMethod.Put, "/api/regions", new SaveRegion(region.Code, region.Name, region.BranchCodes), ct);

    public Task<List<BranchStatisticsView>> BranchStatisticsAsync(CancellationToken ct) =>
        Insights.GetAsync<List<BranchStatisticsView>>("/api/branch-stats", ct);

    public void Dispose()
    {
        CustomerCare.Dispose();
        Acquisition.Dispose();
        FootTraffic.Dispose();
        Insights.Dispose();
        Portal.Dispose();
    }
}
