using System.Globalization;
using BankClientele.Hosting.Refusals;
using BankClientele.Portal.Services;

namespace BankClientele.Portal.Localization;

/// <summary>
/// The one way the portal words a service's refusal, in the reader's language: a known code as its words
/// (<c>Problem.{code}</c>, its <c>{name}</c> placeholders filled from the problem), each field at fault as its label
/// and a reason (<c>Reason.{code}</c>), and anything else by its status. Where the problem or the field carries
/// numbers, the words that name them are keyed by the numbers' names too, sorted and joined by dots
/// (<c>Reason.out-of-range.max.min</c>, <c>Problem.manager-at-capacity.capacity.load.weight</c>), the numbers written
/// for the reader's culture; without such words the plain ones serve. A Chinese reader never sees the service's
/// English or JSON (the log keeps it, see <see cref="ServiceApi"/>); an English reader also gets the service's own detail.
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
            parts.Add(Fill(Words("Problem." + refusal.Code, refusal.Numbers), refusal.Arguments, refusal.Numbers));
        }
        parts.AddRange(refusal.Fields.Select(f => Field(f.Field, f.Code, f.Message, f.Numbers)));
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
    public static string Field(string field, string? code, string message, IReadOnlyDictionary<string, decimal>? numbers = null) =>
        string.Format(CultureInfo.CurrentCulture, Text.T("Refusal.FieldAndReason"), Label(field), Reason(code, message, numbers));

    /// <summary>A field's label (<c>Field.{name}</c>, the name as the services or an import file give it, its path and case set aside).</summary>
    public static string Label(string field)
    {
        var name = field[(field.LastIndexOf('.') + 1)..];
        name = name.Length > 0 ? char.ToLowerInvariant(name[0]) + name[1..] : name;
        return Has("Field." + name) ? Text.T("Field." + name) : Text.IsEnglish ? field : Text.T("Refusal.AField");
    }

    /// <summary>
    /// Why a field was refused: the code's words (with its numbers, where it has words for them), or (no words for it)
    /// the English message to an English reader and a plain "not valid" otherwise.
    /// </summary>
    public static string Reason(string? code, string message, IReadOnlyDictionary<string, decimal>? numbers = null)
    {
        numbers ??= Refusal.NoNumbers;
        return code is not null && Has("Reason." + code) ? Fill(Words("Reason." + code, numbers), NoStrings, numbers)
            : Text.IsEnglish && message.Length > 0 ? message : Text.T("Refusal.Invalid");
    }

    /// <summary>A refusal worded by its status alone (no service reached: null).</summary>
    public static string ByStatus(int? status) => status switch
    {
        null => Text.T("Refusal.Unreachable"),
        400 or 403 or 404 or 409 or 413 or 422 => Text.T($"Refusal.Status.{status}"),
        >= 500 => Text.T("Refusal.Status.5xx"),
        _ => Text.T("Refusal.Status.Other"),
    };

    private static bool Has(string key) => Text.T(key) != key;

    private static readonly IReadOnlyDictionary<string, string> NoStrings = new Dictionary<string, string>();

    /// <summary>The words naming these numbers (<c>{key}.{names}</c>) where there are any, else the plain ones.</summary>
    public static string Words(string key, IReadOnlyDictionary<string, decimal> numbers)
    {
        var withNumbers = NumbersKey(key, numbers);
        return withNumbers is not null && Has(withNumbers) ? Text.T(withNumbers) : Text.T(key);
    }

    /// <summary>The key of the words that name these numbers: the plain key and the names, sorted, joined by dots (null: no numbers).</summary>
    public static string? NumbersKey(string key, IReadOnlyDictionary<string, decimal> numbers) =>
        numbers.Count == 0 ? null : key + "." + string.Join('.', numbers.Keys.Order(StringComparer.Ordinal));

    /// <summary>A number as the reader writes it: grouped thousands, no trailing zeros (0.5, 1,000,000).</summary>
    public static string Number(decimal n) => n.ToString("#,0.##########", CultureInfo.CurrentCulture);

    /// <summary>Fills a word's <c>{name}</c> placeholders with the problem's extensions of that name, numbers in the reader's culture.</summary>
    private static string Fill(string words, IReadOnlyDictionary<string, string> arguments, IReadOnlyDictionary<string, decimal> numbers)
    {
        var text = arguments.Aggregate(words, (t, argument) => t.Replace("{" + argument.Key + "}", argument.Value, StringComparison.Ordinal));
        return numbers.Aggregate(text, (t, number) => t.Replace("{" + number.Key + "}", Number(number.Value), StringComparison.Ordinal));
    }
}
