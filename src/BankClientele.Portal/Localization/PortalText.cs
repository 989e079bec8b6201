namespace BankClientele.Portal.Localization;

/// <summary>
/// Marker for the portal's words: PortalText.resx beside it holds the Chinese (the neutral, default
/// language) and PortalText.en.resx the English. Inject <c>IStringLocalizer&lt;PortalText&gt;</c>, or
/// call <see cref="Text.T"/> from pages.
/// </summary>
public sealed class PortalText;
