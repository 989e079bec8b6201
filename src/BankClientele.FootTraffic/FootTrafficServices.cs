using BankClientele.Hosting.Jobs;
using BankClientele.FootTraffic.Audit;
using BankClientele.FootTraffic.Campaigns;
using BankClientele.FootTraffic.Customers;
using BankClientele.FootTraffic.Lobby;
using BankClientele.FootTraffic.Staffing;
using BankClientele.FootTraffic.Visits;
using BankClientele.Hosting.Database;
using BankClientele.Hosting.Messaging;
using BankClientele.Hosting.Privacy;
using MassTransit;

namespace BankClientele.FootTraffic;

public static class FootTrafficServices
{
    public const string ServiceName = "foot-traffic";

    public static WebApplicationBuilder AddFootTrafficServices(this WebApplicationBuilder builder)
    {
        // Called here, not in Hosting: its source generator only sees this project's request types.
        builder.Services.AddValidation();
        builder.AddServiceDatabase<FootTrafficDbContext>();
        builder.Services.Configure<FootTrafficOptions>(builder.Configuration.GetSection("FootTraffic"));
        PersonalDataHash.AddPersonalDataHash(builder.Services);
        builder.Services.AddSingleton<VisitLogImporter>();
        builder.Services.AddScoped<VisitIdentification>();
        builder.AddServiceBus<FootTrafficDbContext>(ServiceName, bus =>
        {
            bus.AddConsumer<CustomerRegisteredConsumer, InboxBatchConsumerDefinition<CustomerRegisteredConsumer>>();
            bus.AddConsumer<CustomerTierChangedConsumer, InboxBatchConsumerDefinition<CustomerTierChangedConsumer>>();
            bus.AddConsumer<CustomerSegmentChangedConsumer, InboxBatchConsumerDefinition<CustomerSegmentChangedConsumer>>();
            bus.AddConsumer<ProspectConvertedConsumer>();
            bus.AddConsumer<ProspectConvertedV2Consumer>();
            bus.AddConsumer<BundleAcceptedConsumer>();
            bus.AddConsumer<ProspectsRecordedConsumer>();
            bus.AddConsumer<CampaignAudienceConsumer>();
        });
        builder.AddMessageRetention<FootTrafficDbContext>();
        return builder;
    }

    public static WebApplication MapFootTrafficEndpoints(this WebApplication app)
    {
        app.MapVisitEndpoints();
        app.MapQueueEndpoints();
        app.MapStaffingEndpoints();
        app.MapAuditEndpoints();
        app.MapLobbyEndpoints();
        app.MapJobsDashboard();
        app.ScheduleMessageRetention<FootTrafficDbContext>(ServiceName);
        return app;
    }
}
