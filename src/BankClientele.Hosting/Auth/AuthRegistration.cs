using BankClientele.Hosting.Secrets;
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
    /// <summary>The Auth section; the audience defaults to <paramref name="defaultAudience"/> when not configured.</summary>
    public static StaffTokenOptions GetStaffTokenOptions(this IConfiguration configuration, string defaultAudience = "")
    {
        var options = configuration.GetSection("Auth").Get<StaffTokenOptions>() ?? new StaffTokenOptions();
        if (string.IsNullOrWhiteSpace(options.Audience))
        {
            options.Audience = defaultAudience;
        }
        return options;
    }

    /// <summary>
    /// Services accept only the portal's staff JWT for their own audience (issuer, audience, ES256
    /// signature by the portal's key and lifetime all checked), and every endpoint requires it
    /// unless it says AllowAnonymous. The public key is checked when the host starts.
    /// </summary>
    public static IHostApplicationBuilder AddStaffTokenAuthentication(this IHostApplicationBuilder builder, string audience)
    {
        builder.Services.RequireSecret(configuration => configuration.GetStaffTokenOptions(audience).PublicKeyProblem());
        builder.Services.AddAuthentication(JwtBearerDefaults.AuthenticationScheme).AddStaffTokens(audience);
        builder.Services.AddAuthorizationBuilder()
            .SetFallbackPolicy(new AuthorizationPolicyBuilder().RequireAuthenticatedUser().Build());
        return builder;
    }

    /// <summary>
    /// The staff JWT as an authentication scheme (JwtBearer's default name), accepting
    /// <paramref name="audience"/> (unless Auth:Audience says otherwise).
    /// </summary>
    public static AuthenticationBuilder AddStaffTokens(this AuthenticationBuilder authentication, string audience)
    {
        authentication.Services.AddSingleton(services => services.GetRequiredService<IConfiguration>().GetStaffTokenOptions(audience));
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
        IssuerSigningKey = tokens.GetValidationKey(),
        // Only the portal's algorithm: an HS256 token (say, signed with the public key as an HMAC secret) is refused.
        ValidAlgorithms = [StaffTokenOptions.Algorithm],
        ValidateIssuer = true,
        ValidateAudience = true,
        ValidateIssuerSigningKey = true,
        ValidateLifetime = true,
        ClockSkew = TimeSpan.FromSeconds(30),
        NameClaimType = StaffClaims.Name,
        RoleClaimType = StaffClaims.Role,
    };
}
