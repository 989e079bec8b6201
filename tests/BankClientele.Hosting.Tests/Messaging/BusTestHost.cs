using BankClientele.Hosting.Database;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.Hosting;
using RabbitMQ.Client;

namespace BankClientele.Hosting.Tests.Messaging;

/// <summary>A service database with nothing but the outbox and inbox (and what a test adds with SQL), for hosts a test builds itself.</summary>
public sealed class BusTestDbContext(DbContextOptions<BusTestDbContext> options) : ServiceDbContext(options);

/// <summary>Hosts a test assembles from the project's own registration code, on the test servers.</summary>
public static class BusTestHost
{
    /// <summary>A fresh database of that name (dropped first) with the outbox and inbox tables, then any extra SQL.</summary>
    public static async Task<string> FreshDatabaseAsync(string name, string? extraSql = null)
    {
        var database = TestServers.DatabaseName(name);
        await TestDatabases.DropAsync(database);
        await using var db = DatabaseRegistration.CreateContext<BusTestDbContext>(TestServers.Database(database));
        await db.Database.EnsureCreatedAsync();
        if (extraSql is not null)
        {
            await db.Database.ExecuteSqlRawAsync(extraSql);
        }
        return database;
    }

    /// <summary>A host builder whose configuration points at the database, the test virtual host, and any extra settings.</summary>
    public static HostApplicationBuilder Builder(string database, IReadOnlyDictionary<string, string?>? settings = null)
    {
        var builder = Host.CreateApplicationBuilder(new HostApplicationBuilderSettings { DisableDefaults = true });
        builder.Configuration.AddInMemoryCollection(new Dictionary<string, string?>
        {
            ["ConnectionStrings:Database"] = TestServers.Database(database),
            ["RabbitMq:Host"] = TestServers.RabbitHost,
            ["RabbitMq:Port"] = TestServers.RabbitPort.ToString(System.Globalization.CultureInfo.InvariantCulture),
            ["RabbitMq:VirtualHost"] = TestServers.RabbitVirtualHost,
        });
        if (settings is not null)
        {
            builder.Configuration.AddInMemoryCollection(settings);
        }
        return builder;
    }

    public static ConnectionFactory Broker() => new()
    {
        HostName = TestServers.RabbitHost,
        Port = TestServers.RabbitPort,
        VirtualHost = TestServers.RabbitVirtualHost,
    };

    /// <summary>Removes what a test declared on the virtual host (deleting what is not there is no error).</summary>
    public static async Task DeleteAsync(IEnumerable<string> queues, IEnumerable<string> exchanges)
    {
        await using var connection = await Broker().CreateConnectionAsync();
        await using var channel = await connection.CreateChannelAsync();
        foreach (var queue in queues)
        {
            await channel.QueueDeleteAsync(queue, ifUnused: false, ifEmpty: false);
        }
        foreach (var exchange in exchanges)
        {
            await channel.ExchangeDeleteAsync(exchange, ifUnused: false);
        }
    }
}
