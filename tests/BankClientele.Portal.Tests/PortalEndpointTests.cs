using System.Net;
using System.Net.Http.Json;
using BankClientele.Hosting.Auth;
using Microsoft.AspNetCore.Components.Endpoints;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.DependencyInjection;

namespace BankClientele.Portal.Tests;

/// <summary>The portal's own endpoints, read from its endpoint list, without a browser.</summary>
public sealed class PortalEndpointTests
{
    /// <summary>
    /// Open to anyone: signing in, its error pages, the language switch, health, and Blazor's own
    /// redirect helper (it carries no data).
    /// </summary>
    private static readonly HashSet<string> AllowAnonymous =
        ["/account/login", "/account/denied", "/error", "/culture", "/health/live", "/health/ready", "/_framework/opaque-redirect"];

    [Test]
    public async Task Every_endpoint_but_sign_in_and_static_files_needs_a_signed_in_user()
    {
        var endpoints = PortalSystem.Portal.Services.GetRequiredService<EndpointDataSource>().Endpoints.OfType<RouteEndpoint>()
            .Where(e => !IsStaticFile(e))
            .ToList();
        Assert.That(endpoints.Select(e => e.RoutePattern.RawText), Does.Contain("/customers").And.Contain("/api/staff-accounts"));

        using var client = new HttpClient(new HttpClientHandler { AllowAutoRedirect = false }) { BaseAddress = PortalSystem.Portal.Address };
        var open = new List<string>();
        foreach (var endpoint in endpoints.Where(e => !AllowAnonymous.Contains(e.RoutePattern.RawText ?? "")))
        {
            var path = "/" + SampleValues(endpoint.RoutePattern.RawText ?? "").TrimStart('/');
            var method = endpoint.Metadata.GetMetadata<HttpMethodMetadata>()?.HttpMethods.FirstOrDefault() ?? HttpMethods.Get;
            using var request = new HttpRequestMessage(new HttpMethod(method), path);
            var response = await client.SendAsync(request);
            var toSignIn = response.StatusCode == HttpStatusCode.Redirect && response.Headers.Location?.ToString().Contains("/account/login", StringComparison.Ordinal) == true;
            if (response.StatusCode != HttpStatusCode.Unauthorized && !toSignIn)
            {
                open.Add($"{method} {path} -> {(int)response.StatusCode}");
            }
        }
        Assert.That(open, Is.Empty);
    }

    [Test]
    public async Task Only_an_administrator_token_may_save_accounts_and_bad_input_names_the_field()
    {
        using var client = new HttpClient { BaseAddress = PortalSystem.Portal.Address };
        var account = PortalSystem.HeadOffice with { UserName = "ui.probe" };

        client.DefaultRequestHeaders.Authorization = new("Bearer", Tokens.For(Tokens.HeadOffice));
        Assert.That((await client.PutAsJsonAsync("/api/staff-accounts", account)).StatusCode, Is.EqualTo(HttpStatusCode.Forbidden));

        client.DefaultRequestHeaders.Authorization = new("Bearer", Tokens.For(Tokens.Administrator));
        var bad = await client.PutAsJsonAsync("/api/staff-accounts", account with { Role = "Boss", Password = "short" });
        Assert.That(bad.StatusCode, Is.EqualTo(HttpStatusCode.BadRequest));
        var problem = await bad.Content.ReadFromJsonAsync<ValidationProblemDetails>();
        Assert.That(problem!.Errors.Keys, Is.SupersetOf(new[] { "Role", "Password" }));
        Assert.That((await client.PutAsJsonAsync("/api/staff-accounts", account with { Role = StaffRoles.BranchLead, BranchCode = null })).StatusCode,
            Is.EqualTo(HttpStatusCode.BadRequest), "a branch lead needs a branch");
    }

    /// <summary>Stylesheets, scripts and fonts: a file path (or the development file fallback), read-only.</summary>
    private static bool IsStaticFile(RouteEndpoint endpoint)
    {
        var pattern = endpoint.RoutePattern.RawText ?? "";
        return endpoint.Metadata.GetMetadata<ComponentTypeMetadata>() is null
            && (Path.HasExtension(pattern) || pattern.Contains(":file}", StringComparison.Ordinal))
            && (endpoint.Metadata.GetMetadata<HttpMethodMetadata>()?.HttpMethods ?? []).All(m => m is "GET" or "HEAD");
    }

    /// <summary>A route template with a value of the right kind in each parameter, so the route matches.</summary>
    private static string SampleValues(string template) =>
        System.Text.RegularExpressions.Regex.Replace(template, @"\{\*{0,2}(\w+)(:(\w+))?[^}]*\}", match => match.Groups[3].Value switch
        {
            "guid" => Guid.NewGuid().ToString(),
            "int" or "long" => "1",
            _ => "sample",
        });
}
