using MassTransit;
using BankClientele.Hosting.Database;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.TestHost;
using Microsoft.AspNetCore.Mvc.Testing;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;

namespace BankClientele.Testing;

/// <summary>
/// One service (named by its DbContext, a public type of its assembly) hosted in the test process over the real servers: its own test database, the test
/// virtual host, short retries, and the run's signing key.
/// </summary>
public class ServiceFactory<TContext>(string database, IReadOnlyDictionary<string, string?>? settings = null)
    : WebApplicationFactory<TContext>, IServiceHost
    where TContext : DbContext
{
    /// <summary>The service's name: its context's, without "DbContext" (CustomerCare, Acquisition, FootTraffic, Insights).</summary>
    public string Name { get; } = typeof(TContext).Name.Replace("DbContext", "", StringComparison.Ordinal);

    public string Database { get; } = TestServers.DatabaseName(database);

    /// <summary>The service's log lines, while a test records them (<see cref="LogCapture.Record"/>); nothing is kept otherwise.</summary>
    public LogCapture Logs { get; } = new();

    protected override void ConfigureWebHost(IWebHostBuilder builder)
    {
        builder.UseEnvironment("Testing");
        builder.UseSetting("ConnectionStrings:Database", TestServers.Database(Database));
        builder.UseSetting("RabbitMq:Host", TestServers.RabbitHost);
        builder.UseSetting("RabbitMq:Port", TestServers.RabbitPort.ToString(System.Globalization.CultureInfo.InvariantCulture));
        builder.UseSetting("RabbitMq:VirtualHost", TestServers.RabbitVirtualHost);
        builder.UseSetting("RabbitMq:RetryLimit", "2");
        builder.UseSetting("RabbitMq:RetryMinInterval", "00:00:00.050");
        builder.UseSetting("RabbitMq:RetryMaxInterval", "00:00:00.200");
        builder.UseSetting("Auth:PublicKey", TestServers.PublicKeyPem);
        builder.UseSetting("Privacy:MatchingKey", TestServers.MatchingKey);
        builder.UseSetting("Serilog:MinimumLevel:Default", "Warning");
        foreach (var (key, value) in settings ?? new Dictionary<string, string?>())
        {
            builder.UseSetting(key, value);
        }
        builder.ConfigureTestServices(Logs.AddTo);
    }

    /// <summary>Creates (if needed) and migrates the database, as the migrate step does, then starts the host.</summary>
    public async Task StartAsync()
    {
        await using (var db = DatabaseRegistration.CreateContext<TContext>(TestServers.Database(Database)))
        {
            await db.Database.MigrateAsync();
        }
        // Ready means its database and the broker answer, and its queues are bound: before that
        // an event published by another service would find no queue to land in.
        using var client = CreateClient();
        await Poll.UntilAsync(async () => (await client.GetAsync("/health/ready")).StatusCode, s => s == System.Net.HttpStatusCode.OK,
            $"{typeof(TContext).Name}'s host to be ready");
    }

    /// <summary>A context on this service's database, for assertions the API does not expose.</summary>
    public TContext NewDbContext() => DatabaseRegistration.CreateContext<TContext>(TestServers.Database(Database));

    public HttpClient ClientFor(Hosting.Auth.StaffIdentity staff)
    {
        var client = CreateClient();
        client.DefaultRequestHeaders.Authorization = new("Bearer", Tokens.For(staff, Audience));
        return client;
    }

    /// <summary>The audience this service accepts (its own: <see cref="Hosting.Auth.StaffAudiences"/>).</summary>
    public string Audience => Get<Hosting.Auth.StaffTokenOptions>().Audience;

    public T Get<T>() where T : notnull => Services.GetRequiredService<T>();

    /// <summary>
    /// Publishes the messages through this service's bus one after the other, each once <paramref name="consumer"/>
    /// has recorded the one before in its inbox: they reach the consumer in exactly this order.
    /// </summary>
    public async Task DeliverInOrderAsync(string consumer, params object[] messages)
    {
        foreach (var message in messages)
        {
            var messageId = Guid.NewGuid();
            await Get<IBus>().Publish(message, (PublishContext context) => context.MessageId = messageId);
            await using var db = NewDbContext();
            await Poll.UntilAsync(() => db.Set<Hosting.Messaging.InboxMessage>().AnyAsync(m => m.MessageId == messageId && m.Consumer == consumer),
                found => found, $"{message.GetType().Name} consumed by {consumer}");
        }
    }

    ServiceDbContext IServiceHost.NewServiceDbContext() => (ServiceDbContext)(DbContext)NewDbContext();
}

/// <summary>A hosted service of the test system whatever its context, for tests that walk all four.</summary>
public interface IServiceHost
{
    string Name { get; }

    IServiceProvider Services { get; }

    LogCapture Logs { get; }

    HttpClient CreateClient();

    HttpClient ClientFor(Hosting.Auth.StaffIdentity staff);

    /// <summary>A context on the service's database, as the shared <see cref="ServiceDbContext"/> (outbox, inbox, audit).</summary>
    ServiceDbContext NewServiceDbContext();
}
