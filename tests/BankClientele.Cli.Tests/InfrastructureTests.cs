using System.Net;
using BankClientele.Cli.Infrastructure;
using BankClientele.Cli.Readiness;
using Microsoft.Extensions.Configuration;

namespace BankClientele.Cli.Tests;

public sealed class InfrastructureTests
{
    private const string ValidationProblem = """
        {"type":"https://tools.ietf.org/html/rfc9110#section-15.5.1","title":"One or more validation errors occurred.","status":400,
         "errors":{"Phone":["Phone must be 7 to 20 digits."],"FullName":["The FullName field is required."]}}
        """;

    [Test]
    public void Validation_problem_details_read_as_one_line_per_field()
    {
        var text = ProblemDetailsText.Format(ValidationProblem);

        Assert.That(text.Split('\n').Select(l => l.TrimEnd('\r')), Is.EqualTo(new[]
        {
            "One or more validation errors occurred.",
            "  Phone: Phone must be 7 to 20 digits.",
            "  FullName: The FullName field is required.",
        }));
    }

    [TestCase("""{"title":"Branch out of scope","status":403,"detail":"You may not record visits for branch 'SH002'."}""", "Branch out of scope: You may not record visits for branch 'SH002'.")]
    [TestCase("plain text failure", "plain text failure")]
    [TestCase("", "")]
    [TestCase("[1,2]", "[1,2]")]
    public void Other_error_bodies_are_shown_as_they_are(string body, string expected) =>
        Assert.That(ProblemDetailsText.Format(body), Is.EqualTo(expected));

    [Test]
    public async Task A_400_becomes_a_readable_failure_naming_the_service_and_call()
    {
        using var handler = new StubHandler(_ => StubHandler.Json(HttpStatusCode.BadRequest, ValidationProblem, "application/problem+json"));
        using var client = new ServiceClient(ServiceCatalog.Acquisition, new Uri("http://127.0.0.1:5102"), "token-1", handler);

        var failure = Assert.ThrowsAsync<ServiceCallException>(() => client.SendAsync(HttpMethod.Post, "/api/prospects", new { fullName = "" }, CancellationToken.None));

        Assert.That(failure!.Message, Does.StartWith("acquisition POST /api/prospects → 400 BadRequest: One or more validation errors occurred."));
        Assert.That(failure.Message, Does.Contain("Phone: Phone must be 7 to 20 digits."));
        Assert.That(handler.Requests.Single().Authorization, Is.EqualTo("Bearer token-1"));
        Assert.That(handler.Requests.Single().Body, Is.EqualTo("""{"fullName":""}"""));
        await Task.CompletedTask;
    }

    [Test]
    public void A_401_hints_at_the_signing_key()
    {
        using var handler = new StubHandler(_ => StubHandler.Json(HttpStatusCode.Unauthorized, """{"title":"Unauthorized","status":401}""", "application/problem+json"));
        using var client = new ServiceClient(ServiceCatalog.CustomerCare, new Uri("http://127.0.0.1:5101"), "t", handler);

        var failure = Assert.ThrowsAsync<ServiceCallException>(() => client.GetAsync<List<object>>("/api/customers", CancellationToken.None));

        Assert.That(failure!.Message, Is.EqualTo(
            "customer-care GET /api/customers → 401 Unauthorized (the service rejected the CLI's token: is Auth__PrivateKey the portal's, the pair of the services' Auth__PublicKey?)"));
    }

    [Test]
    public void A_service_that_is_not_listening_is_a_clear_failure()
    {
        using var client = new ServiceClient(ServiceCatalog.Insights, new Uri("http://127.0.0.1:9"), "t");

        var failure = Assert.ThrowsAsync<CliException>(() => client.GetAsync<List<object>>("/api/branch-stats", CancellationToken.None));

        Assert.That(failure!.Message, Does.StartWith("insights is not reachable at http://127.0.0.1:9/ (GET /api/branch-stats)"));
    }

    [Test]
    public void Services_are_chosen_by_key_in_catalogue_order()
    {
        Assert.Multiple(() =>
        {
            Assert.That(ServiceCatalog.Select(null), Is.EqualTo(ServiceCatalog.All));
            Assert.That(ServiceCatalog.Select(["all", "insights"]), Is.EqualTo(ServiceCatalog.All));
            Assert.That(ServiceCatalog.Select(["portal", "customer-care"]), Is.EqualTo(new[] { ServiceCatalog.CustomerCare, ServiceCatalog.Portal }));
            Assert.That(() => ServiceCatalog.Select(["billing"]), Throws.TypeOf<CliException>().With.Message.Contains("billing"));
        });
    }

    [Test]
    public void Settings_default_to_the_local_machine_and_yield_to_configuration()
    {
        var defaults = new CliSettings(new ConfigurationBuilder().Build());
        var configured = new CliSettings(new ConfigurationBuilder().AddInMemoryCollection(new Dictionary<string, string?>
        {
            ["ConnectionStrings:FootTraffic"] = "Host=db;Database=ft",
            ["Services:Portal"] = "https://portal.example:8443",
        }).Build());

        Assert.Multiple(() =>
        {
            Assert.That(defaults.ConnectionString(ServiceCatalog.FootTraffic),
                Is.EqualTo("Host=127.0.0.1;Port=55432;Database=bankclientele_foottraffic;Username=bankclientele;Password=bankclientele"));
            Assert.That(defaults.ConnectionString(ServiceCatalog.Portal), Does.Contain("Database=bankclientele_portal;"));
            Assert.That(defaults.BaseAddress(ServiceCatalog.CustomerCare), Is.EqualTo(new Uri("http://127.0.0.1:5101")));
            Assert.That(defaults.BaseAddress(ServiceCatalog.Portal), Is.EqualTo(new Uri("http://127.0.0.1:5100")));
            Assert.That(configured.ConnectionString(ServiceCatalog.FootTraffic), Is.EqualTo("Host=db;Database=ft"));
            Assert.That(configured.BaseAddress(ServiceCatalog.Portal), Is.EqualTo(new Uri("https://portal.example:8443")));
        });
    }

    [TestCase(null, "Auth:PrivateKey is not set")]
    [TestCase("CHANGE-ME-CHANGE-ME-CHANGE-ME-CHANGE-ME-CHANGE-ME-CHANGE-ME-CHANGE-ME", "placeholder")]
    [TestCase("short", "too short")]
    [TestCase("-----BEGIN PRIVATE KEY-----\nnot-a-key-at-all-0123456789abcdefghijklmnopqrstuvwxyz\n-----END PRIVATE KEY-----", "not a PEM ECDSA key")]
    public void A_missing_placeholder_short_or_malformed_private_key_is_a_clear_failure(string? key, string message)
    {
        var settings = new CliSettings(new ConfigurationBuilder().AddInMemoryCollection(new Dictionary<string, string?> { ["Auth:PrivateKey"] = key }).Build());

        Assert.That(() => settings.TokenIssuer(), Throws.TypeOf<CliException>().With.Message.Contains(message));
    }

    [Test]
    public async Task Readiness_waits_until_every_service_answers_200()
    {
        var calls = 0;
        using var handler = new StubHandler(request =>
        {
            // customer-care is unhealthy for its first two answers, the others ready at once.
            var unhealthy = request.RequestUri!.Port == 5101 && Interlocked.Increment(ref calls) <= 2;
            return StubHandler.Json(unhealthy ? HttpStatusCode.ServiceUnavailable : HttpStatusCode.OK, unhealthy ? "Unhealthy" : "Healthy", "text/plain");
        });
        using var probe = new ReadinessProbe(handler);
        var targets = new[] { ServiceCatalog.CustomerCare, ServiceCatalog.Insights }
            .Select(s => new ReadinessTarget(s, new Uri(s.DefaultBaseAddress))).ToList();

        var states = await probe.WaitAsync(targets, TimeSpan.FromSeconds(10), TimeSpan.FromMilliseconds(10), null, CancellationToken.None);

        Assert.That(states.Select(s => s.Ready), Is.EqualTo(new[] { true, true }));
        Assert.That(handler.Requests.Count(r => r.Path == "/health/ready"), Is.EqualTo(handler.Requests.Count));
        Assert.That(handler.Requests.Count(r => r.Path == "/health/ready"), Is.EqualTo(4), "insights once, customer-care three times");
    }

    [Test]
    public async Task Readiness_gives_up_after_the_timeout_naming_the_reason()
    {
        using var handler = new StubHandler(_ => StubHandler.Json(HttpStatusCode.ServiceUnavailable, "Unhealthy", "text/plain"));
        using var probe = new ReadinessProbe(handler);
        var target = new ReadinessTarget(ServiceCatalog.Portal, new Uri("http://127.0.0.1:5100"));

        var states = await probe.WaitAsync([target], TimeSpan.FromMilliseconds(200), TimeSpan.FromMilliseconds(50), null, CancellationToken.None);

        Assert.That(states.Single().Ready, Is.False);
        Assert.That(states.Single().Detail, Is.EqualTo("503 ServiceUnavailable (Unhealthy)"));
    }
}
