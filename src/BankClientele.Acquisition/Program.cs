using BankClientele.Acquisition;
using BankClientele.Hosting;

var builder = WebApplication.CreateBuilder(args);
builder.AddServiceDefaults(AcquisitionServices.ServiceName);
builder.AddAcquisitionServices();

var app = builder.Build();
app.UseServiceDefaults();
app.MapAcquisitionEndpoints();
await app.RunOrMigrateAsync<AcquisitionDbContext>(args);
