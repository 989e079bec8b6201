using BankClientele.CustomerCare.Assignment;
using BankClientele.CustomerCare.Book;
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
        builder.AddServiceBus<CustomerCareDbContext>(ServiceName, bus => bus.AddConsumer<ProspectConvertedConsumer>());
        builder.Services.AddScoped<RelationshipManagerPicker>();
        // API views are projected from the book with AutoMapper (ProjectTo over the EF queries).
        builder.Services.AddAutoMapper(
            mapping => mapping.LicenseKey = builder.Configuration["AutoMapper:LicenseKey"] is { Length: > 0 } key ? key : null,
            typeof(CustomerCareServices).Assembly);
        return builder;
    }

    public static WebApplication MapCustomerCareEndpoints(this WebApplication app)
    {
        app.MapCustomerEndpoints();
        app.MapRelationshipManagerEndpoints();
        app.MapPersonalDataAudit();
        return app;
    }
}
