namespace BankClientele.Portal.Localization;

/// <summary>The portal's words for acquisition (Acquisition): (Chinese, English), merged into <see cref="Text"/>.</summary>
internal static class AcquisitionWords
{
    public static readonly Dictionary<string, (string Zh, string En)> Words = new()
    {
    };
}
