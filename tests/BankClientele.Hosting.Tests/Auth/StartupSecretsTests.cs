using BankClientele.CustomerCare;
using BankClientele.Hosting.Secrets;
using BankClientele.Insights;

namespace BankClientele.Hosting.Tests.Auth;

/// <summary>
/// A service in Production refuses to start when a secret is missing, short, or a placeholder, and
/// says which setting: there is no key in the source for it to fall back on. (On the run's own
/// databases: building the app registers Hangfire's recurring jobs; the check stops the start
/// before any hosted service, consumer or job server runs.)
/// </summary>
public sealed class StartupSecretsTests
{
    private static readonly string Placeholder = "CHANGE-ME-a-signing-key-of-at-least-32-bytes-" + Guid.NewGuid();

    public static IEnumerable<TestCaseData> CustomerCareCases()
    {
        yield return new TestCaseData("Privacy:MatchingKey", "", "Privacy:MatchingKey is not set").SetName("Matching key missing");
        yield return new TestCaseData("Privacy:MatchingKey", "bankclientele-development-matching-key", "Privacy:MatchingKey is a placeholder").SetName("Matching key the old development constant");
        yield return new TestCaseData("Privacy:MatchingKey", "Ab3$xYz9", "Privacy:MatchingKey is too short").SetName("Matching key too short");
        yield return new TestCaseData("Auth:PublicKey", "", "Auth:PublicKey is not set").SetName("Public key missing");
        yield return new TestCaseData("Auth:PublicKey", Placeholder, "Auth:PublicKey is a placeholder").SetName("Public key a placeholder");
        yield return new TestCaseData("Auth:PublicKey", "-----BEGIN PUBLIC KEY-----\nnot-a-key-0123456789abcdefghijklmnopqrstuvwxyz\n-----END PUBLIC KEY-----", "Auth:PublicKey is not a PEM ECDSA key")
            .SetName("Public key not a key");
    }

    [TestCaseSource(nameof(CustomerCareCases))]
    public void CustomerCare_refuses_to_start_in_production(string setting, string value, string message)
    {
        using var host = new ServiceFactory<CustomerCareDbContext>(TestSystem.CustomerCare.Database, new Dictionary<string, string?>
        {
            ["environment"] = "Production",
            [setting] = value,
        });

        Assert.That(StartFailure(host.CreateClient), Does.Contain(message));
    }

    [Test]
    public void Insights_without_the_public_key_refuses_to_start_in_production()
    {
        using var host = new ServiceFactory<InsightsDbContext>(TestSystem.Insights.Database, new Dictionary<string, string?>
        {
            ["environment"] = "Production",
            ["Auth:PublicKey"] = "",
        });

        Assert.That(StartFailure(host.CreateClient), Does.Contain("Auth:PublicKey is not set"));
    }

    /// <summary>The messages of the exception starting the host threw (and of its inner ones).</summary>
    public static string StartFailure(Func<HttpClient> start)
    {
        try
        {
            start().Dispose();
        }
        catch (Exception e)
        {
            var messages = new List<string>();
            for (Exception? x = e; x is not null; x = x.InnerException)
            {
                messages.Add(x.Message);
            }
            return string.Join(" | ", messages);
        }
        return "(the host started)";
    }

    [TestCase("CHANGE-ME")]
    [TestCase("change-me-please-0123456789abcdef0123456789")]
    [TestCase("test-signing-key-0123456789abcdef0123456789")]
    public void Known_placeholders_are_never_a_secret(string value) =>
        Assert.That(SecretSettings.Problem("X:Key", value, 8), Does.Contain("X:Key"));

    [Test]
    public void A_generated_key_is_accepted() =>
        Assert.That(SecretSettings.Problem("X:Key", TestServers.MatchingKey, 32), Is.Null);
}
