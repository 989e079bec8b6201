using BankClientele.CustomerCare;
using BankClientele.Hosting;

var builder = WebApplication.CreateBuilder(args);
builder.AddServiceDefaults(CustomerCareServices.ServiceName);
builder.AddCustomerCareServices();

var app = builder.Build();
app.UseServiceDefaults();
app.MapCustomerCareEndpoints();
await app.RunOrMigrateAsync<CustomerCareDbContext>(args);
