using BankClientele.Portal.Exports;
using BankClientele.Hosting.Auth;
using BankClientele.Hosting.Database;
using BankClientele.Portal.Accounts;
using BankClientele.Portal.Components;
using BankClientele.Portal.Localization;
using BankClientele.Portal.Services;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Identity;
using Microsoft.AspNetCore.Localization;
using Radzen;

namespace BankClientele.Portal;

public static class PortalServices
{
    public const string ServiceName = "portal";

    public static WebApplicationBuilder AddPortalServices(this WebApplicationBuilder builder)
    {
        builder.Services.AddValidation();
        builder.AddServiceDatabase<PortalDbContext>();

        // Staff sign in with a cookie (Identity); the operator's CLI calls the account API with a JWT.
        builder.Services
            .AddIdentity<StaffAccount, IdentityRole>(options =>
            {
                options.Password.RequiredLength = 8;
                options.Lockout.MaxFailedAccessAttempts = 5;
                options.Lockout.DefaultLockoutTimeSpan = TimeSpan.FromMinutes(15);
                options.Lockout.AllowedForNewUsers = true;
                options.User.RequireUniqueEmail = false;
            })
            .AddEntityFrameworkStores<PortalDbContext>()
            .AddDefaultTokenProviders()
            .AddClaimsPrincipalFactory<StaffClaimsFactory>();
        builder.Services.ConfigureApplicationCookie(options =>
        {
            options.LoginPath = "/account/login";
            options.AccessDeniedPath = "/account/denied";
            options.Cookie.Name = "bankclientele.portal";
            options.Cookie.HttpOnly = true;
            options.Cookie.SameSite = SameSiteMode.Strict;
            options.ExpireTimeSpan = TimeSpan.FromHours(8);
            options.SlidingExpiration = true;
        });
        builder.Services.AddAuthentication().AddStaffTokens();
        builder.Services.AddAuthorization();
        builder.Services.AddCascadingAuthenticationState();

        // The four services, called as the signed-in user.
        builder.Services.AddHttpContextAccessor();
        builder.Services.AddTransient<StaffTokenHandler>();
        foreach (var service in ServiceNames.All)
        {
            builder.Services.AddHttpClient(service, (services, client) =>
                    client.BaseAddress = new Uri(services.GetRequiredService<IConfiguration>()[$"Services:{service}"]
                        ?? throw new InvalidOperationException($"Services:{service} is not set.")))
                .AddHttpMessageHandler<StaffTokenHandler>()
                .AddStandardResilienceHandler(options =>
                {
                    // A person is waiting: retry a blip quickly, then show the page without the data.
                    options.Retry.MaxRetryAttempts = 2;
                    options.Retry.Delay = TimeSpan.FromMilliseconds(200);
                    options.AttemptTimeout.Timeout = TimeSpan.FromSeconds(5);
                    options.TotalRequestTimeout.Timeout = TimeSpan.FromSeconds(12);
                });
        }
        builder.Services.AddScoped<ServiceApi>();

        // IStringLocalizer<PortalText>: the words in Localization/PortalText*.resx (Text.T reads the same).
        builder.Services.AddLocalization();
        builder.Services.Configure<RequestLocalizationOptions>(options =>
        {
            options.SetDefaultCulture(Text.Chinese).AddSupportedCultures(Text.Cultures).AddSupportedUICultures(Text.Cultures);
            // Only the user's explicit choice (cookie) or the default: not the browser's language.
            options.RequestCultureProviders = [new CookieRequestCultureProvider()];
        });
        // Pages render statically (the sign-in cookie needs HttpContext); only the chart runs
        // interactively, on data its page already fetched.
        builder.Services.AddRazorComponents().AddInteractiveServerComponents();
        builder.Services.AddRadzenComponents();
        return builder;
    }

    public static WebApplication MapPortal(this WebApplication app)
    {
        app.UseExceptionHandler("/error", createScopeForErrors: true);
        app.UseStatusCodePages();
        app.UseRequestLocalization();
        app.UseAuthentication();
        app.UseAuthorization();
        app.UseAntiforgery();
        app.MapStaticAssets();
        app.MapRazorComponents<App>() // pages carry their own [Authorize(Roles = ...)]
            .AddInteractiveServerRenderMode()
            .Add(endpoint =>
            {
                // The circuit (/_blazor) serves signed-in pages only: no circuit for strangers.
                if (endpoint is RouteEndpointBuilder { RoutePattern.RawText: { } route } && route.StartsWith("/_blazor", StringComparison.Ordinal))
                {
                    endpoint.Metadata.Add(new AuthorizeAttribute());
                }
            });
        app.MapAccountEndpoints();
        app.MapStaffAccountEndpoints();
        app.MapExports();
        return app;
    }
}
