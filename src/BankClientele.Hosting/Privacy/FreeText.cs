using System.Text.RegularExpressions;

namespace BankClientele.Hosting.Privacy;

/// <summary>
/// Masks the numbers that identify a person in free text (a revisit's detail, a manager's notes,
/// a webhook's body): card and account numbers keep their first six and last four digits
/// (6222021000000008653 → 622202*********8653), resident ID numbers likewise, mobile numbers
/// their first three and last four (13812345678 → 138****5678). Applied where free text is
/// written and again where it is served, so rows written before the rule are masked on the way out.
/// </summary>
public static partial class FreeText
{
    /// <summary>
    /// A run of 11 to 19 digits not touching another digit or letter (an ID number's check
    /// character X is part of it), or a number typed in groups: a card in fours
    /// ("6222 0210 0000 0008 653"), a mobile as 3-4-4 ("138-1234-5678"). Dates and amounts do not match.
    /// </summary>
    [GeneratedRegex(@"(?<![\dA-Za-z])(?:\d{11,19}[Xx]?|\d{4}(?:[ -]\d{4}){2,4}(?:[ -]\d{1,3})?|1[3-9]\d[ -]\d{4}[ -]\d{4})(?![\dA-Za-z])", RegexOptions.CultureInvariant)]
    private static partial Regex NumberRun();

    /// <summary>The text with every card, account, ID and mobile number in it masked; null stays null.</summary>
    public static string? MaskNumbers(string? text) =>
        !MayHoldNumber(text) ? text : NumberRun().Replace(text, match => Mask(match.Value));

    /// <summary>Fewer than 11 digits cannot make a number worth masking: most text (tags, names, themes) skips the regex.</summary>
    private static bool MayHoldNumber([System.Diagnostics.CodeAnalysis.NotNullWhen(true)] string? text)
    {
        if (string.IsNullOrEmpty(text))
        {
            return false;
        }
        var digits = 0;
        foreach (var c in text)
        {
            if (char.IsAsciiDigit(c) && ++digits >= 11)
            {
                return true;
            }
        }
        return false;
    }

    /// <summary>True when the text still holds such a number (a check for tests and guards).</summary>
    public static bool HasNumbers(string? text) =>
        !string.IsNullOrEmpty(text) && NumberRun().Matches(text).Any(m => Mask(m.Value) != m.Value);

    private static string Mask(string run)
    {
        var kept = new string(run.Where(c => char.IsAsciiDigit(c) || c is 'X' or 'x').ToArray());
        return kept.Length switch
        {
            // A mainland mobile number: 1, then 3-9, then nine digits.
            11 when kept[0] == '1' && kept[1] is >= '3' and <= '9' => PersonalData.MaskPhone(kept),
            // Shorter runs of 11 digits (amounts, counts) are left as they are.
            11 => run,
            // Card, account and ID numbers (15 or 18 characters): first six and last four.
            _ => kept[..6] + new string('*', kept.Length - 10) + kept[^4..],
        };
    }
}
