using BankClientele.CustomerCare.Revisits;
using BankClientele.Hosting.Jobs;
using Hangfire;

namespace BankClientele.CustomerCare.Webhooks;

/// <summary>Revisit reminders to branch group-bot webhooks, wired into the service: the nightly pass hands its reminders over through <see cref="IReminderHandOver"/>.</summary>
public static class WebhookRegistration
{
    public static WebApplicationBuilder AddReminderWebhooks(this WebApplicationBuilder builder)
    {
        builder.Services.AddScoped<ReminderWebhookJob>();
        builder.Services.AddScoped<ReminderHandOverJob>();
        builder.Services.AddScoped<IReminderHandOver>(services => services.GetRequiredService<ReminderHandOverJob>());
        var webhooks = builder.Configuration.GetSection("Webhooks").Get<WebhookOptions>() ?? new WebhookOptions();
        builder.Services.AddSingleton(new WebhookTargets(webhooks));
        builder.Services.AddHttpClient(ReminderWebhookJob.HttpClientName, client => client.Timeout = webhooks.Timeout)
            .ConfigurePrimaryHttpMessageHandler(services => WebhookHttp.CreateHandler(services.GetRequiredService<WebhookTargets>()));
        return builder;
    }

    public static WebApplication MapReminderWebhooks(this WebApplication app)
    {
        app.MapBranchWebhookEndpoints();
        // Reminders not yet handed to Hangfire (or handed over and lost) go out within ten minutes, not the next night.
        app.Services.GetRequiredService<IRecurringJobManager>().AddOrUpdate<ReminderHandOverJob>(
            ReminderWebhookJob.HandOverJobId, job => job.RunAsync(CancellationToken.None), ReminderWebhookJob.HandOverCron,
            BackgroundJobs.InBranchTime);
        return app;
    }
}
