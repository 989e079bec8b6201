using BankClientele.Hosting;
using BankClientele.Portal;
using BankClientele.Portal.Accounts;

var builder = WebApplication.CreateBuilder(args);
builder.AddObservability(PortalServices.ServiceName);
builder.AddPortalServices();

var app = builder.Build();
app.MapHealthEndpoints();
app.MapPortal();
await app.RunOrMigrateAsync<PortalDbContext>(args);
