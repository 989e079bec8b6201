using System.Globalization;
using BankClientele.Portal.Localization;
using BankClientele.Portal.Services;
using static BankClientele.Portal.Localization.Text;

namespace BankClientele.Portal.Components.Layout;

/// <summary>
/// A notification in the reader's language: its kind, the (masked) customer, and its detail, which
/// CustomerCare keeps as codes ("PrivateBanking · 理财咨询", "scheduled · 2026-12-01") so it can be translated here.
/// </summary>
public static class NotificationText
{
    public static string Title(NotificationRow n) => T("Notify.Kind." + n.Kind);

    public static string Line(NotificationRow n)
    {
        var customer = n.CustomerName ?? T("Notify.SomeCustomer");
        var parts = (n.Detail ?? "").Split(" · ", 2);
        var (first, second) = (parts[0], parts.Length > 1 ? parts[1] : "");
        return n.Kind switch
        {
            NotificationCalls.VipArrived =>
                string.Format(CultureInfo.CurrentCulture, T("Notify.VipLine"), customer, T("Care.Tier." + first), n.BranchCode, ServiceTypes.Name(second)),
            NotificationCalls.ApprovalWaiting =>
                string.Format(CultureInfo.CurrentCulture, T("Notify.ApprovalLine"), first, T("Acq.Kind." + second), n.BranchCode),
            NotificationCalls.ImportFinished =>
                string.Format(CultureInfo.CurrentCulture, T("Notify.ImportLine"), T("Imports.Kind." + first),
                    int.TryParse(second, CultureInfo.InvariantCulture, out var rows) ? rows.ToString("N0", CultureInfo.CurrentCulture) : second),
            _ => string.Format(CultureInfo.CurrentCulture, T("Notify.RevisitLine"), customer, T("Care.Reason." + first), second),
        };
    }

    /// <summary>Where the notification's subject is seen: the campaign to approve, the imported rows' page; null otherwise.</summary>
    public static string? Link(NotificationRow n)
    {
        var first = (n.Detail ?? "").Split(" · ", 2)[0];
        return n.Kind switch
        {
            NotificationCalls.ApprovalWaiting => $"/acquisition/campaigns/{Uri.EscapeDataString(first)}",
            NotificationCalls.ImportFinished => BankClientele.Portal.Imports.ImportKind.Find(first)?.SeeAt,
            _ => null,
        };
    }
}
