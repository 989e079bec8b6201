using System.Diagnostics.CodeAnalysis;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.HttpResults;

namespace BankClientele.Hosting.Refusals;

/// <summary>
/// A request's fields at fault, each with its <see cref="FieldReasons"/> code, its English message (for API users) and
/// the numbers its words name (a maximum length, a range's bounds): the one way a service builds a validation problem
/// by hand. The problem carries <c>errors</c> (field → messages) and beside it <c>errorCodes</c> (the same keys → each
/// message's code) and, where any error has numbers, <c>errorArguments</c> (the same keys → each message's numbers,
/// name → value, <c>{}</c> for none). The model validation's problems get the same two from
/// <see cref="AttributeReasons"/>.
/// </summary>
public sealed class FieldErrors
{
    private readonly Dictionary<string, List<(string Code, string Message, IReadOnlyDictionary<string, decimal> Numbers)>> fields = [];

    public int Count => fields.Count;

    public bool Any => fields.Count > 0;

    public bool Has(string field) => fields.ContainsKey(field);

    public FieldErrors Add(string field, string code, string message, params (string Name, decimal Value)[] numbers)
    {
        if (!fields.TryGetValue(field, out var errors))
        {
            fields[field] = errors = [];
        }
        errors.Add((code, message, numbers.ToDictionary(n => n.Name, n => n.Value)));
        return this;
    }

    /// <summary>Adds the error when <paramref name="bad"/> holds.</summary>
    public FieldErrors AddIf(bool bad, string field, string code, string message, params (string Name, decimal Value)[] numbers) =>
        bad ? Add(field, code, message, numbers) : this;

    /// <summary>The 400 problem: <c>errors</c>, <c>errorCodes</c> and, where there are numbers, <c>errorArguments</c>.</summary>
    public ValidationProblem ToProblem(string? title = null, string? detail = null, IEnumerable<KeyValuePair<string, object?>>? extensions = null)
    {
        var all = new Dictionary<string, object?>(extensions ?? []) { ["errorCodes"] = Codes() };
        if (fields.Values.Any(errors => errors.Any(e => e.Numbers.Count > 0)))
        {
            all["errorArguments"] = fields.ToDictionary(f => f.Key, f => f.Value.Select(e => e.Numbers).ToArray());
        }
        return TypedResults.ValidationProblem(fields.ToDictionary(f => f.Key, f => f.Value.Select(e => e.Message).ToArray()),
            detail: detail, title: title, extensions: all);
    }

    /// <summary>Field → each message's code, as <c>errorCodes</c> carries them.</summary>
    public Dictionary<string, string[]> Codes() => fields.ToDictionary(f => f.Key, f => f.Value.Select(e => e.Code).ToArray());

    /// <summary>
    /// Whether a required text of at most <paramref name="max"/> characters is missing (required) or too long
    /// (too-long naming max), with the problem.
    /// </summary>
    public static bool BadText(string field, [NotNullWhen(false)] string? value, int max, string message, [NotNullWhen(true)] out ValidationProblem? problem)
    {
        problem = string.IsNullOrWhiteSpace(value) ? Problem(field, FieldReasons.Required, message)
            : value.Length > max ? Problem(field, FieldReasons.TooLong, message, ("max", max))
            : null;
        return problem is not null;
    }

    /// <summary>A problem with one field at fault.</summary>
    public static ValidationProblem Problem(string field, string code, string message, params (string Name, decimal Value)[] numbers) =>
        new FieldErrors().Add(field, code, message, numbers).ToProblem();
}
