using System.Globalization;
using BankClientele.Portal.Services;

namespace BankClientele.Portal.Localization;

/// <summary>
/// A ranked segment's label in the reader's language. Acquisition labels a segment by joining its criteria's
/// values ("cold · staff · 2-3"); the values it defines itself (engagement, lead channel, touches) are worded here,
/// the ones people typed (a district, an occupation) shown as they are, and a defined segment keeps its name.
/// </summary>
public static class SegmentLabels
{
    public static string Of(SegmentRow segment) =>
        segment.DefinedName ?? (segment.Criteria.Count == 0 ? segment.Label : string.Join(" · ", segment.Criteria.Select(c => Value(c.Key, c.Value))));

    /// <summary>One criterion's value as a person reads it ("-" is a value not given).</summary>
    public static string Value(string dimension, string value) => dimension switch
    {
        "engagement" => Text.Word("Acq.Engagement.", value),
        "channel" => Text.Word("Acq.LeadChannel.", value),
        "touches" => string.Format(CultureInfo.CurrentCulture, Text.T("Acq.TouchesValue"), value),
        _ => value,
    };
}
