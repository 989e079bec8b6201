using System.Security.Cryptography;

namespace BankClientele.Testing;

/// <summary>The real PostgreSQL and RabbitMQ that ./test.sh starts (deploy/local/servers.sh).</summary>
public static class TestServers
{
    public static readonly string PostgresServer =
        Environment.GetEnvironmentVariable("BANKCLIENTELE_TEST_POSTGRES")
        ?? "Host=127.0.0.1;Port=55432;Username=bankclientele;Password=bankclientele";

    public const string RabbitHost = "127.0.0.1";
    public const int RabbitPort = 55672;

    /// <summary>
    /// Set (BANKCLIENTELE_TEST_ISOLATION=name) when several test runs share the servers at once, as
    /// parallel work trees do: each run then has its own databases and virtual host
    /// (bankclientele-test-name, which must exist: servers.sh rabbitmqctl add_vhost ...).
    /// </summary>
    public static readonly string? Isolation =
        Environment.GetEnvironmentVariable("BANKCLIENTELE_TEST_ISOLATION") is { Length: > 0 } isolation ? isolation : null;

    /// <summary>Tests use their own virtual host, so they never mix with a running demo.</summary>
    public static readonly string RabbitVirtualHost = Isolation is null ? "bankclientele-test" : $"bankclientele-test-{Isolation}";

    private static readonly ECDsa SigningKeyPair = ECDsa.Create(ECCurve.NamedCurves.nistP256);

    /// <summary>A fresh ES256 key pair per test run: the portal (and <see cref="Tokens"/>) sign with the private key.</summary>
    public static readonly string PrivateKeyPem = SigningKeyPair.ExportPkcs8PrivateKeyPem();

    /// <summary>The services verify with the public key only.</summary>
    public static readonly string PublicKeyPem = SigningKeyPair.ExportSubjectPublicKeyInfoPem();

    /// <summary>A fresh matching key (Privacy:MatchingKey) per run; every host of the run shares it.</summary>
    public static readonly string MatchingKey = Convert.ToBase64String(RandomNumberGenerator.GetBytes(48));

    /// <summary>The hashes the services of this run compute, for tests that write hashed rows themselves.</summary>
    public static readonly Hosting.Privacy.PersonalDataHash Hashes = new(MatchingKey);

    public static string Database(string name) => $"{PostgresServer};Database={name}";

    /// <summary>A test database's name, suffixed with <see cref="Isolation"/> when set.</summary>
    public static string DatabaseName(string name) =>
        Isolation is null || name.EndsWith($"_{Isolation}", StringComparison.Ordinal) ? name : $"{name}_{Isolation}";

    /// <summary>A short unique code, so each test owns its branches and needs no clean-up.</summary>
    public static string UniqueBranch(string prefix = "T") => $"{prefix}{Guid.NewGuid().ToString("N")[..10].ToUpperInvariant()}";
}
