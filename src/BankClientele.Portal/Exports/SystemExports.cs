using System.Globalization;
using BankClientele.Portal.Services;
using static BankClientele.Portal.Localization.Text;

namespace BankClientele.Portal.Exports;

/// <summary>The bus tables of the system page (administrators: the services refuse anyone else).</summary>
internal static class SystemExports
{
    public static async Task<ExportTable> QueuesAsync(ServiceApi api, IQueryCollection query, CancellationToken ct)
    {
        var status = await api.BusStatusAsync(ct);
        string[] columns = [T("System.Service"), T("System.Queue"), T("System.Messages"), T("System.Consumers"), T("System.ErrorMessages"), T("System.AlarmLength")];
        var rows = status.SelectMany(s => s.Queues.Select(q => new object?[] { s.Service, q.Queue, q.Messages, q.Consumers, q.ErrorMessages, q.AlarmLength })).ToList();
        return new ExportTable("bus-queues", columns, rows, Problem(status));
    }

    public static async Task<ExportTable> OutboxesAsync(ServiceApi api, IQueryCollection query, CancellationToken ct)
    {
        var status = await api.BusStatusAsync(ct);
        string[] columns = [T("System.Service"), T("System.Unsent"), T("System.OldestAge"), T("System.Failing"), T("System.LastError")];
        var rows = status.Where(s => s.Outbox is not null)
            .Select(s => new object?[] { s.Service, s.Outbox!.Unsent, s.Outbox.OldestAgeSeconds?.ToString("0.0", CultureInfo.InvariantCulture), s.Outbox.Failing, s.Outbox.LastError })
            .ToList();
        return new ExportTable("bus-outboxes", columns, rows, Problem(status));
    }

    // A table missing a service would mislead: refuse the export instead.
    private static string? Problem(IReadOnlyList<ServiceBusStatus> status) =>
        status.FirstOrDefault(s => s.Problem is not null) is { } failed ? $"{failed.Service}: {failed.Problem}" : null;
}
