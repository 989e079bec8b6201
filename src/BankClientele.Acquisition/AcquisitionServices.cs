using BankClientele.Acquisition.Prospects;
using BankClientele.Hosting.Database;
using BankClientele.Hosting.Messaging;

namespace BankClientele.Acquisition;

public static class AcquisitionServices
{
    public const string ServiceName = "acquisition";

    public static WebApplicationBuilder AddAcquisitionServices(this WebApplicationBuilder builder)
    {
        // Called here, not in Hosting: its source generator only sees this project's request types.
        builder.Services.AddValidation();
        builder.AddServiceDatabase<AcquisitionDbContext>();
        builder.AddServiceBus<AcquisitionDbContext>(ServiceName, _ => { });
        return builder;
    }

    public static WebApplication MapAcquisitionEndpoints(this WebApplication app)
    {
        app.MapProspectEndpoints();
        return app;
    }
}
