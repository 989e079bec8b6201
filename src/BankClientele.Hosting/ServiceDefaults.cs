using BankClientele.Hosting.Messaging;
using BankClientele.Hosting.Auth;
using BankClientele.Hosting.Database;
using BankClientele.Hosting.Time;
using Hangfire;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Diagnostics.HealthChecks;
using Microsoft.AspNetCore.Http;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Npgsql;
using OpenTelemetry;
using OpenTelemetry.Metrics;
using OpenTelemetry.Resources;
using OpenTelemetry.Trace;
using Scalar.AspNetCore;
using Serilog;
using Serilog.Formatting.Compact;

namespace BankClientele.Hosting;

/// <summary>What every service (and the portal) shares at start-up.</summary>
public static class ServiceDefaults
{
    /// <summary>A service: observability plus OpenAPI and the staff JWT required on every endpoint.</summary>
    public static WebApplicationBuilder AddServiceDefaults(this WebApplicationBuilder builder, string serviceName)
    {
        builder.AddObservability(serviceName);
        builder.Services.AddOpenApi();
        builder.AddStaffTokenAuthentication(StaffAudiences.Of(serviceName));
        builder.Services.AddBusQueueOperations();
        builder.Services.AddBranchClock();
        return builder;
    }

    /// <summary>The system's <see cref="TimeProvider"/> (unless a test gave its own) and the branches' <see cref="BranchClock"/> on it.</summary>
    public static IServiceCollection AddBranchClock(this IServiceCollection services)
    {
        services.TryAddSingleton(TimeProvider.System);
        services.TryAddSingleton<BranchClock>();
        return services;
    }

    /// <summary>Structured logs, traces and metrics, problem details and health checks.</summary>
    public static WebApplicationBuilder AddObservability(this WebApplicationBuilder builder, string serviceName)
    {
        builder.Services.AddSerilog((services, logger) => logger
            .ReadFrom.Configuration(builder.Configuration)
            .Enrich.FromLogContext()
            .Enrich.WithProperty("service", serviceName)
            .WriteTo.Console(new RenderedCompactJsonFormatter()));

        var otel = builder.Services.AddOpenTelemetry()
            .ConfigureResource(resource => resource.AddService(serviceName))
            .WithTracing(tracing => tracing
                .AddAspNetCoreInstrumentation()
                .AddHttpClientInstrumentation()
                .AddNpgsql()
                .AddSource("MassTransit"))
            .WithMetrics(metrics => metrics
                .AddAspNetCoreInstrumentation()
                .AddHttpClientInstrumentation()
                .AddRuntimeInstrumentation()
                .AddMeter("MassTransit")
                .AddMeter(StaleMessages.MeterName));
        // Export only where a collector is configured (the standard OTEL_* variables).
        if (!string.IsNullOrWhiteSpace(builder.Configuration["OTEL_EXPORTER_OTLP_ENDPOINT"]))
        {
            otel.UseOtlpExporter();
        }

        builder.Services.AddProblemDetails(options => options.CustomizeProblemDetails = Refusals.CodedProblems.AddInvalidFieldsCode);
        builder.Services.AddHealthChecks();
        return builder;
    }

    /// <summary>Health endpoints (anonymous), OpenAPI (authenticated) and the error pipeline.</summary>
    public static WebApplication UseServiceDefaults(this WebApplication app)
    {
        app.UseExceptionHandler();
        app.UseStatusCodePages();
        app.UseAuthentication();
        app.UseAuthorization();

        app.MapHealthEndpoints();
        app.MapOutboxStatus();
        app.MapBusQueueOperations();
        if (app.Environment.IsDevelopment())
        {
            // API reference for developers only: Scalar serves its assets anonymously.
            app.MapOpenApi();
            app.MapScalarApiReference();
        }
        return app;
    }

    /// <summary>Live: the process answers. Ready: its database (and broker, where it has one) answer too.</summary>
    public static WebApplication MapHealthEndpoints(this WebApplication app)
    {
        app.MapHealthChecks("/health/live", new HealthCheckOptions { Predicate = _ => false }).AllowAnonymous();
        app.MapHealthChecks("/health/ready", new HealthCheckOptions { Predicate = check => check.Tags.Contains("ready") }).AllowAnonymous();
        return app;
    }

    /// <summary>
    /// Runs the service, or with the argument "migrate" applies its migrations (and Hangfire's
    /// schema) and exits, as a deployment's migrate job does. Replicas never migrate at start-up.
    /// </summary>
    public static async Task RunOrMigrateAsync<TContext>(this WebApplication app, string[] args) where TContext : DbContext
    {
        if (args.Contains("migrate"))
        {
            await app.MigrateAsync<TContext>();
            return;
        }
        await app.RunAsync();
    }

    public static async Task MigrateAsync<TContext>(this WebApplication app) where TContext : DbContext
    {
        await using var scope = app.Services.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<TContext>();
        var pending = (await db.Database.GetPendingMigrationsAsync()).ToList();
        await db.Database.MigrateAsync();
        // Creating the storage installs or upgrades Hangfire's own schema.
        _ = scope.ServiceProvider.GetService<JobStorage>();
        app.Logger.LogInformation("Migrated {Context}: {Count} migration(s) applied", typeof(TContext).Name, pending.Count);
    }
}
