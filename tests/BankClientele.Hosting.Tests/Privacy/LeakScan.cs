using System.Net.Http.Json;
using System.Text;
using BankClientele.CustomerCare.Calendar;
using BankClientele.Hosting.Auth;
using BankClientele.Portal.Exports;

namespace BankClientele.Hosting.Tests.Privacy;

/// <summary>What the leak tests read besides the services' answers: a manager's calendar feed and an export as text.</summary>
internal static class LeakScan
{
    /// <summary>The manager's calendar feed, read anonymously through a secret link made for them.</summary>
    public static async Task<string> CalendarFeedAsync(StaffIdentity manager)
    {
        using var client = TestSystem.CustomerCare.ClientFor(manager);
        var link = await (await client.PostAsync("/api/calendar-links", null)).EnsureSuccessStatusCode().Content.ReadFromJsonAsync<CalendarLinkCreated>();
        using var anonymous = TestSystem.CustomerCare.CreateClient();
        return await anonymous.GetStringAsync(link!.Path);
    }

    /// <summary>The table written as the portal writes an export (csv or xlsx), read back as text: every cell of the sheet.</summary>
    public static async Task<string> ExportTextAsync(ExportTable table, string format)
    {
        using var file = await ExportEndpoints.WriteAsync(table, format, CancellationToken.None);
        return format == "csv"
            ? Encoding.UTF8.GetString(file.ToArray())
            : string.Join('\n', MiniExcelLibs.MiniExcel.Query(file).SelectMany(r => ((IDictionary<string, object?>)r).Values).Select(v => v?.ToString()));
    }
}
