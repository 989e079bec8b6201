using System.Diagnostics;
using BankClientele.Cli.Infrastructure;

namespace BankClientele.Cli.Readiness;

/// <summary>Where a service's readiness is asked: its anonymous <c>/health/ready</c>.</summary>
public sealed record ReadinessTarget(ServiceInfo Service, Uri BaseAddress)
{
    public Uri HealthUri => new(BaseAddress, "/health/ready");
}

/// <summary>The last answer of one service: ready or why not, and when it became ready.</summary>
public sealed record ReadinessState(ReadinessTarget Target, bool Ready, string Detail, TimeSpan? ReadyAfter);

/// <summary>Polls services' <c>/health/ready</c> until every one answers 200 or the time is up.</summary>
public sealed class ReadinessProbe(HttpMessageHandler? handler = null) : IDisposable
{
    private readonly HttpClient http = handler is null
        ? new HttpClient { Timeout = TimeSpan.FromSeconds(5) }
        : new HttpClient(handler, disposeHandler: false) { Timeout = TimeSpan.FromSeconds(5) };

    /// <summary>One look: 200 is ready; anything else (or no answer) is not, with the reason.</summary>
    public async Task<(bool Ready, string Detail)> CheckAsync(ReadinessTarget target, CancellationToken ct)
    {
        try
        {
            using var response = await http.GetAsync(target.HealthUri, ct);
            var body = (await response.Content.ReadAsStringAsync(ct)).Trim();
            var status = $"{(int)response.StatusCode} {response.StatusCode}";
            return response.IsSuccessStatusCode
                ? (true, body.Length is > 0 and < 40 ? $"{status} ({body})" : status)
                : (false, body.Length is > 0 and < 200 ? $"{status} ({body})" : status);
        }
        catch (HttpRequestException e)
        {
            return (false, e.Messages());
        }
        catch (TaskCanceledException) when (!ct.IsCancellationRequested)
        {
            return (false, $"no answer within {http.Timeout.TotalSeconds:0} s");
        }
    }

    /// <summary>
    /// Asks every target not yet ready, every <paramref name="interval"/>, until all are ready or
    /// <paramref name="timeout"/> has passed; a target once ready is not asked again.
    /// </summary>
    public async Task<IReadOnlyList<ReadinessState>> WaitAsync(
        IReadOnlyList<ReadinessTarget> targets,
        TimeSpan timeout,
        TimeSpan interval,
        Action<IReadOnlyList<ReadinessState>>? progress,
        CancellationToken ct)
    {
        var clock = Stopwatch.StartNew();
        var states = targets.Select(t => new ReadinessState(t, false, "not asked yet", null)).ToArray();
        while (true)
        {
            var pending = Enumerable.Range(0, states.Length).Where(i => !states[i].Ready).ToList();
            var answers = await Task.WhenAll(pending.Select(i => CheckAsync(states[i].Target, ct)));
            for (var k = 0; k < pending.Count; k++)
            {
                var (ready, detail) = answers[k];
                states[pending[k]] = states[pending[k]] with { Ready = ready, Detail = detail, ReadyAfter = ready ? clock.Elapsed : null };
            }
            progress?.Invoke(states);
            if (states.All(s => s.Ready) || clock.Elapsed >= timeout)
            {
                return states;
            }
            var left = timeout - clock.Elapsed;
            await Task.Delay(left < interval ? left : interval, ct);
        }
    }

    public void Dispose() => http.Dispose();
}
