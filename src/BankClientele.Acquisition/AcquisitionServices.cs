using BankClientele.Hosting.Jobs;
using BankClientele.Acquisition.Audit;
using BankClientele.Acquisition.Campaigns;
using BankClientele.Acquisition.Customers;
using BankClientele.Acquisition.Funnel;
using BankClientele.Acquisition.Import;
using BankClientele.Acquisition.Partners;
using BankClientele.Acquisition.Prospects;
using BankClientele.Acquisition.Segments;
using BankClientele.Hosting.Database;
using BankClientele.Hosting.Messaging;
using BankClientele.Hosting.Privacy;
using MassTransit;

namespace BankClientele.Acquisition;

public static class AcquisitionServices
{
    public const string ServiceName = "acquisition";

    public static WebApplicationBuilder AddAcquisitionServices(this WebApplicationBuilder builder)
    {
        // Called here, not in Hosting: its source generator only sees this project's request types.
        builder.Services.AddValidation();
        builder.AddServiceDatabase<AcquisitionDbContext>();
        PersonalDataHash.AddPersonalDataHash(builder.Services);
        builder.AddServiceBus<AcquisitionDbContext>(ServiceName, bus =>
        {
            bus.AddConsumer<AccountOpenedConsumer, InboxBatchConsumerDefinition<AccountOpenedConsumer>>();
            bus.AddConsumer<AccountOpenedV2Consumer, InboxBatchConsumerDefinition<AccountOpenedV2Consumer>>();
            bus.AddConsumer<ConvertedCustomerDepositsConsumer>();
            bus.AddConsumer<CustomerRegisteredConsumer, InboxBatchConsumerDefinition<CustomerRegisteredConsumer>>();
            bus.AddConsumer<CustomerSegmentChangedConsumer, InboxBatchConsumerDefinition<CustomerSegmentChangedConsumer>>();
            bus.AddConsumer<RelationshipManagerAssignedConsumer>();
            bus.AddConsumer<RelationshipManagerUnassignedConsumer>();
            bus.AddConsumer<WalkInIdentifiedConsumer>();
            bus.AddConsumer<WalkInIdentifiedV2Consumer>();
            bus.AddConsumer<LobbyInvitationConsumer>();
            bus.AddConsumer<LobbyAttendanceConsumer>();
        });
        // Balances now come as ConvertedCustomerDeposits (converted customers only), not the network's DailyBalancesRecorded.
        builder.Services.AddRetiredQueues("acquisition-daily-balances");
        builder.AddMessageRetention<AcquisitionDbContext>();
        return builder;
    }

    public static WebApplication MapAcquisitionEndpoints(this WebApplication app)
    {
        app.MapProspectEndpoints();
        app.MapConversionEndpoints();
        app.MapAuditEndpoints();
        app.MapProspectImportEndpoints();
        app.MapCampaignEndpoints();
        app.MapPartnerEndpoints();
        app.MapSegmentEndpoints();
        app.MapJobsDashboard();
        app.ScheduleMessageRetention<AcquisitionDbContext>(ServiceName);
        return app;
    }
}
