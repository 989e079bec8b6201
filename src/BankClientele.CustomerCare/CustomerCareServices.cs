using BankClientele.CustomerCare.Assignment;
using BankClientele.CustomerCare.Book;
using BankClientele.CustomerCare.Feed;
using BankClientele.CustomerCare.Tiers;
using BankClientele.Hosting.Database;
using BankClientele.Hosting.Jobs;
using BankClientele.Hosting.Messaging;
using BankClientele.Hosting.Privacy;
using Hangfire;

namespace BankClientele.CustomerCare;

public static class CustomerCareServices
{
    public const string ServiceName = "customer-care";

    public static WebApplicationBuilder AddCustomerCareServices(this WebApplicationBuilder builder)
    {
        // Called here, not in Hosting: its source generator only sees this project's request types.
        builder.Services.AddValidation();
        builder.AddServiceDatabase<CustomerCareDbContext>();
        builder.AddServiceBus<CustomerCareDbContext>(ServiceName, bus => bus.AddConsumer<ProspectConvertedConsumer>());
        builder.Services.AddScoped<RelationshipManagerPicker>();
        // API views are projected from the book with AutoMapper (ProjectTo over the EF queries).
        builder.Services.AddAutoMapper(
            mapping => mapping.LicenseKey = builder.Configuration["AutoMapper:LicenseKey"] is { Length: > 0 } key ? key : null,
            typeof(CustomerCareServices).Assembly);
        builder.Services.AddSingleton(services => PersonalDataHash.FromConfiguration(services.GetRequiredService<IConfiguration>()));
        builder.Services.AddSingleton(services =>
            new TierRules(services.GetRequiredService<IConfiguration>().GetSection(TierOptions.Section).Get<TierOptions>() ?? new TierOptions()));
        builder.Services.AddScoped<TierCalculator>();
        builder.Services.AddScoped<TierRecalculationJob>();
        builder.AddBackgroundJobs();
        builder.Services.AddScoped<FeedImporter>();
        builder.Services.AddScoped<CustomerFeed>();
        builder.Services.AddScoped<HoldingFeed>();
        builder.Services.AddScoped<BalanceFeed>();
        return builder;
    }

    public static WebApplication MapCustomerCareEndpoints(this WebApplication app)
    {
        app.MapCustomerEndpoints();
        app.MapFeedEndpoints();
        app.MapTierEndpoints();
        app.MapJobsDashboard();
        // Same id from every replica: Hangfire stores it once and runs each firing once.
        app.Services.GetRequiredService<IRecurringJobManager>().AddOrUpdate<TierRecalculationJob>(
            TierRecalculationJob.RecurringJobId, job => job.RunAsync(CancellationToken.None), TierRecalculationJob.Cron,
            new RecurringJobOptions { TimeZone = TimeZoneInfo.Utc });
        app.MapRelationshipManagerEndpoints();
        app.MapPersonalDataAudit();
        return app;
    }
}
