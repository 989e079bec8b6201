namespace BankClientele.Portal.Localization;

/// <summary>The portal's words for foot traffic (FootTraffic): (Chinese, English), merged into <see cref="Text"/>.</summary>
internal static class TrafficWords
{
    public static readonly Dictionary<string, (string Zh, string En)> Words = new()
    {
    };
}
