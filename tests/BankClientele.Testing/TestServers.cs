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

    /// <summary>Tests use their own virtual host, so they never mix with a running demo.</summary>
    public const string RabbitVirtualHost = "bankclientele-test";

    /// <summary>A fresh signing key per test run; every host of the run shares it.</summary>
    public static readonly string SigningKey = Convert.ToBase64String(RandomNumberGenerator.GetBytes(48));

    public static string Database(string name) => $"{PostgresServer};Database={name}";

    /// <summary>A short unique code, so each test owns its branches and needs no clean-up.</summary>
    public static string UniqueBranch(string prefix = "T") => $"{prefix}{Guid.NewGuid().ToString("N")[..10].ToUpperInvariant()}";
}
