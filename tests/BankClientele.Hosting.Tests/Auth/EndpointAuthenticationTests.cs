using System.Net;
using System.Security.Cryptography;
using System.Text;
using BankClientele.Hosting.Auth;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Mvc.Testing;
using Microsoft.AspNetCore.Routing;
using Microsoft.AspNetCore.Routing.Patterns;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.IdentityModel.JsonWebTokens;
using Microsoft.IdentityModel.Tokens;

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
    public async Task Tokens_for_another_service_with_another_key_symmetric_or_expired_are_refused()
    {
        var staff = Tokens.HeadOffice;
        using var otherKey = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        var bad = new Dictionary<string, string>
        {
            ["minted for Acquisition"] = Tokens.For(staff, StaffAudiences.Acquisition),
            ["minted for the portal"] = Tokens.For(staff, StaffAudiences.Portal),
            ["signed with another key"] = Tokens.For(staff, StaffAudiences.CustomerCare, options: new StaffTokenOptions { PrivateKey = otherKey.ExportPkcs8PrivateKeyPem() }),
            ["HS256 with a random key"] = Symmetric(staff, RandomNumberGenerator.GetBytes(48)),
            // The classic algorithm confusion: the public key (which every service holds) used as an HMAC secret.
            ["HS256 with the public key as secret"] = Symmetric(staff, Encoding.UTF8.GetBytes(TestServers.PublicKeyPem)),
            ["expired"] = Tokens.For(staff, StaffAudiences.CustomerCare, issuedAt: DateTime.UtcNow.AddHours(-2)),
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

    [Test]
    public async Task A_token_for_one_service_is_refused_by_every_other()
    {
        var hosts = new[] { ("CustomerCare", "/api/customers"), ("Acquisition", "/api/prospects"), ("FootTraffic", "/api/visits"), ("Insights", "/api/branch-stats") };
        foreach (var (service, path) in hosts)
        {
            var (services, createClient) = Host(service);
            var own = services.GetRequiredService<StaffTokenOptions>().Audience;
            Assert.That(own, Is.EqualTo(StaffAudiences.Of(service)));
            foreach (var (other, _) in hosts.Where(h => h.Item1 != service))
            {
                using var client = createClient();
                using var request = new HttpRequestMessage(HttpMethod.Get, path);
                request.Headers.Authorization = new("Bearer", Tokens.For(Tokens.HeadOffice, StaffAudiences.Of(other)));
                Assert.That((await client.SendAsync(request)).StatusCode, Is.EqualTo(HttpStatusCode.Unauthorized), $"{other}'s token at {service}");
            }
        }
    }

    private static string Symmetric(StaffIdentity staff, byte[] key) => new JsonWebTokenHandler().CreateToken(new SecurityTokenDescriptor
    {
        Issuer = Tokens.Options.Issuer,
        Audience = StaffAudiences.CustomerCare,
        Claims = new Dictionary<string, object> { [StaffClaims.StaffId] = staff.StaffId, [StaffClaims.Role] = staff.Role, [StaffClaims.Name] = staff.Name },
        Expires = DateTime.UtcNow.AddMinutes(10),
        SigningCredentials = new SigningCredentials(new SymmetricSecurityKey(key), SecurityAlgorithms.HmacSha256),
    });

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
