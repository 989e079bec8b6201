using BankClientele.Portal.Exports;
using BankClientele.Portal.Imports;
using BankClientele.Hosting.Auth;
using BankClientele.Hosting.Database;
using BankClientele.Portal.Accounts;
using BankClientele.Portal.Components;
using BankClientele.Portal.Localization;
using BankClientele.Portal.Services;
using BankClientele.Hosting.Secrets;
using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.DataProtection;
using Microsoft.AspNetCore.HttpOverrides;
using Microsoft.AspNetCore.Identity;
using Microsoft.AspNetCore.Localization;
using Microsoft.Extensions.DependencyInjection.Extensions;
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
        builder.Services.TryAddSingleton(TimeProvider.System);
        builder.Services.AddScoped<StaffAdministration>();
        builder.Services.ConfigureApplicationCookie(options =>
        {
            options.LoginPath = "/account/login";
            options.AccessDeniedPath = "/account/denied";
            options.Cookie.Name = "bankclientele.portal";
            options.Cookie.HttpOnly = true;
            options.Cookie.SameSite = SameSiteMode.Strict;
            // Secure whenever the request came over TLS, also TLS ended at a trusted proxy (see UseForwardedHeaders).
            options.Cookie.SecurePolicy = CookieSecurePolicy.SameAsRequest;
            options.ExpireTimeSpan = TimeSpan.FromHours(8);
            options.SlidingExpiration = true;
            // The security stamp is checked against the database on every request: a deactivated account,
            // a reset password or a new role ends the person's open sessions at their next click. Unlike
            // Identity's SecurityStampValidator this never re-issues the cookie, so a background request
            // racing a sign-out cannot hand the browser a fresh cookie.
            options.Events.OnValidatePrincipal = async context =>
            {
                var signIn = context.HttpContext.RequestServices.GetRequiredService<SignInManager<StaffAccount>>();
                if (context.Principal is null || await signIn.ValidateSecurityStampAsync(context.Principal) is null)
                {
                    context.RejectPrincipal();
                    await context.HttpContext.SignOutAsync(IdentityConstants.ApplicationScheme);
                }
            };
        });
        // Cookies and antiforgery tokens are protected with a key ring in the portal's database, so
        // every replica reads the others' cookies and a restart signs nobody out.
        builder.Services.AddDataProtection()
            .SetApplicationName(ServiceName)
            .PersistKeysToDbContext<PortalDbContext>();
        builder.AddTrustedProxies();

        // The portal alone holds the private key: it signs a token per call, for that service's audience only.
        builder.Services.RequireSecret(configuration => configuration.GetStaffTokenOptions(StaffAudiences.Portal).PrivateKeyProblem());
        builder.Services.AddAuthentication().AddStaffTokens(StaffAudiences.Portal);
        builder.Services.AddSingleton<StaffTokenIssuer>();
        builder.Services.AddAuthorization();
        builder.Services.AddCascadingAuthenticationState();

        // The four services, called as the signed-in user.
        builder.Services.AddHttpContextAccessor();
        foreach (var service in ServiceNames.All)
        {
            var audience = StaffAudiences.Of(service);
            builder.Services.AddHttpClient(service, (services, client) =>
                    client.BaseAddress = new Uri(services.GetRequiredService<IConfiguration>()[$"Services:{service}"]
                        ?? throw new InvalidOperationException($"Services:{service} is not set.")))
                .AddHttpMessageHandler(services => new StaffTokenHandler(
                    services.GetRequiredService<IHttpContextAccessor>(), services.GetRequiredService<StaffTokenIssuer>(), audience))
                .AddStandardResilienceHandler(options =>
                {
                    // A person is waiting: retry a blip quickly, then show the page without the data.
                    options.Retry.MaxRetryAttempts = 2;
                    options.Retry.Delay = TimeSpan.FromMilliseconds(200);
                    options.AttemptTimeout.Timeout = TimeSpan.FromSeconds(5);
                    options.TotalRequestTimeout.Timeout = TimeSpan.FromSeconds(12);
                });
        }
        // Imports send a whole file once: no retry (not idempotent to resend mid-way) and minutes, not seconds.
        foreach (var service in ImportKind.All.Select(k => k.Service).Distinct())
        {
            var audience = StaffAudiences.Of(service);
            builder.Services.AddHttpClient(ImportEndpoints.ClientName(service), (services, client) =>
                {
                    client.BaseAddress = new Uri(services.GetRequiredService<IConfiguration>()[$"Services:{service}"]
                        ?? throw new InvalidOperationException($"Services:{service} is not set."));
                    client.Timeout = TimeSpan.FromMinutes(10);
                })
                .AddHttpMessageHandler(services => new StaffTokenHandler(
                    services.GetRequiredService<IHttpContextAccessor>(), services.GetRequiredService<StaffTokenIssuer>(), audience));
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

    /// <summary>
    /// X-Forwarded-For/-Proto are believed only from the proxies and networks an operator lists
    /// (ForwardedHeaders:KnownProxies, ForwardedHeaders:KnownNetworks, e.g. the ingress controller's
    /// pod network): anyone else could claim TLS or another client address.
    /// </summary>
    private static void AddTrustedProxies(this WebApplicationBuilder builder)
    {
        var section = builder.Configuration.GetSection("ForwardedHeaders");
        var proxies = section.GetSection("KnownProxies").Get<string[]>() ?? [];
        var networks = section.GetSection("KnownNetworks").Get<string[]>() ?? [];
        builder.Services.Configure<ForwardedHeadersOptions>(options =>
        {
            // Empty lists would mean "trust every sender": with nothing configured, no header is believed.
            options.ForwardedHeaders = proxies.Length + networks.Length == 0
                ? ForwardedHeaders.None
                : ForwardedHeaders.XForwardedFor | ForwardedHeaders.XForwardedProto;
            // The defaults trust loopback: clear them, so only what is configured is trusted.
            options.KnownProxies.Clear();
            options.KnownIPNetworks.Clear();
            foreach (var proxy in proxies)
            {
                options.KnownProxies.Add(System.Net.IPAddress.Parse(proxy));
            }
            foreach (var network in networks)
            {
                options.KnownIPNetworks.Add(System.Net.IPNetwork.Parse(network));
            }
        });
    }

    public static WebApplication MapPortal(this WebApplication app)
    {
        app.UseForwardedHeaders();
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
        app.MapImports();
        return app;
    }
}
