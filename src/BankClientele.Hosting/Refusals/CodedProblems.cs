using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.Mvc;

namespace BankClientele.Hosting.Refusals;

/// <summary>The services' 4xx problems with their <see cref="ProblemCodes"/> code (English title and detail stay for API users).</summary>
public static class CodedProblems
{
    /// <summary>
    /// A problem with its code; <paramref name="field"/> names the field at fault, <paramref name="arguments"/> are
    /// extensions the portal's words name (<c>campaignCode</c>, say).
    /// </summary>
    public static ProblemHttpResult Problem(int status, string code, string title, string? detail, string? field = null,
        IEnumerable<KeyValuePair<string, object?>>? arguments = null)
    {
        var extensions = new Dictionary<string, object?> { ["code"] = code };
        if (field is not null)
        {
            extensions["field"] = field;
        }
        foreach (var (name, value) in arguments ?? [])
        {
            extensions[name] = value;
        }
        return TypedResults.Problem(statusCode: status, title: title, detail: detail, extensions: extensions);
    }

    /// <summary>
    /// Gives every validation problem that has no code of its own <see cref="ProblemCodes.InvalidFields"/> (the
    /// portal words the fields of <c>errors</c>): the hand-made ones and those of the model validation alike; the
    /// model validation's also get each field's reason (<see cref="AttributeReasons"/>), as <see cref="FieldErrors"/> gives them.
    /// </summary>
    public static void AddInvalidFieldsCode(ProblemDetailsContext context)
    {
        if (context.ProblemDetails is HttpValidationProblemDetails validation)
        {
            if (!validation.Extensions.ContainsKey("code"))
            {
                validation.Extensions["code"] = ProblemCodes.InvalidFields;
            }
            AttributeReasons.Add(context.HttpContext, validation);
        }
    }
}
