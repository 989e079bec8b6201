using Microsoft.AspNetCore.Authentication;
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
        builder.Services.AddAuthentication(JwtBearerDefaults.AuthenticationScheme).AddStaffTokens();
        builder.Services.AddAuthorizationBuilder()
            .SetFallbackPolicy(new AuthorizationPolicyBuilder().RequireAuthenticatedUser().Build());
        return builder;
    }

    /// <summary>
    /// The staff JWT as an authentication scheme (JwtBearer's default name), with the options and
    /// issuer the portal and the CLI mint tokens with.
    /// </summary>
    public static AuthenticationBuilder AddStaffTokens(this AuthenticationBuilder authentication)
    {
        authentication.Services.AddSingleton(services => services.GetRequiredService<IConfiguration>().GetStaffTokenOptions());
        authentication.Services.AddSingleton<StaffTokenIssuer>();
        authentication.AddJwtBearer();
        // Bound when first used, so hosts built by tests can override the Auth section.
        authentication.Services.AddOptions<JwtBearerOptions>(JwtBearerDefaults.AuthenticationScheme)
            .Configure<StaffTokenOptions>((options, tokens) =>
            {
                options.MapInboundClaims = false;
                options.TokenValidationParameters = StaffTokenValidation(tokens);
            });
        return authentication;
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
