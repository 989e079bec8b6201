using BankClientele.Acquisition;
using BankClientele.Cli.Infrastructure;
using BankClientele.CustomerCare;
using BankClientele.FootTraffic;
using BankClientele.Hosting.Database;
using BankClientele.Insights;
using Microsoft.EntityFrameworkCore;

namespace BankClientele.Cli.Migrate;

/// <summary>A service whose EF Core migrations the CLI applies, and how to build its DbContext.</summary>
/// <remarks>
/// The context is built by <see cref="DatabaseRegistration.CreateContext{TContext}"/>, exactly as
/// the service builds it (Npgsql, migrations in the context's assembly, snake_case names).
/// </remarks>
public sealed record MigrationTarget(ServiceInfo Service, Func<string, DbContext> CreateContext);

public static class MigrationTargets
{
    public static readonly IReadOnlyList<MigrationTarget> All =
    [
        new(ServiceCatalog.CustomerCare, DatabaseRegistration.CreateContext<CustomerCareDbContext>),
        new(ServiceCatalog.Acquisition, DatabaseRegistration.CreateContext<AcquisitionDbContext>),
        new(ServiceCatalog.FootTraffic, DatabaseRegistration.CreateContext<FootTrafficDbContext>),
        new(ServiceCatalog.Insights, DatabaseRegistration.CreateContext<InsightsDbContext>),
        new(ServiceCatalog.Portal, DatabaseRegistration.CreateContext<BankClientele.Portal.Accounts.PortalDbContext>),
    ];

    /// <summary>Whether this build references the portal (its project is picked up when it exists).</summary>
    public static bool HasPortal => All.Any(t => t.Service == ServiceCatalog.Portal);

    public static MigrationTarget? For(ServiceInfo service) => All.FirstOrDefault(t => t.Service == service);
}
