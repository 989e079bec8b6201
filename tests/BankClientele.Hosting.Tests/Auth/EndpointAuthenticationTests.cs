using System.Net;
using BankClientele.Hosting.Auth;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Mvc.Testing;
using Microsoft.AspNetCore.Routing;
using Microsoft.AspNetCore.Routing.Patterns;
using Microsoft.Extensions.DependencyInjection;

namespace BankClientele.Hosting.Tests.Auth;

/// <summary>
/// Every endpoint of every service, read from the application's own endpoint list, refuses an
/// anonymous caller: a new endpoint is covered without a new test.
/// </summary>
public sealed class EndpointAuthenticationTests
{
    /// <summary>The only endpoints open to anyone (the calendar feed checks its secret token: 404 without a valid one).</summary>
    private static readonly HashSet<string> AllowAnonymous = ["/health/live", "/health/ready", "/calendar/{token}.ics"];

    public static IEnumerable<TestCaseData> Services()
    {
        yield return new TestCaseData("CustomerCare");
        yield return new TestCaseData("Acquisition");
        yield return new TestCaseData("FootTraffic");
        yield return new TestCaseData("Insights");
    }

    private static (IServiceProvider Services, Func<HttpClient> CreateClient) Host(string service) => service switch
    {
        "CustomerCare" => (TestSystem.CustomerCare.Services, TestSystem.CustomerCare.CreateClient),
        "Acquisition" => (TestSystem.Acquisition.Services, TestSystem.Acquisition.CreateClient),
        "FootTraffic" => (TestSystem.FootTraffic.Services, TestSystem.FootTraffic.CreateClient),
        "Insights" => (TestSystem.Insights.Services, TestSystem.Insights.CreateClient),
        _ => throw new ArgumentOutOfRangeException(nameof(service)),
    };

    [TestCaseSource(nameof(Services))]
    public async Task Every_endpoint_refuses_an_anonymous_call_except_health(string service)
    {
        var (services, createClient) = Host(service);
        var endpoints = services.GetRequiredService<EndpointDataSource>().Endpoints.OfType<RouteEndpoint>().ToList();
        Assert.That(endpoints, Has.Count.GreaterThan(AllowAnonymous.Count), "the endpoint list was read");

        using var client = createClient();
        var open = new List<string>();
        foreach (var endpoint in endpoints)
        {
            var path = SamplePath(endpoint.RoutePattern);
            var methods = endpoint.Metadata.GetMetadata<HttpMethodMetadata>()?.HttpMethods ?? [HttpMethods.Get];
            foreach (var method in methods)
            {
                using var request = new HttpRequestMessage(new HttpMethod(method), path);
                if (method is "POST" or "PUT" or "PATCH")
                {
                    request.Content = new StringContent("{}", System.Text.Encoding.UTF8, "application/json");
                }
                var response = await client.SendAsync(request);
                var allowed = AllowAnonymous.Contains(endpoint.RoutePattern.RawText ?? "");
                if (!allowed && response.StatusCode != HttpStatusCode.Unauthorized)
                {
                    open.Add($"{method} {path} -> {(int)response.StatusCode}");
                }
                if (allowed && response.StatusCode == HttpStatusCode.Unauthorized)
                {
                    open.Add($"{method} {path} should be open but answered 401");
                }
            }
        }
        Assert.That(open, Is.Empty);
    }

    [Test]
    public async Task Tokens_with_a_wrong_signature_a_wrong_audience_or_past_expiry_are_refused()
    {
        var staff = Tokens.HeadOffice;
        var wrongKey = new StaffTokenOptions { SigningKey = new string('k', 48) };
        var wrongAudience = new StaffTokenOptions { SigningKey = TestServers.SigningKey, Audience = "someone-else" };
        var bad = new Dictionary<string, string>
        {
            ["wrong signature"] = Tokens.For(staff, options: wrongKey),
            ["wrong audience"] = Tokens.For(staff, options: wrongAudience),
            ["expired"] = Tokens.For(staff, issuedAt: DateTime.UtcNow.AddHours(-2)),
        };
        using var client = TestSystem.CustomerCare.CreateClient();
        foreach (var (what, token) in bad)
        {
            using var request = new HttpRequestMessage(HttpMethod.Get, "/api/customers");
            request.Headers.Authorization = new("Bearer", token);
            Assert.That((await client.SendAsync(request)).StatusCode, Is.EqualTo(HttpStatusCode.Unauthorized), what);
        }
        using var good = TestSystem.CustomerCare.ClientFor(staff);
        Assert.That((await good.GetAsync("/api/customers")).StatusCode, Is.EqualTo(HttpStatusCode.OK), "a valid token is accepted");
    }

    /// <summary>A concrete path for a route pattern: sample values for its parameters.</summary>
    private static string SamplePath(RoutePattern pattern)
    {
        var segments = pattern.PathSegments.Select(segment => string.Concat(segment.Parts.Select(part => part switch
        {
            RoutePatternLiteralPart literal => literal.Content,
            RoutePatternSeparatorPart separator => separator.Content,
            RoutePatternParameterPart { IsCatchAll: true } => "",
            RoutePatternParameterPart parameter when parameter.ParameterPolicies.Any(p => p.Content == "guid") => Guid.NewGuid().ToString(),
            RoutePatternParameterPart parameter when parameter.ParameterPolicies.Any(p => p.Content is "int" or "long") => "1",
            RoutePatternParameterPart parameter => parameter.Name == "documentName" ? "v1" : "sample",
            _ => "",
        })));
        return "/" + string.Join('/', segments);
    }
}
