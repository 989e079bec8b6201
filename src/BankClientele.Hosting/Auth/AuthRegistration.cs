using Microsoft.AspNetCore.Authentication.JwtBearer;
using Microsoft.AspNetCore.Authorization;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.IdentityModel.Tokens;

namespace BankClientele.Hosting.Auth;

public static class AuthRegistration
{
    public static StaffTokenOptions GetStaffTokenOptions(this IConfiguration configuration) =>
        configuration.GetSection("Auth").Get<StaffTokenOptions>() ?? new StaffTokenOptions();

    /// <summary>
    /// Services accept only the portal's staff JWT (issuer, audience, signature and lifetime all
    /// checked), and every endpoint requires it unless it says AllowAnonymous.
    /// </summary>
    public static IHostApplicationBuilder AddStaffTokenAuthentication(this IHostApplicationBuilder builder)
    {
        builder.Services.AddSingleton(services => services.GetRequiredService<IConfiguration>().GetStaffTokenOptions());
        builder.Services.AddSingleton<StaffTokenIssuer>();
        builder.Services.AddAuthentication(JwtBearerDefaults.AuthenticationScheme).AddJwtBearer();
        // Bound when first used, so hosts built by tests can override the Auth section.
        builder.Services.AddOptions<JwtBearerOptions>(JwtBearerDefaults.AuthenticationScheme)
            .Configure<StaffTokenOptions>((options, tokens) =>
            {
                options.MapInboundClaims = false;
                options.TokenValidationParameters = StaffTokenValidation(tokens);
            });
        builder.Services.AddAuthorizationBuilder()
            .SetFallbackPolicy(new AuthorizationPolicyBuilder().RequireAuthenticatedUser().Build());
        return builder;
    }

    public static TokenValidationParameters StaffTokenValidation(StaffTokenOptions tokens) => new()
    {
        ValidIssuer = tokens.Issuer,
        ValidAudience = tokens.Audience,
        IssuerSigningKey = tokens.GetSigningKey(),
        ValidateIssuer = true,
        ValidateAudience = true,
        ValidateIssuerSigningKey = true,
        ValidateLifetime = true,
        ClockSkew = TimeSpan.FromSeconds(30),
        NameClaimType = StaffClaims.Name,
        RoleClaimType = StaffClaims.Role,
    };
}
