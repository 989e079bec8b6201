using BankClientele.FootTraffic;
using BankClientele.Hosting;

var builder = WebApplication.CreateBuilder(args);
builder.AddServiceDefaults(FootTrafficServices.ServiceName);
builder.AddFootTrafficServices();

var app = builder.Build();
app.UseServiceDefaults();
app.MapFootTrafficEndpoints();
await app.RunOrMigrateAsync<FootTrafficDbContext>(args);
