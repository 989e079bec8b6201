using System.Net;
using System.Net.Http.Json;
using System.Text.RegularExpressions;
using BankClientele.Hosting.Auth;
using BankClientele.Portal.Accounts;

namespace BankClientele.Portal.Tests;

/// <summary>
/// Sign-in over plain HTTP, as a browser posts the form: the cookie's attributes behind a trusted
/// proxy, one message for every refusal, return URLs kept local, and a cookie any replica accepts.
/// </summary>
public sealed class SignInHardeningTests
{
    /// <summary>A second portal replica on the same database that trusts no proxy.</summary>
    private PortalFactory replica = null!;

    [OneTimeSetUp]
    public void StartReplica()
    {
        replica = new PortalFactory(PortalSystem.ServiceAddresses);
        replica.Start();
    }

    [OneTimeTearDown]
    public async Task StopReplica() => await replica.DisposeAsync();

    [Test]
    public async Task A_cookie_from_one_portal_replica_is_accepted_by_another()
    {
        var signedIn = await SignInAsync(PortalSystem.Portal.Address, PortalSystem.HeadOffice.UserName, PortalSystem.Password);
        Assert.That(signedIn.AuthCookie, Is.Not.Null, signedIn.Body);

        using var client = NoRedirects(replica.Address);
        using var request = new HttpRequestMessage(HttpMethod.Get, "/network");
        request.Headers.Add("Cookie", signedIn.AuthCookie!.Split(';')[0]);
        var response = await client.SendAsync(request);

        // Keys in memory would make the replica send the user to sign in again.
        Assert.That(response.StatusCode, Is.EqualTo(HttpStatusCode.OK), response.Headers.Location?.ToString());
    }

    [Test]
    public async Task Behind_a_trusted_proxy_over_TLS_the_cookie_is_Secure_HttpOnly_and_SameSite_Strict()
    {
        var viaTrustedProxy = await SignInAsync(PortalSystem.Portal.Address, PortalSystem.HeadOffice.UserName, PortalSystem.Password, forwardedProto: "https");
        var plain = await SignInAsync(PortalSystem.Portal.Address, PortalSystem.HeadOffice.UserName, PortalSystem.Password);
        var untrusted = await SignInAsync(replica.Address, PortalSystem.HeadOffice.UserName, PortalSystem.Password, forwardedProto: "https");

        Assert.Multiple(() =>
        {
            Assert.That(viaTrustedProxy.AuthCookie, Does.Contain("secure").IgnoreCase.And.Contain("httponly").IgnoreCase.And.Contain("samesite=strict").IgnoreCase);
            Assert.That(plain.AuthCookie, Does.Contain("httponly").IgnoreCase.And.Not.Contain("secure").IgnoreCase, "plain http (development)");
            Assert.That(untrusted.AuthCookie, Does.Not.Contain("secure").IgnoreCase, "X-Forwarded-Proto from an untrusted address is ignored");
        });
    }

    [TestCase("//evil.example")]
    [TestCase("/\\evil.example")]
    [TestCase("https://evil.example")]
    [TestCase("http:evil.example")]
    public async Task A_return_url_off_the_portal_lands_on_the_start_page(string returnUrl)
    {
        var signedIn = await SignInAsync(PortalSystem.Portal.Address, PortalSystem.HeadOffice.UserName, PortalSystem.Password, returnUrl);
        Assert.That(signedIn.Location, Is.EqualTo("/"), signedIn.Body);

        using var client = NoRedirects(PortalSystem.Portal.Address);
        var culture = await client.GetAsync($"/culture?c=en-US&redirect={Uri.EscapeDataString(returnUrl)}");
        Assert.That(culture.Headers.Location?.ToString(), Is.EqualTo("/"));
    }

    [Test]
    public async Task A_local_return_url_is_kept()
    {
        var signedIn = await SignInAsync(PortalSystem.Portal.Address, PortalSystem.HeadOffice.UserName, PortalSystem.Password, "/network?x=1");
        Assert.That(signedIn.Location, Is.EqualTo("/network?x=1"), signedIn.Body);
    }

    [Test]
    public async Task A_wrong_password_an_unknown_user_and_a_locked_account_get_one_message()
    {
        var account = PortalSystem.HeadOffice with { UserName = $"ui.lock.{Guid.NewGuid():N}"[..24], StaffId = $"UI-L-{Guid.NewGuid():N}"[..20] };
        using (var admin = new HttpClient { BaseAddress = PortalSystem.Portal.Address })
        {
            admin.DefaultRequestHeaders.Authorization = new("Bearer", Tokens.For(Tokens.Administrator));
            (await admin.PutAsJsonAsync("/api/staff-accounts", account)).EnsureSuccessStatusCode();
        }
        var wrong = await SignInAsync(PortalSystem.Portal.Address, account.UserName, "wrong-password-1");
        var unknown = await SignInAsync(PortalSystem.Portal.Address, $"nobody.{Guid.NewGuid():N}", "wrong-password-1");
        for (var attempt = 2; attempt <= 5; attempt++)
        {
            await SignInAsync(PortalSystem.Portal.Address, account.UserName, $"wrong-password-{attempt}");
        }
        var locked = await SignInAsync(PortalSystem.Portal.Address, account.UserName, account.Password);

        Assert.That(locked.AuthCookie, Is.Null, "locked: not signed in");
        Assert.That(new[] { wrong.Message, unknown.Message, locked.Message }, Is.All.EqualTo("用户名或密码错误。"));
        Assert.That(locked.Body, Does.Not.Contain("锁定"));
    }

    [Test]
    public void The_sign_in_log_names_a_user_by_a_hash() =>
        Assert.That(SignInLog.UserNameHash(" UI.HQ "), Is.EqualTo(SignInLog.UserNameHash("ui.hq")).And.Not.Contain("ui.hq").And.StartWith("u:"));

    private sealed record SignInResult(HttpStatusCode Status, string? Location, string? AuthCookie, string? Message, string Body);

    /// <summary>GETs the sign-in page and posts its form back, as a browser without JavaScript does.</summary>
    private static async Task<SignInResult> SignInAsync(Uri portal, string userName, string password, string? returnUrl = null, string? forwardedProto = null)
    {
        using var client = NoRedirects(portal);
        var path = returnUrl is null ? "/account/login" : $"/account/login?ReturnUrl={Uri.EscapeDataString(returnUrl)}";
        using var get = new HttpRequestMessage(HttpMethod.Get, path);
        if (forwardedProto is not null)
        {
            get.Headers.Add("X-Forwarded-Proto", forwardedProto);
        }
        var page = await client.SendAsync(get);
        var html = await page.Content.ReadAsStringAsync();
        var token = Regex.Match(html, "name=\"__RequestVerificationToken\" value=\"([^\"]+)\"").Groups[1].Value;
        var cookies = page.Headers.TryGetValues("Set-Cookie", out var set) ? set.Select(c => c.Split(';')[0]) : [];

        using var post = new HttpRequestMessage(HttpMethod.Post, path)
        {
            Content = new FormUrlEncodedContent(new Dictionary<string, string>
            {
                ["_handler"] = "signin",
                ["__RequestVerificationToken"] = token,
                ["Input.UserName"] = userName,
                ["Input.Password"] = password,
            }),
        };
        post.Headers.Add("Cookie", string.Join("; ", cookies));
        if (forwardedProto is not null)
        {
            post.Headers.Add("X-Forwarded-Proto", forwardedProto);
        }
        var response = await client.SendAsync(post);
        var body = await response.Content.ReadAsStringAsync();
        var authCookie = response.Headers.TryGetValues("Set-Cookie", out var issued)
            ? issued.FirstOrDefault(c => c.StartsWith("bankclientele.portal=", StringComparison.Ordinal))
            : null;
        var message = Regex.Match(body, "data-testid=\"signin-error\">([^<]*)<").Groups[1].Value;
        // Blazor redirects to an absolute address: compare the path and query on this portal.
        var location = response.Headers.Location is { } to
            ? to.IsAbsoluteUri && to.Authority == portal.Authority ? to.PathAndQuery : to.ToString()
            : null;
        return new(response.StatusCode, location, authCookie, message.Length > 0 ? WebUtility.HtmlDecode(message) : null, body);
    }

    private static HttpClient NoRedirects(Uri portal) =>
        new(new HttpClientHandler { AllowAutoRedirect = false, UseCookies = false }) { BaseAddress = portal };
}
