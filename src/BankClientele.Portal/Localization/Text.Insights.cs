namespace BankClientele.Portal.Localization;

/// <summary>The portal's words for head-office insights (Insights): (Chinese, English), merged into <see cref="Text"/>.</summary>
internal static class InsightsWords
{
    public static readonly Dictionary<string, (string Zh, string En)> Words = new()
    {
    };
}
