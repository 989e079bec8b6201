using BankClientele.Hosting.Database;
using BankClientele.Hosting.Jobs;
using BankClientele.Hosting.Messaging;
using BankClientele.Insights.BranchStats;
using Hangfire;
using MassTransit;

namespace BankClientele.Insights;

public static class InsightsServices
{
    public const string ServiceName = "insights";

    public static WebApplicationBuilder AddInsightsServices(this WebApplicationBuilder builder)
    {
        // Called here, not in Hosting: its source generator only sees this project's request types.
        builder.Services.AddValidation();
        builder.AddServiceDatabase<InsightsDbContext>();
        builder.AddServiceBus<InsightsDbContext>(ServiceName, bus =>
        {
            bus.AddConsumer<Store.CustomerCountConsumer>();
            bus.AddConsumer<Store.CustomerCountV2Consumer>();
            bus.AddConsumer<AssignmentCountConsumer>();
            bus.AddConsumer<VisitCountConsumer, InboxBatchConsumerDefinition<VisitCountConsumer>>();
            bus.AddConsumer<Store.CustomerRegisteredConsumer, InboxBatchConsumerDefinition<Store.CustomerRegisteredConsumer>>();
            bus.AddConsumer<Store.DailyBalancesConsumer, BulkBatchConsumerDefinition<Store.DailyBalancesConsumer>>();
            bus.AddConsumer<Store.CampaignAudienceConsumer>();
            bus.AddConsumer<Store.TierChangedConsumer, InboxBatchConsumerDefinition<Store.TierChangedConsumer>>();
            bus.AddConsumer<Store.ManagerAssignedConsumer, InboxBatchConsumerDefinition<Store.ManagerAssignedConsumer>>();
            bus.AddConsumer<Store.ManagerUnassignedConsumer, InboxBatchConsumerDefinition<Store.ManagerUnassignedConsumer>>();
            bus.AddConsumer<Store.SegmentChangedConsumer, InboxBatchConsumerDefinition<Store.SegmentChangedConsumer>>();
            bus.AddConsumer<Store.LobbyAttendedConsumer>();
            bus.AddConsumer<Holdings.AccountOpenedConsumer, InboxBatchConsumerDefinition<Holdings.AccountOpenedConsumer>>();
            bus.AddConsumer<Holdings.AccountOpenedV2Consumer, InboxBatchConsumerDefinition<Holdings.AccountOpenedV2Consumer>>();
            Kpis.KpiConsumerRegistration.AddKpiConsumers(bus);
        });
        // Reads queued messages of the old contracts with the matching key (ContractUpgrades).
        builder.Services.AddSingleton(services => Hosting.Privacy.PersonalDataHash.FromConfiguration(services.GetRequiredService<IConfiguration>()));
        builder.AddBackgroundJobs();
        builder.Services.AddScoped<DailySnapshotJob>();
        builder.Services.AddScoped<Store.UpliftStoreRebuildJob>();
        builder.Services.AddHostedService<Store.UpliftStoreRegrouper>();
        Segmentation.SegmentationRegistration.AddSegmentation(builder);
        builder.AddMessageRetention<InsightsDbContext>();
        return builder;
    }

    public static WebApplication MapInsightsEndpoints(this WebApplication app)
    {
        app.MapBranchStatisticsEndpoints();
        Campaigns.CampaignEffectEndpoints.MapCampaignEffectEndpoints(app);
        Uplift.UpliftEndpoints.MapUpliftEndpoints(app);
        Holdings.HoldingEndpoints.MapHoldingEndpoints(app);
        app.MapJobsDashboard();
        // Same id from every replica: Hangfire stores it once and runs each firing once.
        app.Services.GetRequiredService<IRecurringJobManager>().AddOrUpdate<DailySnapshotJob>(
            DailySnapshotJob.RecurringJobId, job => job.RunAsync(CancellationToken.None), DailySnapshotJob.Cron,
            BackgroundJobs.InBranchTime);
        app.Services.GetRequiredService<IRecurringJobManager>().AddOrUpdate<Store.UpliftStoreRebuildJob>(
            Store.UpliftStoreRebuildJob.RecurringJobId, job => job.RunAsync(CancellationToken.None), "*/2 * * * *",
            BackgroundJobs.InBranchTime);
        Segmentation.SegmentationRegistration.MapSegmentation(app);
        Kpis.KpiEndpoints.MapKpiEndpoints(app);
        app.ScheduleMessageRetention<InsightsDbContext>(ServiceName);
        return app;
    }
}
