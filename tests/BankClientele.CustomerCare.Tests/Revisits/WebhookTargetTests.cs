using System.Net;
using System.Net.Http.Json;
using System.Net.Sockets;
using BankClientele.CustomerCare.Webhooks;
using Microsoft.AspNetCore.Mvc;

namespace BankClientele.CustomerCare.Tests.Revisits;

/// <summary>
/// A branch webhook cannot be aimed at the bank's own network: https to an allow-listed host on the
/// public internet only, checked when saved and again at connect time; no redirects; bounded answers.
/// </summary>
public sealed class WebhookTargetTests
{
    [TestCase("https://localhost/cgi-bin/webhook/send?key=x", "resolves to")]
    [TestCase("https://169.254.169.254/latest/meta-data", "169.254.169.254")]
    [TestCase("https://10.20.30.40/robot/send", "10.20.30.40")]
    [TestCase("https://100.64.0.1/robot/send", "100.64.0.1")]
    [TestCase("http://qyapi.weixin.qq.com/cgi-bin/webhook/send?key=x", "https")]
    [TestCase("https://evil.example/cgi-bin/webhook/send?key=x", "allow-list")]
    public async Task Saving_a_webhook_that_points_inward_or_off_the_list_is_a_problem_naming_the_url(string url, string reason)
    {
        var branch = TestServers.UniqueBranch();
        using var lead = TestSystem.CustomerCare.ClientFor(Tokens.BranchLead(branch));

        var response = await lead.PutAsJsonAsync($"/api/branches/{branch}/webhook", new SaveBranchWebhook(url, WebhookFormats.WeCom));

        Assert.That(response.StatusCode, Is.EqualTo(HttpStatusCode.BadRequest), await response.Content.ReadAsStringAsync());
        var problem = (await response.Content.ReadFromJsonAsync<ValidationProblemDetails>())!;
        Assert.That(problem.Errors.Keys, Is.EquivalentTo(new[] { "url" }));
        Assert.That(problem.Errors["url"].Single(), Does.Contain(reason));
    }

    [Test]
    public async Task The_default_allow_list_is_WeCom_and_DingTalk_only()
    {
        var targets = new WebhookTargets(new WebhookOptions());
        Assert.Multiple(() =>
        {
            Assert.That(targets.UrlProblem(new Uri("https://qyapi.weixin.qq.com/cgi-bin/webhook/send?key=x")), Is.Null);
            Assert.That(targets.UrlProblem(new Uri("https://oapi.dingtalk.com/robot/send?access_token=x")), Is.Null);
            Assert.That(targets.UrlProblem(new Uri("https://127.0.0.1/")), Does.Contain("allow-list"));
            Assert.That(targets.UrlProblem(new Uri("https://user:pw@qyapi.weixin.qq.com/")), Does.Contain("password"));
        });
        Assert.That(await targets.CheckAsync(new Uri("http://oapi.dingtalk.com/robot/send"), CancellationToken.None), Does.Contain("https"));
    }

    [TestCase("127.0.0.1")]
    [TestCase("127.8.9.10")]
    [TestCase("0.0.0.0")]
    [TestCase("10.0.0.1")]
    [TestCase("172.16.0.1")]
    [TestCase("192.168.1.1")]
    [TestCase("169.254.169.254")]
    [TestCase("100.64.0.1")]
    [TestCase("100.127.255.254")]
    [TestCase("224.0.0.1")]
    [TestCase("255.255.255.255")]
    [TestCase("::")]
    [TestCase("::1")]
    [TestCase("fe80::1")]
    [TestCase("fc00::1")]
    [TestCase("fd12:3456::1")]
    [TestCase("ff02::1")]
    [TestCase("::ffff:127.0.0.1")]
    [TestCase("::ffff:10.0.0.1")]
    [TestCase("64:ff9b::a00:1")]
    [TestCase("2002:a00:1::")]
    public void Internal_and_reserved_addresses_are_refused(string address) =>
        Assert.That(WebhookTargets.IsForbidden(IPAddress.Parse(address)), Is.True);

    [TestCase("203.119.206.75")]
    [TestCase("100.128.0.1")]
    [TestCase("172.32.0.1")]
    [TestCase("2408:8000::1")]
    [TestCase("::ffff:203.119.206.75")]
    public void Public_addresses_are_allowed(string address) =>
        Assert.That(WebhookTargets.IsForbidden(IPAddress.Parse(address)), Is.False);

    [TestCase("https://127.0.0.1:{port}/send", "127.0.0.1")]
    [TestCase("https://localhost:{port}/send", "localhost resolves to")]
    public async Task Sending_to_an_allow_listed_name_that_resolves_inward_is_refused_before_connecting(string url, string reason)
    {
        // Listening, and on the allow-list: only the address check stands between the send and the listener.
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        var port = ((IPEndPoint)listener.LocalEndpoint).Port;
        var targets = new WebhookTargets(new WebhookOptions { AllowedHosts = ["127.0.0.1", "localhost"] });

        var refusal = await SendAsync(targets, url.Replace("{port}", port.ToString(System.Globalization.CultureInfo.InvariantCulture)));

        Assert.That(refusal, Does.Contain(reason));
        Assert.That(listener.Pending(), Is.False, "no connection was made");
    }

    [Test]
    public async Task Plain_http_and_hosts_off_the_list_are_refused_at_send_time_too()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        var port = ((IPEndPoint)listener.LocalEndpoint).Port;
        var targets = new WebhookTargets(new WebhookOptions { AllowedHosts = ["127.0.0.1"] });

        Assert.That(await SendAsync(targets, $"http://127.0.0.1:{port}/send"), Does.Contain("Only https"));
        Assert.That(await SendAsync(targets, "https://evil.example/send"), Does.Contain("allow-list"));
        Assert.That(await SendAsync(new WebhookTargets(new WebhookOptions()), "https://169.254.169.254/latest"), Does.Contain("allow-list"));
        Assert.That(listener.Pending(), Is.False, "no connection was made");
    }

    [Test]
    public async Task A_redirect_is_not_followed()
    {
        using var elsewhere = new CountingListener(_ => (HttpStatusCode.OK, """{"errcode":0}"""));
        using var bot = new CountingListener(response =>
        {
            response.RedirectLocation = $"{elsewhere.Address}send";
            return (HttpStatusCode.Found, "");
        });
        // The listener may be reached (a test-only exemption), but the redirect it answers is not followed.
        var targets = new WebhookTargets(new WebhookOptions { TestOnlyTargets = ["127.0.0.1"] });

        var refusal = await SendAsync(targets, $"{bot.Address}send");

        Assert.That(refusal, Does.Contain("redirect"));
        Assert.That(bot.Requests, Is.EqualTo(1));
        Assert.That(elsewhere.Requests, Is.Zero, "the redirect's target was never called");
    }

    [Test]
    public async Task An_oversized_answer_is_refused_and_a_bot_answer_is_read()
    {
        using var flood = new CountingListener(_ => (HttpStatusCode.OK, new string('x', 200_000)));
        using var bot = new CountingListener(_ => (HttpStatusCode.OK, """{"errcode":0,"errmsg":"ok"}"""));
        var targets = new WebhookTargets(new WebhookOptions { TestOnlyTargets = ["127.0.0.1"], MaxResponseBytes = 64 * 1024 });

        Assert.That(await SendAsync(targets, $"{flood.Address}send"), Does.Contain("larger than 65536 bytes"));
        using var http = new HttpClient(WebhookHttp.CreateHandler(targets));
        Assert.That(await WebhookHttp.PostAsync(http, targets, $"{bot.Address}send", new { msgtype = "markdown" }, CancellationToken.None),
            Is.EqualTo("""{"errcode":0,"errmsg":"ok"}"""));
    }

    private static async Task<string> SendAsync(WebhookTargets targets, string url)
    {
        using var http = new HttpClient(WebhookHttp.CreateHandler(targets));
        try
        {
            await WebhookHttp.PostAsync(http, targets, url, new { msgtype = "markdown" }, CancellationToken.None);
            return "(sent)";
        }
        catch (HttpRequestException e)
        {
            // The connect callback's refusal arrives wrapped in the handler's connection error.
            return e is WebhookTargetRefusedException ? e.Message : $"{e.Message} {e.InnerException?.Message}";
        }
    }

    /// <summary>A local HTTP listener answering every request the same way, counting them.</summary>
    private sealed class CountingListener : IDisposable
    {
        private readonly HttpListener listener = new();
        private readonly CancellationTokenSource stop = new();
        private int requests;

        public CountingListener(Func<HttpListenerResponse, (HttpStatusCode Status, string Body)> answer)
        {
            var port = FreePort();
            Address = new Uri($"http://127.0.0.1:{port}/");
            listener.Prefixes.Add(Address.ToString());
            listener.Start();
            _ = Task.Run(async () =>
            {
                while (!stop.IsCancellationRequested)
                {
                    HttpListenerContext context;
                    try
                    {
                        context = await listener.GetContextAsync();
                    }
                    catch (Exception e) when (e is HttpListenerException or ObjectDisposedException)
                    {
                        return;
                    }
                    Interlocked.Increment(ref requests);
                    var (status, body) = answer(context.Response);
                    context.Response.StatusCode = (int)status;
                    var bytes = System.Text.Encoding.UTF8.GetBytes(body);
                    try
                    {
                        await context.Response.OutputStream.WriteAsync(bytes);
                        context.Response.Close();
                    }
                    catch (HttpListenerException)
                    {
                        // the client hung up on an oversized answer
                    }
                }
            });
        }

        public Uri Address { get; }

        public int Requests => Volatile.Read(ref requests);

        public void Dispose()
        {
            stop.Cancel();
            listener.Close();
            stop.Dispose();
        }

        private static int FreePort()
        {
            using var probe = new TcpListener(IPAddress.Loopback, 0);
            probe.Start();
            return ((IPEndPoint)probe.LocalEndpoint).Port;
        }
    }
}
