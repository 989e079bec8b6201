using System.Text;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;

namespace BankClientele.Hosting.Secrets;

/// <summary>
/// The secrets a process refuses to start without: set, long enough, and not a value that has ever
/// stood in for a secret in this repository, its manifests or its docs. There is no fallback in any
/// environment: run.sh and the test support generate keys, an operator creates them (docs/security.md).
/// </summary>
public static class SecretSettings
{
    /// <summary>Never a real secret: placeholders, and the development values the code once carried.</summary>
    public static readonly IReadOnlyList<string> KnownPlaceholders =
    [
        "CHANGE-ME", "CHANGEME", "CHANGE_ME", "REPLACE-ME", "REPLACEME",
        "bankclientele-development-matching-key",
        "test-signing-key-0123456789abcdef0123456789",
    ];

    /// <summary>Why the value of <paramref name="setting"/> is not acceptable as a secret, or null when it is.</summary>
    public static string? Problem(string setting, string? value, int minimumBytes)
    {
        var environmentName = setting.Replace(":", "__", StringComparison.Ordinal);
        if (string.IsNullOrWhiteSpace(value))
        {
            return $"{setting} is not set (environment variable {environmentName}); see docs/security.md for how to create it.";
        }
        if (IsPlaceholder(value))
        {
            return $"{setting} is a placeholder or development value, not a secret: set a generated one (docs/security.md).";
        }
        if (Encoding.UTF8.GetByteCount(value) < minimumBytes)
        {
            return $"{setting} is too short: it must be at least {minimumBytes} bytes (generate it, e.g. openssl rand -base64 48).";
        }
        if (value.Distinct().Count() < 8)
        {
            return $"{setting} is not random (fewer than 8 distinct characters): generate it (docs/security.md).";
        }
        return null;
    }

    public static bool IsPlaceholder(string value) =>
        KnownPlaceholders.Any(p => value.Contains(p, StringComparison.OrdinalIgnoreCase));

    /// <summary>
    /// Checks a secret when the host starts (before it serves or consumes anything), so a process
    /// with a missing or placeholder secret fails at once with a message naming the setting.
    /// </summary>
    public static IServiceCollection RequireSecret(this IServiceCollection services, Func<IConfiguration, string?> problem)
    {
        services.AddOptions<StartupSecrets>().ValidateOnStart();
        services.AddSingleton<IValidateOptions<StartupSecrets>>(provider => new SecretCheck(provider.GetRequiredService<IConfiguration>(), problem));
        return services;
    }

    /// <summary>Marker options: validating them runs every secret check at start-up.</summary>
    public sealed class StartupSecrets;

    private sealed class SecretCheck(IConfiguration configuration, Func<IConfiguration, string?> problem) : IValidateOptions<StartupSecrets>
    {
        public ValidateOptionsResult Validate(string? name, StartupSecrets options) =>
            problem(configuration) is { } message ? ValidateOptionsResult.Fail(message) : ValidateOptionsResult.Success;
    }
}
