using BankClientele.CustomerCare.Assignment;
using BankClientele.CustomerCare.Book;
using BankClientele.CustomerCare.Revisits;
using BankClientele.Hosting.Database;
using BankClientele.Hosting.Messaging;
using BankClientele.Hosting.Privacy;

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
            bus.AddRevisitConsumers();
        });
        builder.Services.AddScoped<RelationshipManagerPicker>();
        builder.AddRevisits();
        return builder;
    }

    public static WebApplication MapCustomerCareEndpoints(this WebApplication app)
    {
        app.MapCustomerEndpoints();
        app.MapRelationshipManagerEndpoints();
        app.MapPersonalDataAudit();
        app.MapRevisits();
        return app;
    }
}
