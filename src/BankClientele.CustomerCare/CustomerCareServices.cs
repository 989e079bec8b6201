using BankClientele.CustomerCare.Notifications;
using BankClientele.CustomerCare.Audit;
using BankClientele.CustomerCare.Assignment;
using BankClientele.CustomerCare.Book;
using BankClientele.CustomerCare.Bundles;
using BankClientele.CustomerCare.Calendar;
using BankClientele.CustomerCare.Feed;
using BankClientele.CustomerCare.Managers;
using BankClientele.CustomerCare.MyBook;
using BankClientele.CustomerCare.Onboarding;
using BankClientele.CustomerCare.Tiers;
using BankClientele.CustomerCare.Revisits;
using BankClientele.CustomerCare.Segments;
using BankClientele.CustomerCare.Staff;
using BankClientele.CustomerCare.Webhooks;
using BankClientele.Hosting.Database;
using BankClientele.Hosting.Jobs;
using BankClientele.Hosting.Messaging;
using BankClientele.Hosting.Privacy;
using Hangfire;
using Hangfire.AspNetCore;
using MassTransit;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Options;

namespace BankClientele.CustomerCare;

public static class CustomerCareServices
{
    public const string ServiceName = "customer-care";

    public static WebApplicationBuilder AddCustomerCareServices(this WebApplicationBuilder builder)
    {
        // Called here, not in Hosting: its source generator only sees this project's request types.
        builder.Services.AddValidation();
        builder.AddServiceDatabase<CustomerCareDbContext>();
        builder.AddServiceBus<CustomerCareDbContext>(ServiceName, bus =>
        {
            bus.AddConsumer<ProspectConvertedConsumer>();
            bus.AddConsumer<ProspectConvertedV2Consumer>();
            bus.AddRevisitConsumers();
            bus.AddConsumer<CustomerSegmentConsumer, InboxBatchConsumerDefinition<CustomerSegmentConsumer>>();
            bus.AddConsumer<Notifications.CampaignSubmittedConsumer>();
            bus.AddConsumer<Notifications.ImportFinishedConsumer>();
            bus.AddConsumer<Campaigns.CampaignAudienceConsumer>();
        });
        // This host's own job activator (Hangfire's default is process-wide: with several hosts in one
        // process, as in tests, jobs were built from another host's container). Belongs in Hosting.
        builder.Services.AddSingleton<JobActivator>(services => new AspNetCoreJobActivator(services.GetRequiredService<IServiceScopeFactory>()));
        builder.AddBackgroundJobs();
        builder.Services.Configure<AssignmentOptions>(builder.Configuration.GetSection(AssignmentOptions.Section));
        builder.Services.AddScoped<AssignmentService>();
        builder.Services.AddScoped<AssignmentJob>();
        builder.Services.AddScoped<OfferExpiryJob>();
        builder.Services.AddScoped<RelationshipManagerPicker>();
        // API views are projected from the book with AutoMapper (ProjectTo over the EF queries).
        builder.Services.AddAutoMapper(
            mapping => mapping.LicenseKey = builder.Configuration["AutoMapper:LicenseKey"] is { Length: > 0 } key ? key : null,
            typeof(CustomerCareServices).Assembly);
        PersonalDataHash.AddPersonalDataHash(builder.Services);
        builder.Services.AddSingleton(services =>
            new TierRules(services.GetRequiredService<IConfiguration>().GetSection(TierOptions.Section).Get<TierOptions>() ?? new TierOptions()));
        builder.Services.AddScoped<TierCalculator>();
        builder.Services.AddScoped<ITierRecalculation>(services => services.GetRequiredService<TierCalculator>());
        builder.Services.AddScoped<TierRecalculationJob>();
        builder.Services.AddScoped<FeedImporter>();
        builder.Services.AddScoped<CustomerFeed>();
        builder.Services.AddScoped<HoldingFeed>();
        builder.Services.AddScoped<BalanceFeed>();
        builder.AddRevisits();
        builder.AddReminderWebhooks();
        builder.AddMessageRetention<CustomerCareDbContext>();
        return builder;
    }

    public static WebApplication MapCustomerCareEndpoints(this WebApplication app)
    {
        app.MapCustomerEndpoints();
        app.MapBookSummaryEndpoints();
        app.MapFeedEndpoints();
        app.MapTierEndpoints();
        app.MapJobsDashboard();
        // Same id from every replica: Hangfire stores it once and runs each firing once.
        app.Services.GetRequiredService<IRecurringJobManager>().AddOrUpdate<TierRecalculationJob>(
            TierRecalculationJob.RecurringJobId, job => job.RunAsync(CancellationToken.None), TierRecalculationJob.Cron,
            BackgroundJobs.InBranchTime);
        app.MapRelationshipManagerEndpoints();
        app.MapStaffEndpoints();
        app.MapAuditEndpoints();
        app.MapAssignmentEndpoints();
        app.MapBundleEndpoints();
        app.MapPersonalDataAudit();
        // Same id from every replica: Hangfire stores it once and runs each firing once.
        var assignment = app.Services.GetRequiredService<IOptions<AssignmentOptions>>().Value;
        app.Services.GetRequiredService<IRecurringJobManager>().AddOrUpdate<AssignmentJob>(
            AssignmentJob.RecurringJobId, job => job.RunAsync(CancellationToken.None), assignment.NightlyCron,
            BackgroundJobs.InBranchTime);
        app.Services.GetRequiredService<IRecurringJobManager>().AddOrUpdate<OfferExpiryJob>(
            OfferExpiryJob.RecurringJobId, job => job.RunAsync(CancellationToken.None), "10 * * * *",
            BackgroundJobs.InBranchTime);
        app.MapRevisits();
        app.MapCalendarEndpoints();
        app.MapReminderWebhooks();
        app.ScheduleMessageRetention<CustomerCareDbContext>(ServiceName);
        app.MapNotificationEndpoints();
        return app;
    }
}
