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

    /// <summary>The dimensions a segment's criteria are on, as Acquisition names them.</summary>
    public static readonly IReadOnlyList<string> Dimensions =
        ["city", "district", "community", "ageBand", "occupation", "incomeBand", "tag", "channel", "engagement", "touches"];

    private const string Separator = "; ";

    /// <summary>
    /// What a campaign keeps as its segment when one is picked in the wizard: a defined segment's name, or the
    /// criteria as codes and values ("engagement=cold; channel=staff"), never a label in one language, so that
    /// every page words it in its reader's (<see cref="OfCampaign"/>).
    /// </summary>
    public static string Reference(SegmentRow segment) =>
        segment.DefinedName ?? (segment.Criteria.Count == 0 ? segment.Label : string.Join(Separator, segment.Criteria.Select(c => $"{c.Key}={c.Value}")));

    /// <summary>
    /// A campaign's segment in the reader's language: a criteria reference worded as <see cref="Of(SegmentRow)"/>
    /// words a ranked segment; an older label joined by " · " with the values Acquisition defines worded; anything
    /// else (a defined segment's name, the bank's own description) as it is.
    /// </summary>
    public static string OfCampaign(string? segment)
    {
        if (string.IsNullOrWhiteSpace(segment))
        {
            return "";
        }
        if (Criteria(segment) is { } criteria)
        {
            return string.Join(" · ", criteria.Select(c => Value(c.Key, c.Value)));
        }
        var parts = segment.Split(" · ");
        return parts.Length > 1 ? string.Join(" · ", parts.Select(Known)) : segment;
    }

    /// <summary>The criteria of a reference, or null when it is none (every part "dimension=value", each dimension known).</summary>
    public static List<KeyValuePair<string, string>>? Criteria(string reference)
    {
        var criteria = new List<KeyValuePair<string, string>>();
        foreach (var part in reference.Split(Separator))
        {
            var equals = part.IndexOf('=');
            if (equals <= 0 || !Dimensions.Contains(part[..equals]))
            {
                return null;
            }
            criteria.Add(new(part[..equals], part[(equals + 1)..]));
        }
        return criteria;
    }

    /// <summary>A value of an older label: worded where it is one Acquisition defines, else as it is.</summary>
    private static string Known(string value) =>
        Has("Acq.Engagement." + value) ? Value("engagement", value)
        : Has("Acq.LeadChannel." + value) ? Value("channel", value)
        : value is "1" or "2-3" or "4+" ? Value("touches", value)
        : value;

    private static bool Has(string key) => Text.T(key) != key;

    /// <summary>One criterion's value as a person reads it ("-" is a value not given).</summary>
    public static string Value(string dimension, string value) => dimension switch
    {
        "engagement" => Text.Word("Acq.Engagement.", value),
        "channel" => Text.Word("Acq.LeadChannel.", value),
        "touches" => string.Format(CultureInfo.CurrentCulture, Text.T("Acq.TouchesValue"), value),
        _ => value,
    };
}
