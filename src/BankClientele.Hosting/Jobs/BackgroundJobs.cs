using BankClientele.Hosting.Auth;
using BankClientele.Hosting.Database;
using BankClientele.Hosting.Time;
using Hangfire;
using Hangfire.Dashboard;
using Hangfire.PostgreSql;
using Hangfire.PostgreSql.Factories;
using Microsoft.AspNetCore.Builder;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;

namespace BankClientele.Hosting.Jobs;

public static class BackgroundJobs
{
    /// <summary>
    /// Hangfire with its storage (schema "hangfire") in the service's own database. Replicas share
    /// that storage, so a recurring job with an explicit id is stored once and each firing runs once.
    /// </summary>
    public static IHostApplicationBuilder AddBackgroundJobs(this IHostApplicationBuilder builder)
    {
        // Idempotent: the bus (message retention) and a service's own features both ask for it.
        if (builder.Services.Any(s => s.ServiceType == typeof(JobStorage)))
        {
            return builder;
        }
        // Registered before AddHangfire so each host keeps its own storage instead of the static
        // JobStorage.Current (several services can share one process in tests).
        builder.Services.AddSingleton<JobStorage>(services =>
        {
            var storageOptions = new PostgreSqlStorageOptions
            {
                SchemaName = "hangfire",
                PrepareSchemaIfNecessary = true,
                QueuePollInterval = TimeSpan.FromSeconds(1), // pick enqueued jobs up promptly
            };
            var connectionString = services.GetRequiredService<IConfiguration>().GetDatabaseConnectionString();
            return new PostgreSqlStorage(new NpgsqlConnectionFactory(connectionString, storageOptions), storageOptions);
        });
        builder.Services.AddHangfire(config => config
            .SetDataCompatibilityLevel(CompatibilityLevel.Version_180)
            .UseSimpleAssemblyNameTypeSerializer()
            .UseRecommendedSerializerSettings());
        builder.Services.AddHangfireServer(options =>
        {
            options.WorkerCount = 2;
            options.SchedulePollingInterval = TimeSpan.FromSeconds(1);
        });
        return builder;
    }

    /// <summary>
    /// Every recurring job's schedule is in branch time (Beijing): its cron reads as the branches'
    /// clock, one zone for all of them, whatever the server's zone.
    /// </summary>
    public static RecurringJobOptions InBranchTime => new() { TimeZone = BranchClock.Zone };

    /// <summary>The Hangfire dashboard at /hangfire, for administrators only.</summary>
    public static WebApplication MapJobsDashboard(this WebApplication app)
    {
        app.MapHangfireDashboard("/hangfire", new DashboardOptions
        {
            Authorization = [new AdministratorsOnly()],
            DisplayStorageConnectionString = false,
        });
        return app;
    }

    private sealed class AdministratorsOnly : IDashboardAuthorizationFilter
    {
        public bool Authorize(DashboardContext context) =>
            context.GetHttpContext().User.IsInRole(StaffRoles.Administrator);
    }
}
