using BankClientele.CustomerCare.Calendar;
using BankClientele.CustomerCare.Segments;
using BankClientele.CustomerCare.Webhooks;
using BankClientele.Hosting.Messaging;
using BankClientele.Hosting.Jobs;
using Hangfire;
using MassTransit;
using Microsoft.Extensions.DependencyInjection.Extensions;

namespace BankClientele.CustomerCare.Revisits;

/// <summary>Revisits, their calendar feed and branch webhooks, wired into the service.</summary>
public static class RevisitRegistration
{
    public static void AddRevisitConsumers(this IBusRegistrationConfigurator bus)
    {
        bus.AddConsumer<WelcomeVisitConsumer, InboxBatchConsumerDefinition<WelcomeVisitConsumer>>();
        bus.AddConsumer<LobbyEventInvitationConsumer>();
        bus.AddConsumer<LobbyAlertConsumer>();
        bus.AddConsumer<CustomerSegmentConsumer, InboxBatchConsumerDefinition<CustomerSegmentConsumer>>();
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
        builder.Services.AddScoped<ReminderWebhookJob>();
        builder.Services.AddScoped<ReminderHandOverJob>();
        var webhooks = builder.Configuration.GetSection("Webhooks").Get<WebhookOptions>() ?? new WebhookOptions();
        builder.Services.AddSingleton(new WebhookTargets(webhooks));
        builder.Services.AddHttpClient(ReminderWebhookJob.HttpClientName, client => client.Timeout = webhooks.Timeout)
            .ConfigurePrimaryHttpMessageHandler(services => WebhookHttp.CreateHandler(services.GetRequiredService<WebhookTargets>()));
        return builder;
    }

    public static WebApplication MapRevisits(this WebApplication app)
    {
        app.MapRevisitEndpoints();
        app.MapCalendarEndpoints();
        app.MapBranchWebhookEndpoints();
        // Same id from every replica: Hangfire stores it once and runs each firing once.
        app.Services.GetRequiredService<IRecurringJobManager>().AddOrUpdate<NightlyRevisitJob>(
            NightlyRevisitJob.RecurringJobId, job => job.RunAsync(CancellationToken.None), NightlyRevisitJob.Cron,
            BackgroundJobs.InBranchTime);
        // Reminders not yet handed to Hangfire (or handed over and lost) go out within ten minutes, not the next night.
        app.Services.GetRequiredService<IRecurringJobManager>().AddOrUpdate<ReminderHandOverJob>(
            ReminderWebhookJob.HandOverJobId, job => job.RunAsync(CancellationToken.None), ReminderWebhookJob.HandOverCron,
            BackgroundJobs.InBranchTime);
        return app;
    }
}
