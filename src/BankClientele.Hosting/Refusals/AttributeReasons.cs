using System.Collections;
using System.Collections.Concurrent;
using System.ComponentModel.DataAnnotations;
using System.Globalization;
using System.Reflection;
using System.Text.RegularExpressions;
using Microsoft.AspNetCore.Http;

namespace BankClientele.Hosting.Refusals;

/// <summary>
/// Names the <see cref="FieldReasons"/> code a <see cref="RegularExpressionAttribute"/> on the same property or
/// parameter stands for (a phone, digits only), with the pattern's bounds; a pattern of alternatives only
/// (<c>^(a|b|c)$</c>) is <see cref="FieldReasons.NotOneOf"/> without it.
/// </summary>
[AttributeUsage(AttributeTargets.Property | AttributeTargets.Parameter)]
public sealed class PatternReasonAttribute(string code) : Attribute
{
    public string Code { get; } = code;

    /// <summary>The fewest characters or digits the pattern takes (0: no number to name).</summary>
    public int Min { get; init; }

    /// <summary>The most characters or digits the pattern takes (0: no number to name).</summary>
    public int Max { get; init; }
}

/// <summary>
/// The codes and numbers of a model validation's problem (the request's DataAnnotations, checked by ASP.NET Core's
/// validation before the handler runs). The problem names each field and the attribute's English message only, so
/// the field's attributes are found from the endpoint's parameters by the error's key and the one whose message it
/// is gives the code: Required → required, StringLength → too-long {max} (or length-between {min} {max}), Range →
/// out-of-range {min} {max}, MinLength/MaxLength → too-few/too-many on a list, a pattern → its
/// <see cref="PatternReasonAttribute"/>. A message no attribute explains keeps no code (the portal words it plainly).
/// </summary>
public static partial class AttributeReasons
{
    private static readonly ConcurrentDictionary<(MethodInfo, string), IReadOnlyList<(ValidationAttribute Attribute, ICustomAttributeProvider Member, Type Type, string Name)>> Found = new();

    /// <summary>Adds <c>errorCodes</c> (and <c>errorArguments</c>) to a validation problem that has none.</summary>
    public static void Add(HttpContext http, HttpValidationProblemDetails problem)
    {
        if (problem.Extensions.ContainsKey("errorCodes") || problem.Errors.Count == 0
            || http.GetEndpoint()?.Metadata.GetMetadata<MethodInfo>() is not { } method)
        {
            return;
        }
        var codes = new Dictionary<string, string?[]>();
        var arguments = new Dictionary<string, IReadOnlyDictionary<string, decimal>[]>();
        foreach (var (key, messages) in problem.Errors)
        {
            // Cached by the path without its indices, so a long list's rows share one entry.
            var attributes = Found.GetOrAdd((method, Index().Replace(key, "")), k => AttributesAt(k.Item1, k.Item2));
            var reasons = messages.Select(m => Explain(attributes, m)).ToArray();
            codes[key] = [.. reasons.Select(r => r?.Code)];
            arguments[key] = [.. reasons.Select(r => r?.Numbers ?? new Dictionary<string, decimal>())];
        }
        if (codes.Values.All(c => c.All(x => x is null)))
        {
            return;
        }
        problem.Extensions["errorCodes"] = codes;
        if (arguments.Values.Any(a => a.Any(n => n.Count > 0)))
        {
            problem.Extensions["errorArguments"] = arguments;
        }
    }

    /// <summary>The attribute whose message this is, as a code and its numbers.</summary>
    private static (string Code, IReadOnlyDictionary<string, decimal> Numbers)? Explain(
        IReadOnlyList<(ValidationAttribute Attribute, ICustomAttributeProvider Member, Type Type, string Name)> attributes, string message)
    {
        foreach (var (attribute, member, type, name) in attributes)
        {
            var display = (member as MemberInfo)?.GetCustomAttribute<DisplayAttribute>()?.GetName();
            if (Formats(attribute, name, message) || (display is not null && Formats(attribute, display, message)))
            {
                return Reason(attribute, member, type);
            }
        }
        return null;
    }

    private static bool Formats(ValidationAttribute attribute, string name, string message)
    {
        try
        {
            return attribute.FormatErrorMessage(name) == message;
        }
        catch (Exception e) when (e is InvalidOperationException or FormatException)
        {
            return false;
        }
    }

    private static (string Code, IReadOnlyDictionary<string, decimal> Numbers)? Reason(ValidationAttribute attribute, ICustomAttributeProvider member, Type type)
    {
        var text = Nullable.GetUnderlyingType(type) ?? type;
        var isList = text != typeof(string) && typeof(IEnumerable).IsAssignableFrom(text);
        return attribute switch
        {
            RequiredAttribute => (FieldReasons.Required, Numbers()),
            StringLengthAttribute { MinimumLength: > 1 } s => (FieldReasons.LengthBetween, Numbers(("min", s.MinimumLength), ("max", s.MaximumLength))),
            StringLengthAttribute s => (FieldReasons.TooLong, Numbers(("max", s.MaximumLength))),
            MaxLengthAttribute m => (isList ? FieldReasons.TooMany : FieldReasons.TooLong, Numbers(("max", m.Length))),
            MinLengthAttribute m => (isList ? FieldReasons.TooFew : FieldReasons.TooShort, Numbers(("min", m.Length))),
            RangeAttribute r => (FieldReasons.OutOfRange, Bounds(r)),
            AllowedValuesAttribute => (FieldReasons.NotOneOf, Numbers()),
            RegularExpressionAttribute when member.GetCustomAttributes(typeof(PatternReasonAttribute), false).FirstOrDefault() is PatternReasonAttribute reason =>
                (reason.Code, reason.Max > 0 ? Numbers(("min", reason.Min), ("max", reason.Max)) : Numbers()),
            RegularExpressionAttribute p when Alternatives().IsMatch(p.Pattern) => (FieldReasons.NotOneOf, Numbers()),
            _ => null,
        };
    }

    private static Dictionary<string, decimal> Numbers(params (string Name, decimal Value)[] numbers) => numbers.ToDictionary(n => n.Name, n => n.Value);

    /// <summary>A range's bounds where they are numbers (a range of dates names none).</summary>
    private static Dictionary<string, decimal> Bounds(RangeAttribute range)
    {
        static decimal? Number(object value)
        {
            try
            {
                return Convert.ToDecimal(value, CultureInfo.InvariantCulture);
            }
            catch (Exception e) when (e is FormatException or InvalidCastException or OverflowException)
            {
                return null;
            }
        }
        return Number(range.Minimum) is { } min && Number(range.Maximum) is { } max ? Numbers(("min", min), ("max", max)) : Numbers();
    }

    /// <summary>
    /// The validation attributes of the field an error key names ("Budget", "criteria.engagement", "items[2].name",
    /// a query parameter's "limit"), found case-insensitively from the handler's parameters: a parameter of that
    /// name, or a property of a bound object (the body, an [AsParameters] record), and so on down the path.
    /// </summary>
    private static List<(ValidationAttribute, ICustomAttributeProvider, Type, string)> AttributesAt(MethodInfo method, string key)
    {
        var path = key.Split('.', StringSplitOptions.RemoveEmptyEntries);
        if (path.Length == 0)
        {
            return [];
        }
        var parameters = method.GetParameters();
        if (parameters.FirstOrDefault(p => string.Equals(p.Name, path[0], StringComparison.OrdinalIgnoreCase)) is { } parameter)
        {
            return path.Length == 1
                ? Of(parameter, parameter.ParameterType, parameter.Name!)
                : Walk(Element(parameter.ParameterType), path.AsSpan(1));
        }
        foreach (var type in parameters.Select(p => Element(p.ParameterType)).Where(Bound))
        {
            if (Walk(type, path) is { Count: > 0 } found)
            {
                return found;
            }
        }
        return [];
    }

    private static List<(ValidationAttribute, ICustomAttributeProvider, Type, string)> Walk(Type type, ReadOnlySpan<string> path)
    {
        for (var i = 0; i < path.Length; i++)
        {
            var property = type.GetProperty(path[i], BindingFlags.Public | BindingFlags.Instance | BindingFlags.IgnoreCase);
            if (property is null)
            {
                return [];
            }
            if (i == path.Length - 1)
            {
                var attributes = Of(property, property.PropertyType, property.Name);
                // A record's attributes written without "property:" sit on its constructor's parameter.
                var parameter = type.GetConstructors().SelectMany(c => c.GetParameters())
                    .FirstOrDefault(p => p.Name == property.Name && p.ParameterType == property.PropertyType);
                if (attributes.Count == 0 && parameter is not null)
                {
                    attributes = Of(parameter, parameter.ParameterType, property.Name);
                }
                return attributes;
            }
            type = Element(property.PropertyType);
        }
        return [];
    }

    private static List<(ValidationAttribute, ICustomAttributeProvider, Type, string)> Of(ICustomAttributeProvider member, Type type, string name) =>
        [.. member.GetCustomAttributes(typeof(ValidationAttribute), true).Cast<ValidationAttribute>()
            // Required first: it is checked first, and its message is the one of an empty value.
            .OrderBy(a => a is RequiredAttribute ? 0 : 1)
            .Select(a => (a, member, type, name))];

    /// <summary>A list's element type (the body of a JSON array), or the type itself.</summary>
    private static Type Element(Type type)
    {
        type = Nullable.GetUnderlyingType(type) ?? type;
        if (type == typeof(string))
        {
            return type;
        }
        return type.IsArray ? type.GetElementType()!
            : type.GetInterfaces().Append(type).FirstOrDefault(i => i.IsGenericType && i.GetGenericTypeDefinition() == typeof(IEnumerable<>))?.GetGenericArguments()[0] ?? type;
    }

    /// <summary>A type the binder fills property by property (not a string, number, date or service).</summary>
    private static bool Bound(Type type) =>
        type.IsClass && type != typeof(string) && type.Namespace?.StartsWith("Microsoft.", StringComparison.Ordinal) != true
        && type.Namespace?.StartsWith("System", StringComparison.Ordinal) != true;

    [GeneratedRegex(@"\[\d*\]")]
    private static partial Regex Index();

    [GeneratedRegex(@"^\^\(\??:?[\w-]+(\|[\w-]+)*\)\$$")]
    private static partial Regex Alternatives();
}
