namespace BankClientele.Portal.Localization;

/// <summary>The portal's words for existing-customer care (CustomerCare): (Chinese, English), merged into <see cref="Text"/>.</summary>
internal static class CareWords
{
    public static readonly Dictionary<string, (string Zh, string En)> Words = new()
    {
    };
}
