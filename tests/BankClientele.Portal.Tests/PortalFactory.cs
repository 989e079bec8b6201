using System.Net;
using System.Net.Sockets;
using BankClientele.Portal.Accounts;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Http.Features;
using Microsoft.AspNetCore.Mvc.Testing;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;

namespace BankClientele.Portal.Tests;

/// <summary>
/// The portal on a real Kestrel port (for Chromium) on its test database, calling the services
/// over HTTP at <paramref name="services"/> (Services:* as in appsettings.json), exactly as it
/// does in production: typed clients, the staff-token handler, the resilience pipeline.
/// </summary>
public sealed class PortalFactory(IReadOnlyDictionary<string, Uri> services, IReadOnlyDictionary<string, string?>? settings = null)
    : WebApplicationFactory<PortalDbContext>
{
    public static readonly string Database = TestServers.DatabaseName("bankclientele_test_portal");

    public Uri Address { get; private set; } = null!;

    protected override void ConfigureWebHost(IWebHostBuilder builder)
    {
        builder.UseEnvironment("Testing");
        builder.UseStaticWebAssets(); // app.css, Radzen and blazor.web.js from the build output
        builder.UseSetting("ConnectionStrings:Database", TestServers.Database(Database));
        builder.UseSetting("Auth:PrivateKey", TestServers.PrivateKeyPem);
        builder.UseSetting("Serilog:MinimumLevel:Default", "Warning");
        builder.UseSetting("Serilog:MinimumLevel:Override:Polly", "Error"); // retries against a service that is down on purpose
        foreach (var (name, address) in services)
        {
            builder.UseSetting($"Services:{name}", address.ToString());
        }
        foreach (var (key, value) in settings ?? new Dictionary<string, string?>())
        {
            builder.UseSetting(key, value);
        }
    }

    /// <summary>A fresh portal database, migrated (as the portal's migrate step does).</summary>
    public static async Task CreateDatabaseAsync()
    {
        await TestDatabases.DropAsync(Database);
        await using var db = Hosting.Database.DatabaseRegistration.CreateContext<PortalDbContext>(TestServers.Database(Database));
        await db.Database.MigrateAsync();
    }

    public void Start()
    {
        UseKestrel(0);
        StartServer();
        Address = KestrelAddress(this);
    }

    /// <summary>Where a factory started with <c>UseKestrel(0)</c> listens.</summary>
    public static Uri KestrelAddress<T>(WebApplicationFactory<T> factory) where T : class =>
        new(factory.Services.GetRequiredService<IServer>().Features.GetRequiredFeature<IServerAddressesFeature>().Addresses.First());

    /// <summary>An address nobody listens on: a service that is down.</summary>
    public static Uri Nowhere()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return new Uri($"http://127.0.0.1:{((IPEndPoint)listener.LocalEndpoint).Port}");
    }
}
