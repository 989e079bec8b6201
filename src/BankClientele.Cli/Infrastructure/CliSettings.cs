using BankClientele.Hosting.Auth;
using Microsoft.Extensions.Configuration;

namespace BankClientele.Cli.Infrastructure;

/// <summary>
/// What the CLI reads from configuration: <c>appsettings.json</c> beside the executable, then
/// environment variables (<c>Auth__PrivateKey</c>, <c>ConnectionStrings__Insights</c>,
/// <c>Services__Portal</c>, ...). Every value has a default for a developer's machine except the
/// signing key, the portal's private key.
/// </summary>
public sealed class CliSettings(IConfiguration configuration)
{
    public IConfiguration Configuration { get; } = configuration;

    public static CliSettings Load() => new(new ConfigurationBuilder()
        .SetBasePath(AppContext.BaseDirectory)
        .AddJsonFile("appsettings.json", optional: true)
        .AddEnvironmentVariables()
        .Build());

    /// <summary><c>ConnectionStrings:{Service}</c>, else the local default database of that service.</summary>
    public string ConnectionString(ServiceInfo service) =>
        Configuration.GetConnectionString(service.ConfigName) is { Length: > 0 } configured
            ? configured
            : service.DefaultConnectionString;

    /// <summary><c>Services:{Service}</c>, the service's base address, else its local default.</summary>
    public Uri BaseAddress(ServiceInfo service)
    {
        var value = Configuration[$"Services:{service.ConfigName}"] is { Length: > 0 } configured
            ? configured
            : service.DefaultBaseAddress;
        if (!Uri.TryCreate(value, UriKind.Absolute, out var uri) || uri.Scheme is not ("http" or "https"))
        {
            throw new CliException($"Services:{service.ConfigName} is not an http(s) address: '{value}'.");
        }
        return uri;
    }

    /// <summary>
    /// The <c>Auth</c> section, checked: the CLI signs like the portal, so it needs the portal's
    /// private key (<c>Auth:PrivateKey</c>, PEM; run.sh keeps it in .data/secrets.env).
    /// </summary>
    public StaffTokenOptions StaffTokenOptions()
    {
        var options = Configuration.GetStaffTokenOptions();
        if (options.PrivateKeyProblem() is { } problem)
        {
            throw new CliException(problem +
                " The CLI signs staff tokens with the portal's private key: e.g. `export Auth__PrivateKey=\"$(cat portal-signing.pem)\"` " +
                "(./run.sh keeps the local one in .data/secrets.env).");
        }
        if (options.Lifetime <= TimeSpan.Zero)
        {
            throw new CliException($"Auth:Lifetime must be positive (it is {options.Lifetime}).");
        }
        return options;
    }

    public StaffTokenIssuer TokenIssuer() => new(StaffTokenOptions());
}
