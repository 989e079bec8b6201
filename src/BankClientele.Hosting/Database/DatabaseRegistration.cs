using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Design;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Npgsql;

namespace BankClientele.Hosting.Database;

public static class DatabaseRegistration
{
    /// <summary>The connection string every service reads: ConnectionStrings:Database.</summary>
    public static string GetDatabaseConnectionString(this IConfiguration configuration) =>
        configuration.GetConnectionString("Database")
        ?? throw new InvalidOperationException("ConnectionStrings:Database is not set.");

    /// <summary>Registers the service's own PostgreSQL database and its DbContext.</summary>
    public static IHostApplicationBuilder AddServiceDatabase<TContext>(this IHostApplicationBuilder builder)
        where TContext : DbContext
    {
        // Configuration is read when first needed, so hosts built by tests can override it.
        builder.Services.AddSingleton(services =>
            new NpgsqlDataSourceBuilder(services.GetRequiredService<IConfiguration>().GetDatabaseConnectionString()).Build());
        builder.Services.AddDbContext<TContext>((services, options) =>
            Configure(options, services.GetRequiredService<NpgsqlDataSource>(), typeof(TContext).Assembly.GetName().Name!));
        if (typeof(ServiceDbContext).IsAssignableFrom(typeof(TContext)))
        {
            // Shared endpoints (the personal-data audit) reach the service's context by its base type.
            builder.Services.AddScoped(services => (ServiceDbContext)(object)services.GetRequiredService<TContext>());
        }
        builder.Services.AddHealthChecks().AddDbContextCheck<TContext>("database", tags: ["ready"]);
        return builder;
    }

    public static void Configure(DbContextOptionsBuilder options, NpgsqlDataSource dataSource, string migrationsAssembly) =>
        options
            .UseNpgsql(dataSource, npgsql => npgsql.MigrationsAssembly(migrationsAssembly))
            .UseSnakeCaseNamingConvention();

    /// <summary>A context outside any host (migration tools, tests): configured exactly as the service's.</summary>
    public static TContext CreateContext<TContext>(string connectionString) where TContext : DbContext
    {
        // A connection string (not a data source) lets Npgsql share one pool per database.
        var options = new DbContextOptionsBuilder<TContext>()
            .UseNpgsql(connectionString, npgsql => npgsql.MigrationsAssembly(typeof(TContext).Assembly.GetName().Name!))
            .UseSnakeCaseNamingConvention();
        return (TContext)Activator.CreateInstance(typeof(TContext), options.Options)!;
    }
}

/// <summary>
/// What <c>dotnet ef</c> uses to build a service's DbContext without starting the service.
/// Each service derives a one-line factory from it.
/// </summary>
public abstract class DesignTimeDbContextFactory<TContext> : IDesignTimeDbContextFactory<TContext>
    where TContext : DbContext
{
    public TContext CreateDbContext(string[] args)
    {
        var connectionString = Environment.GetEnvironmentVariable("ConnectionStrings__Database")
            ?? "Host=127.0.0.1;Port=55432;Database=bankclientele_design;Username=bankclientele;Password=bankclientele";
        return DatabaseRegistration.CreateContext<TContext>(connectionString);
    }
}
