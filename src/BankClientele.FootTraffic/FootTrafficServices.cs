using BankClientele.FootTraffic.Visits;
using BankClientele.Hosting.Database;
using BankClientele.Hosting.Messaging;

namespace BankClientele.FootTraffic;

public static class FootTrafficServices
{
    public const string ServiceName = "foot-traffic";

    public static WebApplicationBuilder AddFootTrafficServices(this WebApplicationBuilder builder)
    {
        // Called here, not in Hosting: its source generator only sees this project's request types.
        builder.Services.AddValidation();
        builder.AddServiceDatabase<FootTrafficDbContext>();
        builder.AddServiceBus<FootTrafficDbContext>(ServiceName, _ => { });
        return builder;
    }

    public static WebApplication MapFootTrafficEndpoints(this WebApplication app)
    {
        app.MapVisitEndpoints();
        return app;
    }
}
