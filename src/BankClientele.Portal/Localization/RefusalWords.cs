using System.Globalization;
using BankClientele.Hosting.Refusals;
using BankClientele.Portal.Services;

namespace BankClientele.Portal.Localization;

/// <summary>
/// The one way the portal words a service's refusal, in the reader's language: a known code as its words
/// (<c>Problem.{code}</c>, its <c>{name}</c> placeholders filled from the problem), each field at fault as its label
/// and a reason, and anything else by its status. A Chinese reader never sees the service's English or JSON (the
/// log keeps it, see <see cref="ServiceApi"/>); an English reader also gets the service's own detail.
/// </summary>
public static class RefusalWords
{
    /// <summary>Why a service did not do what was asked; null for an answer that is not a refusal.</summary>
    public static string? Of(IServiceAnswer answer) =>
        answer.Problem is null ? null : Of(answer.Refusal ?? Refusal.Unreachable);

    public static string Of(Refusal refusal)
    {
        var parts = new List<string>();
        // invalid-fields says no more than its fields do: worded only where the problem names none.
        var worded = refusal.Code is { } code && Has("Problem." + code) && !(code == ProblemCodes.InvalidFields && refusal.Fields.Count > 0);
        if (worded)
        {
            parts.Add(Fill(Text.T("Problem." + refusal.Code), refusal.Arguments));
        }
        parts.AddRange(refusal.Fields.Select(f => Field(f.Field, f.Code, f.Message)));
        if (parts.Count == 0)
        {
            parts.Add(ByStatus(refusal.Status));
            if (Text.IsEnglish && refusal.Detail is { Length: > 0 } detail)
            {
                parts.Add(detail);
            }
        }
        return string.Join(Text.T("Refusal.Separator"), parts);
    }

    /// <summary>
    /// A field at fault: its label in the reader's language and why, worded from the reason's code (an English reader
    /// reads the service's own message where there is no code's words).
    /// </summary>
    public static string Field(string field, string? code, string message) =>
        string.Format(CultureInfo.CurrentCulture, Text.T("Refusal.FieldAndReason"), Label(field), Reason(code, message));

    /// <summary>A field's label (<c>Field.{name}</c>, the name as the services or an import file give it, its path and case set aside).</summary>
    public static string Label(string field)
    {
        var name = field[(field.LastIndexOf('.') + 1)..];
        name = name.Length > 0 ? char.ToLowerInvariant(name[0]) + name[1..] : name;
        return Has("Field." + name) ? Text.T("Field." + name) : Text.IsEnglish ? field : Text.T("Refusal.AField");
    }

    /// <summary>Why a field was refused: the code's words, or (no words for it) the English message to an English reader and a plain "not valid" otherwise.</summary>
    public static string Reason(string? code, string message) =>
        code is not null && Has("Reason." + code) ? Text.T("Reason." + code)
            : Text.IsEnglish && message.Length > 0 ? message : Text.T("Refusal.Invalid");

    /// <summary>A refusal worded by its status alone (no service reached: null).</summary>
    public static string ByStatus(int? status) => status switch
    {
        null => Text.T("Refusal.Unreachable"),
        400 or 403 or 404 or 409 or 413 or 422 => Text.T($"Refusal.Status.{status}"),
        >= 500 => Text.T("Refusal.Status.5xx"),
        _ => Text.T("Refusal.Status.Other"),
    };

    private static bool Has(string key) => Text.T(key) != key;

    /// <summary>Fills a word's <c>{name}</c> placeholders with the problem's extensions of that name.</summary>
    private static string Fill(string words, IReadOnlyDictionary<string, string> arguments) =>
        arguments.Aggregate(words, (text, argument) => text.Replace("{" + argument.Key + "}", argument.Value, StringComparison.Ordinal));
}
