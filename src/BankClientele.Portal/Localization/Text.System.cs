namespace BankClientele.Portal.Localization;

/// <summary>The portal's words for operating the system (bus, queues, outboxes): (Chinese, English), merged into <see cref="Text"/>.</summary>
internal static class SystemWords
{
    public static readonly Dictionary<string, (string Zh, string En)> Words = new()
    {
    };
}
