using System.Collections;
using System.Globalization;
using System.Resources;
using BankClientele.Hosting.Refusals;
using BankClientele.Portal.Services;

// Outside BankClientele.Portal.Tests on purpose, as PortalWordsTests: no running services needed.
namespace BankClientele.Portal.Localization.Tests;

/// <summary>The services' refusal codes have the portal's words in both languages, and RefusalWords uses them.</summary>
public sealed class RefusalWordsTests
{
    private static readonly ResourceManager Words = new(typeof(PortalText));

    private static HashSet<string> Keys(CultureInfo culture) =>
        [.. Words.GetResourceSet(culture, createIfNotExists: true, tryParents: false)!.Cast<DictionaryEntry>().Select(e => (string)e.Key)];

    public static IEnumerable<TestCaseData> Languages()
    {
        yield return new TestCaseData(CultureInfo.InvariantCulture).SetName("Every_refusal_code_has_Chinese_words");
        yield return new TestCaseData(CultureInfo.GetCultureInfo("en")).SetName("Every_refusal_code_has_English_words");
    }

    [TestCaseSource(nameof(Languages))]
    public void Every_code_has_words(CultureInfo culture)
    {
        var keys = Keys(culture);
        Assert.Multiple(() =>
        {
            Assert.That(ProblemCodes.All, Has.Count.GreaterThan(20), "the codes are read from the constants");
            Assert.That(ProblemCodes.All.Where(c => !keys.Contains("Problem." + c)), Is.Empty, "problem codes without words");
            Assert.That(FieldReasons.All.Where(c => !keys.Contains("Reason." + c)), Is.Empty, "field reasons without words");
            Assert.That(ProblemCodes.All.Concat(FieldReasons.All).Where(c => !System.Text.RegularExpressions.Regex.IsMatch(c, "^[a-z]+(-[a-z]+)*$")),
                Is.Empty, "codes are kebab-case");
        });
    }

    private const string HeldOut = """
        {"type":"https://tools.ietf.org/html/rfc9110#section-15.5.10","title":"Held out of campaign","status":409,
         "detail":"The customer is held out of campaign CMP-X (its control group): no contact for the campaign.",
         "field":"campaignCode","code":"held-out-of-campaign","campaignCode":"CMP-X","traceId":"00-abc-def-00"}
        """;

    private const string Invalid = """
        {"title":"One or more validation errors occurred.","status":400,"code":"invalid-fields",
         "errors":{"Budget":["Budget must be between 0 and 1,000,000,000 yuan."],"criteria.engagement":["engagement must be cold, warm or hot."]}}
        """;

    private const string Unknown = """{"title":"Something new","status":409,"detail":"A conflict the portal has no words for.","code":"no-such-code"}""";

    [Test]
    [SetUICulture(Text.Chinese)]
    public void In_Chinese_a_refusal_shows_the_portals_words_and_none_of_the_services_English()
    {
        var heldOut = RefusalWords.Of(Refusal.Read(409, HeldOut));
        var invalid = RefusalWords.Of(Refusal.Read(400, Invalid));
        var unknown = RefusalWords.Of(Refusal.Read(409, Unknown));
        var unreachable = RefusalWords.Of(new ServiceResult<object>("Acquisition", null, "Connection refused") { Refusal = Refusal.Unreachable })!;
        Assert.Multiple(() =>
        {
            Assert.That(heldOut, Is.EqualTo(Text.T("Problem.held-out-of-campaign").Replace("{campaignCode}", "CMP-X", StringComparison.Ordinal)));
            Assert.That(invalid, Does.Contain("预算").And.Contain("意向程度").And.Contain(Text.T("Refusal.Invalid")));
            Assert.That(unknown, Is.EqualTo(Text.T("Refusal.Status.409")));
            Assert.That(unreachable, Is.EqualTo(Text.T("Refusal.Unreachable")));
            foreach (var text in new[] { heldOut, invalid, unknown, unreachable })
            {
                Assert.That(BankClientele.Portal.Tests.Language.ChineseOnlyTests.LatinWords(text), Is.Empty, text);
                Assert.That(text, Does.Not.Contain("{"), text);
            }
        });
    }

    [Test]
    [SetUICulture(Text.English)]
    public void In_English_a_refusal_may_show_the_services_detail()
    {
        Assert.Multiple(() =>
        {
            Assert.That(RefusalWords.Of(Refusal.Read(409, HeldOut)), Does.Contain("CMP-X").And.Not.Contain("{"));
            Assert.That(RefusalWords.Of(Refusal.Read(400, Invalid)), Does.Contain("Budget: Budget must be between 0 and 1,000,000,000 yuan."));
            Assert.That(RefusalWords.Of(Refusal.Read(409, Unknown)), Does.Contain("A conflict the portal has no words for."));
        });
    }

    [Test]
    [SetUICulture(Text.Chinese)]
    public void Import_rows_are_read_by_line_and_field_with_their_codes()
    {
        // CustomerCare keys its bad rows "line N: field" (with errorCodes beside); the others list {line, field, code, message}.
        var care = Refusal.Read(400, """{"code":"import-bad-rows","errors":{"line 3: phone":["Not a phone number: at least 7 digits."]},"errorCodes":{"line 3: phone":["not-a-phone"]}}""");
        var traffic = Refusal.Read(400, """{"code":"import-bad-rows","errors":[{"line":4,"field":"issued_at","code":"required","message":"required"}]}""");
        Assert.Multiple(() =>
        {
            Assert.That(care.Fields, Is.EqualTo(new[] { new FieldRefusal(3, "phone", FieldReasons.NotAPhone, "Not a phone number: at least 7 digits.") }));
            Assert.That(traffic.Fields, Is.EqualTo(new[] { new FieldRefusal(4, "issued_at", FieldReasons.Required, "required") }));
            Assert.That(RefusalWords.Label("phone"), Is.EqualTo("手机号码"));
            Assert.That(RefusalWords.Reason(FieldReasons.NotAPhone, "Not a phone number"), Is.EqualTo("不是有效的手机号码"));
        });
    }
}
