namespace BankClientele.Portal.Tests;

/// <summary>The portal in Production refuses to start without its signing key, and says which setting.</summary>
public sealed class PortalStartupTests
{
    [TestCase("", "Auth:PrivateKey is not set")]
    [TestCase("CHANGE-ME-a-signing-key-of-at-least-32-bytes-and-then-some-more-bytes", "Auth:PrivateKey is a placeholder")]
    public async Task Without_a_usable_private_key_the_portal_does_not_start(string key, string message)
    {
        await using var portal = new PortalFactory(PortalSystem.ServiceAddresses, new Dictionary<string, string?>
        {
            ["environment"] = "Production",
            ["Auth:PrivateKey"] = key,
        });

        var failure = "(the portal started)";
        try
        {
            portal.CreateClient().Dispose();
        }
        catch (Exception e)
        {
            failure = string.Join(" | ", Causes(e).Select(x => x.Message));
        }
        Assert.That(failure, Does.Contain(message));
    }

    private static IEnumerable<Exception> Causes(Exception e)
    {
        for (Exception? x = e; x is not null; x = x.InnerException)
        {
            yield return x;
        }
    }
}
