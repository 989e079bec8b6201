using System.Net;
using System.Net.Sockets;

namespace BankClientele.CustomerCare.Webhooks;

/// <summary>The Webhooks section: where branch webhooks may point and how a send is bounded.</summary>
public sealed class WebhookOptions
{
    public static readonly string[] DefaultAllowedHosts = ["qyapi.weixin.qq.com", "oapi.dingtalk.com"];

    /// <summary>Host names a webhook may name (exact, case-insensitive); null: WeCom's and DingTalk's.</summary>
    public string[]? AllowedHosts { get; set; }

    public TimeSpan Timeout { get; set; } = TimeSpan.FromSeconds(10);

    /// <summary>A bot answers with a few bytes of JSON; more is not a bot.</summary>
    public int MaxResponseBytes { get; set; } = 64 * 1024;

    /// <summary>
    /// TESTS ONLY: IP literals (a local listener) exempt from https, the allow-list and the address
    /// check. Empty in every deployment; tests set it to reach a listener on 127.0.0.1.
    /// </summary>
    public string[]? TestOnlyTargets { get; set; }

    public IReadOnlyList<string> EffectiveAllowedHosts => AllowedHosts is { Length: > 0 } hosts ? hosts : DefaultAllowedHosts;
}

/// <summary>Why a webhook address was refused; never sent to.</summary>
public sealed class WebhookTargetRefusedException(string message) : HttpRequestException(message);

/// <summary>
/// Where a branch webhook may send: https, a host on the allow-list, and an address on the public
/// internet (not loopback, link-local, private, CGNAT, multicast or unspecified, v4 or v6, also
/// v4-mapped), so a webhook cannot be aimed at the bank's own network (SSRF).
/// </summary>
public sealed class WebhookTargets(WebhookOptions options)
{
    public WebhookOptions Options => options;

    /// <summary>The problem with a URL before any lookup (scheme, host), or null.</summary>
    public string? UrlProblem(Uri url)
    {
        if (IsTestOnlyTarget(url.Host))
        {
            return null;
        }
        if (url.Scheme != Uri.UriSchemeHttps)
        {
            return "Only https webhooks are allowed.";
        }
        if (!url.UserInfo.Equals("", StringComparison.Ordinal))
        {
            return "A webhook URL carries no user name or password.";
        }
        if (!options.EffectiveAllowedHosts.Contains(url.IdnHost, StringComparer.OrdinalIgnoreCase))
        {
            return $"The host {url.IdnHost} is not on the allow-list (Webhooks:AllowedHosts: {string.Join(", ", options.EffectiveAllowedHosts)}).";
        }
        return null;
    }

    /// <summary>The problem with an address a host resolved to, or null when it may be connected to.</summary>
    public string? AddressProblem(string host, IPAddress address) =>
        IsTestOnlyTarget(host) ? null
        : IsForbidden(address) ? $"{host} resolves to {address}, an internal or reserved address: webhooks go to the public internet only."
        : null;

    /// <summary>
    /// At save time: the URL's rules, and, when its host resolves now, its addresses. A host that
    /// does not resolve is accepted: the send checks again, at connect time, the address it uses.
    /// </summary>
    public async Task<string?> CheckAsync(Uri url, CancellationToken ct)
    {
        if (UrlProblem(url) is { } problem)
        {
            return problem;
        }
        IPAddress[] addresses;
        try
        {
            addresses = IPAddress.TryParse(url.Host.Trim('[', ']'), out var literal) ? [literal] : await Dns.GetHostAddressesAsync(url.IdnHost, ct);
        }
        catch (SocketException)
        {
            return null;
        }
        return addresses.Select(a => AddressProblem(url.IdnHost, a)).FirstOrDefault(p => p is not null);
    }

    private bool IsTestOnlyTarget(string host) =>
        options.TestOnlyTargets is { Length: > 0 } targets && targets.Contains(host.Trim('[', ']'), StringComparer.OrdinalIgnoreCase);

    public static bool IsForbidden(IPAddress address)
    {
        if (address.IsIPv4MappedToIPv6)
        {
            address = address.MapToIPv4();
        }
        if (address.AddressFamily == AddressFamily.InterNetwork)
        {
            var b = address.GetAddressBytes();
            return b[0] switch
            {
                0 => true,                                   // 0.0.0.0/8 "this network", unspecified
                10 => true,                                  // private
                127 => true,                                 // loopback
                100 => b[1] is >= 64 and <= 127,             // 100.64.0.0/10 CGNAT
                169 => b[1] == 254,                          // link-local (cloud metadata 169.254.169.254)
                172 => b[1] is >= 16 and <= 31,              // private
                192 => b[1] == 168 || (b[1] == 0 && b[2] is 0 or 2) || (b[1] == 88 && b[2] == 99), // private, IETF, TEST-NET-1, 6to4 relay
                198 => b[1] is 18 or 19 || (b[1] == 51 && b[2] == 100), // benchmarking, TEST-NET-2
                203 => b[1] == 0 && b[2] == 113,             // TEST-NET-3
                >= 224 => true,                              // multicast, reserved, broadcast
                _ => false,
            };
        }
        if (address.AddressFamily == AddressFamily.InterNetworkV6)
        {
            if (address.Equals(IPAddress.IPv6Any) || address.Equals(IPAddress.IPv6Loopback)
                || address.IsIPv6LinkLocal || address.IsIPv6SiteLocal || address.IsIPv6Multicast || address.IsIPv6UniqueLocal)
            {
                return true;
            }
            var b = address.GetAddressBytes();
            // IPv4-compatible (::a.b.c.d), NAT64 (64:ff9b::/96) and 6to4 (2002::/16) carry a v4 address: judge that one.
            if (b.Take(12).All(x => x == 0) || (b[0] == 0x00 && b[1] == 0x64 && b[2] == 0xff && b[3] == 0x9b))
            {
                return IsForbidden(new IPAddress(b[12..16]));
            }
            if (b[0] == 0x20 && b[1] == 0x02)
            {
                return IsForbidden(new IPAddress(b[2..6]));
            }
            return b[0] == 0x20 && b[1] == 0x01 && b[2] == 0x0d && b[3] == 0xb8; // documentation 2001:db8::/32
        }
        return true;
    }
}

/// <summary>
/// The HTTP stack of webhook sends: the URL rules on every request, and at connect time the name is
/// resolved, each address checked, and the connection made to the checked address (so a DNS answer
/// that changes between check and connect cannot point it inward). No redirects; bounded time and size.
/// </summary>
public static class WebhookHttp
{
    public static SocketsHttpHandler CreateHandler(WebhookTargets targets) => new()
    {
        AllowAutoRedirect = false,
        UseProxy = false,
        UseCookies = false,
        ConnectTimeout = targets.Options.Timeout,
        PooledConnectionLifetime = TimeSpan.FromMinutes(2), // DNS changes are looked up again
        MaxResponseHeadersLength = 16,                      // KiB
        ConnectCallback = async (context, ct) =>
        {
            var host = context.DnsEndPoint.Host;
            var addresses = IPAddress.TryParse(host.Trim('[', ']'), out var literal) ? [literal] : await Dns.GetHostAddressesAsync(host, ct);
            if (addresses.Length == 0)
            {
                throw new WebhookTargetRefusedException($"{host} does not resolve.");
            }
            foreach (var address in addresses)
            {
                if (targets.AddressProblem(host, address) is { } problem)
                {
                    throw new WebhookTargetRefusedException(problem);
                }
            }
            var socket = new Socket(SocketType.Stream, ProtocolType.Tcp) { NoDelay = true };
            try
            {
                await socket.ConnectAsync(addresses, context.DnsEndPoint.Port, ct);
                return new NetworkStream(socket, ownsSocket: true);
            }
            catch
            {
                socket.Dispose();
                throw;
            }
        },
    };

    /// <summary>POSTs JSON to a webhook and returns the body; refuses a target, a redirect or an oversized answer.</summary>
    public static async Task<string> PostAsync(HttpClient http, WebhookTargets targets, string url, object body, CancellationToken ct)
    {
        if (!Uri.TryCreate(url, UriKind.Absolute, out var uri))
        {
            throw new WebhookTargetRefusedException("Not an absolute URL.");
        }
        // A URL saved before the rules (or written to the database by hand) is checked again here.
        if (targets.UrlProblem(uri) is { } problem)
        {
            throw new WebhookTargetRefusedException(problem);
        }
        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(ct);
        timeout.CancelAfter(targets.Options.Timeout);
        using var request = new HttpRequestMessage(HttpMethod.Post, uri) { Content = System.Net.Http.Json.JsonContent.Create(body) };
        using var response = await http.SendAsync(request, HttpCompletionOption.ResponseHeadersRead, timeout.Token);
        if ((int)response.StatusCode is >= 300 and < 400)
        {
            throw new WebhookTargetRefusedException($"The webhook answered a redirect ({(int)response.StatusCode}) to {response.Headers.Location}: redirects are not followed.");
        }
        response.EnsureSuccessStatusCode();
        if (response.Content.Headers.ContentLength > targets.Options.MaxResponseBytes)
        {
            throw new WebhookTargetRefusedException($"The webhook's answer is larger than {targets.Options.MaxResponseBytes} bytes.");
        }
        await using var stream = await response.Content.ReadAsStreamAsync(timeout.Token);
        var buffer = new byte[targets.Options.MaxResponseBytes + 1];
        var read = 0;
        while (read < buffer.Length && await stream.ReadAsync(buffer.AsMemory(read), timeout.Token) is var n and > 0)
        {
            read += n;
        }
        if (read > targets.Options.MaxResponseBytes)
        {
            throw new WebhookTargetRefusedException($"The webhook's answer is larger than {targets.Options.MaxResponseBytes} bytes.");
        }
        return System.Text.Encoding.UTF8.GetString(buffer, 0, read);
    }
}
