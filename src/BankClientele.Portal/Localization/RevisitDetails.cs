using System.Globalization;
using System.Text.RegularExpressions;
using BankClientele.Portal.Services;
using static BankClientele.Portal.Localization.Text;

namespace BankClientele.Portal.Localization;

/// <summary>
/// A revisit's detail in the reader's language. CustomerCare composes the detail when it schedules a
/// visit and keeps it as text (the calendar feed and the group bot read it as it is): a tier's cadence
/// ("Wealth: every 60 days"), money leaving ("deposits 800000 -> 450000 in 30 days"), a new manager ("new manager", "taking over from RM-1"), a maturity
/// ("TD-1Y 622202****8653 matures 2026-12-20"), a follow-up, and "(at risk: Convert, every 14 days)"
/// added when the customer's segment puts them at risk. Those phrases are the service's codes with
/// their values: each is worded here from the resx. Anything else is what a person typed (the next
/// step of a visit, a lobby event's theme) and shows as it is.
/// </summary>
public static partial class RevisitDetails
{
    public const string FollowUp = "follow-up";

    /// <param name="products">The catalogue's names, so a maturity names the product ("一年期定期存款"), not its code.</param>
    public static string Word(string? detail, ProductNames? products = null)
    {
        if (string.IsNullOrWhiteSpace(detail))
        {
            return "";
        }
        // The at-risk notes come last (the nightly pass writes one, the segment consumer appends one): worded each, in order.
        var text = detail.Trim();
        var risks = new List<string>();
        while (true)
        {
            if (AtRiskEvery().Match(text) is { Success: true } every)
            {
                risks.Insert(0, Format("Care.Detail.AtRiskEvery", Why(every.Groups[1].Value), every.Groups[2].Value));
                text = text[..every.Index].Trim();
            }
            else if (AtRisk().Match(text) is { Success: true } atRisk)
            {
                risks.Insert(0, Format("Care.Detail.AtRisk", Why(atRisk.Groups[1].Value)));
                text = text[..atRisk.Index].Trim();
            }
            else
            {
                break;
            }
        }
        // The notes carry their own spacing (none before a Chinese bracket, a space before an English one).
        return string.Concat(risks.Prepend(Phrase(text, products ?? ProductNames.None))).Trim();
    }

    private static string Phrase(string text, ProductNames products)
    {
        if (text.Length == 0)
        {
            return "";
        }
        if (text == FollowUp)
        {
            return T("Care.Detail.FollowUp");
        }
        if (text == "new manager")
        {
            return T("Care.Detail.NewManager");
        }
        if (TakingOver().Match(text) is { Success: true } takingOver)
        {
            return Format("Care.Detail.TakingOver", takingOver.Groups[1].Value);
        }
        if (Cadence().Match(text) is { Success: true } cadence)
        {
            return Format("Care.Detail.Cadence", Text.Word("Care.Tier.", cadence.Groups[1].Value), cadence.Groups[2].Value);
        }
        if (Outflow().Match(text) is { Success: true } outflow)
        {
            return Format("Care.Detail.Outflow", Amount(outflow.Groups[1].Value), Amount(outflow.Groups[2].Value), outflow.Groups[3].Value);
        }
        if (Matures().Match(text) is { Success: true } matures)
        {
            return Format("Care.Detail.Matures", products.Name(matures.Groups[1].Value), matures.Groups[2].Value, matures.Groups[3].Value);
        }
        return text;
    }

    /// <summary>Why a customer is at risk: their lifecycle stage, or a low probability of being alive.</summary>
    private static string Why(string why) =>
        PAlive().Match(why) is { Success: true } alive ? Format("Care.Detail.PAlive", alive.Groups[1].Value) : Text.Word("Kpi.Stage.", why);

    private static string Amount(string yuan) =>
        decimal.TryParse(yuan, NumberStyles.Number, CultureInfo.InvariantCulture, out var amount) ? amount.ToString("N0", CultureInfo.CurrentCulture) : yuan;

    private static string Format(string key, params object[] values) => string.Format(CultureInfo.CurrentCulture, T(key), values);

    [GeneratedRegex(@"\s*\(at risk: ((?:[^(),]|\([^(),]*\))+), every (\d+) days\)$")]
    private static partial Regex AtRiskEvery();

    [GeneratedRegex(@"\s*\(at risk: ((?:[^(),]|\([^(),]*\))+)\)$")]
    private static partial Regex AtRisk();

    [GeneratedRegex(@"^taking over from (\S+)$")]
    private static partial Regex TakingOver();

    [GeneratedRegex(@"^([A-Za-z]+): every (\d+) days$")]
    private static partial Regex Cadence();

    [GeneratedRegex(@"^deposits (-?\d+) -> (-?\d+) in (\d+) days$")]
    private static partial Regex Outflow();

    [GeneratedRegex(@"^(.+?) (\S+) matures (\d{4}-\d{2}-\d{2})$")]
    private static partial Regex Matures();

    [GeneratedRegex(@"^P\(alive\) ([0-9.]+)$")]
    private static partial Regex PAlive();
}
