using System.Net;
using System.Net.Sockets;
using BankClientele.Portal.Accounts;
using BankClientele.Portal.Services;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Mvc.Testing;
using Microsoft.AspNetCore.TestHost;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;

namespace BankClientele.Portal.Tests;

/// <summary>
/// The portal on a real Kestrel port (for Chromium), on its own test database, calling the
/// in-process services (real databases and broker) through their test servers.
/// </summary>
public sealed class PortalFactory(ServiceSystem services) : WebApplicationFactory<PortalDbContext>
{
    public const string Database = "bankclientele_test_ui_portal";

    public int Port { get; } = FreePort();

    public Uri Address => new($"http://127.0.0.1:{Port}");

    protected override void ConfigureWebHost(IWebHostBuilder builder)
    {
        builder.UseEnvironment("Testing");
        builder.UseStaticWebAssets(); // app.css, Radzen and blazor.web.js from the build output
        builder.UseSetting("ConnectionStrings:Database", TestServers.Database(Database));
        builder.UseSetting("Auth:SigningKey", TestServers.SigningKey);
        builder.UseSetting("Serilog:MinimumLevel:Default", "Warning");
        var servers = new Dictionary<string, Func<TestServer>>
        {
            [ServiceNames.CustomerCare] = () => services.CustomerCare.Server,
            [ServiceNames.Acquisition] = () => services.Acquisition.Server,
            [ServiceNames.FootTraffic] = () => services.FootTraffic.Server,
            [ServiceNames.Insights] = () => services.Insights.Server,
        };
        foreach (var name in servers.Keys)
        {
            builder.UseSetting($"Services:{name}", "http://localhost");
        }
        builder.ConfigureTestServices(registrations =>
        {
            foreach (var (name, server) in servers)
            {
                registrations.AddHttpClient(name).ConfigurePrimaryHttpMessageHandler(() => server().CreateHandler());
            }
        });
    }

    public async Task StartAsync()
    {
        await TestDatabases.DropAsync(Database);
        await using (var db = Hosting.Database.DatabaseRegistration.CreateContext<PortalDbContext>(TestServers.Database(Database)))
        {
            await db.Database.MigrateAsync();
        }
        UseKestrel(Port);
        StartServer();
    }

    private static int FreePort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }
}
