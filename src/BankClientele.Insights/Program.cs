using BankClientele.Insights;
using BankClientele.Hosting;

var builder = WebApplication.CreateBuilder(args);
builder.AddServiceDefaults(InsightsServices.ServiceName);
builder.AddInsightsServices();

var app = builder.Build();
app.UseServiceDefaults();
app.MapInsightsEndpoints();
await app.RunOrMigrateAsync<InsightsDbContext>(args);
