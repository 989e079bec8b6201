using BankClientele.Hosting.Messaging;
using BankClientele.Hosting.Jobs;
using Hangfire;
using MassTransit;

namespace BankClientele.CustomerCare.Revisits;

/// <summary>Revisits wired into the service (their calendar feed, branch webhooks and the segment consumer wire themselves in beside them).</summary>
public static class RevisitRegistration
{
    public static void AddRevisitConsumers(this IBusRegistrationConfigurator bus)
    {
        bus.AddConsumer<WelcomeVisitConsumer, InboxBatchConsumerDefinition<WelcomeVisitConsumer>>();
        bus.AddConsumer<LobbyEventInvitationConsumer>();
        bus.AddConsumer<LobbyAlertConsumer>();
    }

    public static WebApplicationBuilder AddRevisits(this WebApplicationBuilder builder)
    {
        builder.Services.AddOptions<RevisitOptions>().BindConfiguration(RevisitOptions.Section);
        // Idempotent: another feature of the service may also want Hangfire.
        if (!builder.Services.Any(s => s.ServiceType == typeof(JobStorage)))
        {
            builder.AddBackgroundJobs();
        }
        builder.Services.AddScoped<NightlyRevisitJob>();
        return builder;
    }

    public static WebApplication MapRevisits(this WebApplication app)
    {
        app.MapRevisitEndpoints();
        // Same id from every replica: Hangfire stores it once and runs each firing once.
        app.Services.GetRequiredService<IRecurringJobManager>().AddOrUpdate<NightlyRevisitJob>(
            NightlyRevisitJob.RecurringJobId, job => job.RunAsync(CancellationToken.None), NightlyRevisitJob.Cron,
            BackgroundJobs.InBranchTime);
        return app;
    }
}
