using System.Globalization;
using System.Resources;
using BankClientele.Hosting.Time;

namespace BankClientele.Portal.Localization;

/// <summary>
/// The portal's words for pages: <c>T("key")</c> reads Localization/PortalText.resx (Chinese, the
/// default) or PortalText.en.resx in the request's UI culture, the same resources an injected
/// <c>IStringLocalizer&lt;PortalText&gt;</c> reads. A key with no word shows as itself.
/// </summary>
public static class Text
{
    public const string Chinese = "zh-CN";
    public const string English = "en-US";
    public static readonly string[] Cultures = [Chinese, English];

    /// <summary>The resources behind <c>IStringLocalizer&lt;PortalText&gt;</c> (AddLocalization without a resources path).</summary>
    private static readonly ResourceManager Words = new(typeof(PortalText));

    public static bool IsEnglish => CultureInfo.CurrentUICulture.Name.StartsWith("en", StringComparison.Ordinal);

    public static string T(string key) => Words.GetString(key, CultureInfo.CurrentUICulture) ?? key;

    /// <summary>
    /// A service's code in the reader's language: the word under <paramref name="prefix"/> + code, or the
    /// code itself where the portal has no word for it (a value the bank typed, not one the services define).
    /// </summary>
    public static string Word(string prefix, string? code) =>
        code is null ? "" : Words.GetString(prefix + code, CultureInfo.CurrentUICulture) ?? code;

    /// <summary>
    /// A service's failed answer for support, in the reader's language: its HTTP status ("500 Internal Server
    /// Error" reads "服务返回状态 500"); null for anything else (a connection's own error message).
    /// </summary>
    public static string? StatusWords(string? problem) =>
        problem is { Length: > 3 } && problem[..3].All(char.IsAsciiDigit) && (problem.Length == 3 || problem[3] == ' ')
            ? string.Format(CultureInfo.CurrentCulture, T("UnavailableStatus"), problem[..3]) : null;

    /// <summary>An instant as the branches read it (Beijing time, <see cref="BranchClock"/>), whatever the server's zone.</summary>
    public static string Time(DateTimeOffset at, string format = "yyyy-MM-dd HH:mm") =>
        BranchClock.ToBranchTime(at).ToString(format, CultureInfo.InvariantCulture);

    /// <summary>Today in branch time, as the instants it starts and ends.</summary>
    public static (DateTimeOffset From, DateTimeOffset To) Today(DateTimeOffset now)
    {
        var day = BranchClock.DayOf(now);
        return (BranchClock.StartOfDay(day), BranchClock.EndOfDay(day));
    }

    /// <summary>The other language, for the switch in the header.</summary>
    public static string OtherCulture => IsEnglish ? Chinese : English;
}
