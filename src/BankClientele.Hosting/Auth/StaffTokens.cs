using System.Security.Claims;
using System.Text;
using Microsoft.IdentityModel.JsonWebTokens;
using Microsoft.IdentityModel.Tokens;

namespace BankClientele.Hosting.Auth;

/// <summary>The Auth section of configuration, shared by the portal (issuer) and the services.</summary>
public sealed class StaffTokenOptions
{
    public string Issuer { get; set; } = "bankclientele-portal";
    public string Audience { get; set; } = "bankclientele-services";

    /// <summary>HMAC key, at least 32 bytes; set from a secret outside development.</summary>
    public string SigningKey { get; set; } = "";

    public TimeSpan Lifetime { get; set; } = TimeSpan.FromMinutes(30);

    public SymmetricSecurityKey GetSigningKey()
    {
        var bytes = Encoding.UTF8.GetBytes(SigningKey);
        if (bytes.Length < 32)
        {
            throw new InvalidOperationException("Auth:SigningKey must be at least 32 bytes long.");
        }
        return new SymmetricSecurityKey(bytes);
    }
}

/// <summary>Who is calling: the staff member a token speaks for.</summary>
public sealed record StaffIdentity(string StaffId, string Name, string Role, string? BranchCode);

/// <summary>Mints the JWT the portal (and the operator's CLI) sends to the services.</summary>
public sealed class StaffTokenIssuer(StaffTokenOptions options)
{
    private readonly JsonWebTokenHandler handler = new();

    public string Issue(StaffIdentity staff, DateTime? now = null)
    {
        var issuedAt = now ?? DateTime.UtcNow;
        var claims = new Dictionary<string, object>
        {
            [JwtRegisteredClaimNames.Sub] = staff.StaffId,
            [StaffClaims.StaffId] = staff.StaffId,
            [StaffClaims.Name] = staff.Name,
            [StaffClaims.Role] = staff.Role,
        };
        if (staff.BranchCode is not null)
        {
            claims[StaffClaims.Branch] = staff.BranchCode;
        }
        return handler.CreateToken(new SecurityTokenDescriptor
        {
            Issuer = options.Issuer,
            Audience = options.Audience,
            Claims = claims,
            IssuedAt = issuedAt,
            NotBefore = issuedAt,
            Expires = issuedAt + options.Lifetime,
            SigningCredentials = new SigningCredentials(options.GetSigningKey(), SecurityAlgorithms.HmacSha256),
        });
    }

    public static StaffIdentity? FromPrincipal(ClaimsPrincipal user)
    {
        var staffId = user.FindFirstValue(StaffClaims.StaffId);
        var role = user.FindFirstValue(ClaimTypes.Role) ?? user.FindFirstValue(StaffClaims.Role);
        return staffId is null || role is null
            ? null
            : new StaffIdentity(staffId, user.FindFirstValue(StaffClaims.Name) ?? staffId, role, user.FindFirstValue(StaffClaims.Branch));
    }
}
