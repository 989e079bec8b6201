using BankClientele.Hosting.Messaging;

namespace BankClientele.Portal.Services;

/// <summary>A service's queues and outbox for the system page; <see cref="Problem"/> when it did not answer.</summary>
public sealed record ServiceBusStatus(string Service, IReadOnlyList<QueueStatus> Queues, OutboxStatus? Outbox, string? Problem);

/// <summary>Calls to each service's <c>/api/bus</c> endpoints (administrators only), for the system page.</summary>
public static class BusCalls
{
    public static async Task<IReadOnlyList<ServiceBusStatus>> BusStatusAsync(this ServiceApi api, CancellationToken ct)
    {
        var calls = ServiceNames.All.Select(async service =>
        {
            var queues = api.GetAsync<List<QueueStatus>>(service, "/api/bus/queues", ct);
            var outbox = api.GetAsync<OutboxStatus>(service, "/api/bus/outbox", ct);
            var (q, o) = (await queues, await outbox);
            return new ServiceBusStatus(service, q.Value ?? [], o.Value, q.Problem ?? o.Problem);
        });
        return await Task.WhenAll(calls);
    }
}
