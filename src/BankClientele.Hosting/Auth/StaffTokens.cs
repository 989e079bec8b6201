using System.Security.Claims;
using System.Security.Cryptography;
using BankClientele.Hosting.Secrets;
using Microsoft.IdentityModel.JsonWebTokens;
using Microsoft.IdentityModel.Tokens;

namespace BankClientele.Hosting.Auth;

/// <summary>
/// The Auth section of configuration. Staff tokens are ES256 (ECDSA P-256): the portal (and the
/// operator's CLI) hold the private key and sign; the services hold only the public key, so a
/// service that leaks its configuration cannot mint tokens for the others.
/// </summary>
public sealed class StaffTokenOptions
{
    public const string PublicKeySetting = "Auth:PublicKey";
    public const string PrivateKeySetting = "Auth:PrivateKey";
    public const string Algorithm = SecurityAlgorithms.EcdsaSha256;

    public string Issuer { get; set; } = "bankclientele-portal";

    /// <summary>The audience this process accepts: each service its own (<see cref="StaffAudiences"/>).</summary>
    public string Audience { get; set; } = "";

    /// <summary>The portal's public key (PEM, "-----BEGIN PUBLIC KEY-----"): every service.</summary>
    public string PublicKey { get; set; } = "";

    /// <summary>The signing key (PEM, "-----BEGIN PRIVATE KEY-----" or "EC PRIVATE KEY"): the portal and the CLI only.</summary>
    public string PrivateKey { get; set; } = "";

    public TimeSpan Lifetime { get; set; } = TimeSpan.FromMinutes(30);

    /// <summary>Why the public key cannot verify tokens, or null when it can.</summary>
    public string? PublicKeyProblem() =>
        KeyProblem(PublicKeySetting, PublicKey, ecdsa => ecdsa.ImportFromPem(PublicKey));

    /// <summary>Why the private key cannot sign tokens, or null when it can.</summary>
    public string? PrivateKeyProblem() =>
        KeyProblem(PrivateKeySetting, PrivateKey, ecdsa =>
        {
            ecdsa.ImportFromPem(PrivateKey);
            ecdsa.ExportParameters(includePrivateParameters: true); // a public key alone signs nothing
        });

    /// <summary>The key tokens are verified with: the public key, else the one of the private key (the portal).</summary>
    public ECDsaSecurityKey GetValidationKey()
    {
        if (string.IsNullOrWhiteSpace(PublicKey) && !string.IsNullOrWhiteSpace(PrivateKey))
        {
            var signer = GetSigningKey();
            var publicOnly = ECDsa.Create(signer.ECDsa.ExportParameters(includePrivateParameters: false));
            return new ECDsaSecurityKey(publicOnly);
        }
        ThrowIf(PublicKeyProblem());
        var ecdsa = ECDsa.Create();
        ecdsa.ImportFromPem(PublicKey);
        return new ECDsaSecurityKey(ecdsa);
    }

    public ECDsaSecurityKey GetSigningKey()
    {
        ThrowIf(PrivateKeyProblem());
        var ecdsa = ECDsa.Create();
        ecdsa.ImportFromPem(PrivateKey);
        return new ECDsaSecurityKey(ecdsa);
    }

    private static string? KeyProblem(string setting, string pem, Action<ECDsa> import)
    {
        if (SecretSettings.Problem(setting, pem, minimumBytes: 64) is { } problem)
        {
            return problem;
        }
        using var ecdsa = ECDsa.Create();
        try
        {
            import(ecdsa);
        }
        catch (Exception e) when (e is ArgumentException or CryptographicException)
        {
            return $"{setting} is not a PEM ECDSA key ({e.Message}): make one with openssl (docs/security.md).";
        }
        return ecdsa.KeySize == 256 ? null : $"{setting} must be a P-256 (prime256v1) key for ES256, not {ecdsa.KeySize} bits.";
    }

    private static void ThrowIf(string? problem)
    {
        if (problem is not null)
        {
            throw new InvalidOperationException(problem);
        }
    }
}

/// <summary>Each service accepts tokens for its own audience only: a token minted for one is refused by another.</summary>
public static class StaffAudiences
{
    public const string Portal = "bankclientele-portal";
    public const string CustomerCare = "bankclientele-customercare";
    public const string Acquisition = "bankclientele-acquisition";
    public const string FootTraffic = "bankclientele-foottraffic";
    public const string Insights = "bankclientele-insights";

    /// <summary>The audience of a service by its name ("customer-care", "CustomerCare" → bankclientele-customercare).</summary>
    public static string Of(string serviceName) =>
        "bankclientele-" + serviceName.Replace("-", "", StringComparison.Ordinal).ToLowerInvariant();
}

/// <summary>
/// Who is calling: the staff member a token speaks for. A region head's branches travel in the
/// token itself, so no service needs a table of regions.
/// </summary>
public sealed record StaffIdentity(string StaffId, string Name, string Role, string? BranchCode, IReadOnlyList<string>? RegionBranches = null)
{
    public bool Equals(StaffIdentity? other) =>
        other is not null && StaffId == other.StaffId && Name == other.Name && Role == other.Role && BranchCode == other.BranchCode
        && (RegionBranches ?? []).SequenceEqual(other.RegionBranches ?? []);

    public override int GetHashCode() => HashCode.Combine(StaffId, Role, BranchCode);
}

/// <summary>Mints the JWT the portal (and the operator's CLI) sends to one service.</summary>
public sealed class StaffTokenIssuer(StaffTokenOptions options)
{
    private readonly JsonWebTokenHandler handler = new();
    private readonly Lazy<SigningCredentials> credentials = new(() => new SigningCredentials(options.GetSigningKey(), StaffTokenOptions.Algorithm));

    /// <summary>A token for <paramref name="audience"/> (<see cref="StaffAudiences"/>): no other service accepts it.</summary>
    public string Issue(StaffIdentity staff, string audience, DateTime? now = null)
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
        if (staff.RegionBranches is { Count: > 0 } branches)
        {
            claims[StaffClaims.RegionBranch] = branches.ToArray();
        }
        return handler.CreateToken(new SecurityTokenDescriptor
        {
            Issuer = options.Issuer,
            Audience = audience,
            Claims = claims,
            IssuedAt = issuedAt,
            NotBefore = issuedAt,
            Expires = issuedAt + options.Lifetime,
            SigningCredentials = credentials.Value,
        });
    }

    public static StaffIdentity? FromPrincipal(ClaimsPrincipal user)
    {
        var staffId = user.FindFirstValue(StaffClaims.StaffId);
        var role = user.FindFirstValue(ClaimTypes.Role) ?? user.FindFirstValue(StaffClaims.Role);
        if (staffId is null || role is null)
        {
            return null;
        }
        var regionBranches = user.FindAll(StaffClaims.RegionBranch).Select(c => c.Value).Where(v => v.Length > 0).Distinct().Order(StringComparer.Ordinal).ToList();
        return new StaffIdentity(staffId, user.FindFirstValue(StaffClaims.Name) ?? staffId, role, user.FindFirstValue(StaffClaims.Branch),
            regionBranches.Count > 0 ? regionBranches : null);
    }
}
