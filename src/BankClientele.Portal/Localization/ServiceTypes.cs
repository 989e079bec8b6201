using static BankClientele.Portal.Localization.Text;

namespace BankClientele.Portal.Localization;

/// <summary>
/// The queue machine's service types: the bank's own words in the data (存取款, 理财咨询, 开户, 贷款), kept as
/// they are by FootTraffic. The portal words the ones it knows in the reader's language; any other shows
/// as the bank wrote it.
/// </summary>
public static class ServiceTypes
{
    /// <summary>The values the door offers, and the word each is shown by.</summary>
    public static readonly (string Value, string Key)[] Known =
        [("存取款", "Lead.Service.Cash"), ("理财咨询", "Lead.Service.Wealth"), ("开户", "Lead.Service.Account"), ("贷款", "Lead.Service.Loan")];

    public static string Name(string? value) =>
        Known.FirstOrDefault(s => s.Value == value).Key is { } key ? T(key) : value ?? "";
}
