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

    [Test]
    public void The_Chinese_words_of_refusals_hold_no_English_word()
    {
        var words = Words.GetResourceSet(CultureInfo.InvariantCulture, createIfNotExists: true, tryParents: false)!.Cast<DictionaryEntry>()
            .Where(e => ((string)e.Key).StartsWith("Reason.", StringComparison.Ordinal) || ((string)e.Key).StartsWith("Problem.", StringComparison.Ordinal))
            .ToDictionary(e => (string)e.Key, e => (string)e.Value!);
        // The {name} placeholders are filled with codes and numbers: set aside.
        Assert.That(words.Where(w => BankClientele.Portal.Tests.Language.ChineseOnlyTests.LatinWords(
            System.Text.RegularExpressions.Regex.Replace(w.Value, @"\{\w+\}", "")).Count > 0).Select(w => $"{w.Key}: {w.Value}"), Is.Empty);
    }

    /// <summary>The words that name numbers (<c>Reason.{code}.{names}</c>): of a known code, in both languages, each name a placeholder.</summary>
    [Test]
    public void Words_with_numbers_name_every_number_in_both_languages()
    {
        var chinese = Keys(CultureInfo.InvariantCulture);
        var english = Keys(CultureInfo.GetCultureInfo("en"));
        var numbered = chinese.Concat(english).Distinct()
            .Select(k => System.Text.RegularExpressions.Regex.Match(k, @"^(Reason|Problem)\.([a-z-]+)\.([A-Za-z.]+)$"))
            .Where(m => m.Success).ToList();
        Assert.That(numbered, Has.Count.GreaterThan(10));
        Assert.Multiple(() =>
        {
            foreach (var m in numbered)
            {
                var key = m.Value;
                var names = m.Groups[3].Value.Split('.');
                Assert.That(m.Groups[1].Value == "Reason" ? FieldReasons.All : ProblemCodes.All, Has.Member(m.Groups[2].Value), key);
                Assert.That(names, Is.Ordered.Using((IComparer<string>)StringComparer.Ordinal), $"{key}: the names sorted, as RefusalWords looks them up");
                foreach (var culture in new[] { CultureInfo.InvariantCulture, CultureInfo.GetCultureInfo("en") })
                {
                    var words = Words.GetString(key, culture);
                    Assert.That(words, Is.Not.Null, $"{key} in {culture.Name}");
                    var placeholders = System.Text.RegularExpressions.Regex.Matches(words ?? "", @"\{(\w+)\}").Select(p => p.Groups[1].Value);
                    Assert.That(placeholders, Is.EquivalentTo(names), $"{key} in {culture.Name}: {words}");
                }
            }
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

    private const string WithNumbers = """
        {"title":"One or more validation errors occurred.","status":400,"code":"invalid-fields",
         "errors":{"Name":["The field Name must be a string with a maximum length of 200."],"Budget":["Budget must be between 0 and 1,000,000,000 yuan."],
                   "HoldoutFraction":["HoldoutFraction must be between 0 and 0.5."],"Kind":["Kind must be targeted, community-event or partner."]},
         "errorCodes":{"Name":["too-long"],"Budget":["out-of-range"],"HoldoutFraction":["out-of-range"],"Kind":["not-one-of"]},
         "errorArguments":{"Name":[{"max":200}],"Budget":[{"min":0,"max":1000000000}],"HoldoutFraction":[{"min":0,"max":0.5}],"Kind":[{}]}}
        """;

    private const string AtCapacity = """
        {"title":"Manager at capacity","status":409,"detail":"RM-1 carries 118 of 120 units; this VIP customer weighs 3.",
         "code":"manager-at-capacity","capacity":120,"load":118,"weight":3}
        """;

    [Test]
    [SetUICulture(Text.Chinese)]
    public void In_Chinese_a_refusal_shows_the_portals_words_and_none_of_the_services_English()
    {
        var heldOut = RefusalWords.Of(Refusal.Read(409, HeldOut));
        var invalid = RefusalWords.Of(Refusal.Read(400, Invalid));
        var unknown = RefusalWords.Of(Refusal.Read(409, Unknown));
        var unreachable = RefusalWords.Of(new ServiceResult<object>("Acquisition", null, "Connection refused") { Refusal = Refusal.Unreachable })!;
        var numbers = RefusalWords.Of(Refusal.Read(400, WithNumbers));
        var atCapacity = RefusalWords.Of(Refusal.Read(409, AtCapacity));
        var whatIf = RefusalWords.Of(Refusal.Coded(409, ProblemCodes.ManagerAtCapacity, "RM-1 carries 118 of 120 units."));
        Assert.Multiple(() =>
        {
            Assert.That(heldOut, Is.EqualTo(Text.T("Problem.held-out-of-campaign").Replace("{campaignCode}", "CMP-X", StringComparison.Ordinal)));
            Assert.That(invalid, Does.Contain("预算").And.Contain("意向程度").And.Contain(Text.T("Refusal.Invalid")));
            Assert.That(unknown, Is.EqualTo(Text.T("Refusal.Status.409")));
            Assert.That(unreachable, Is.EqualTo(Text.T("Refusal.Unreachable")));
            Assert.That(numbers, Is.EqualTo("名称：最多 200 个字；预算：须在 0 到 1,000,000,000 之间；对照组比例：须在 0 到 0.5 之间；类型：不是允许的取值"));
            Assert.That(atCapacity, Is.EqualTo("该客户经理的客户数已满：已占用 118/120 个单位，该客户需 3 个单位。"));
            Assert.That(whatIf, Is.EqualTo(Text.T("Problem.manager-at-capacity")), "no numbers: the plain words");
            foreach (var text in new[] { heldOut, invalid, unknown, unreachable, numbers, atCapacity, whatIf })
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
            Assert.That(RefusalWords.Of(Refusal.Read(400, WithNumbers)),
                Does.Contain("at most 200 characters").And.Contain("must be between 0 and 1,000,000,000").And.Contain("must be between 0 and 0.5"));
            Assert.That(RefusalWords.Of(Refusal.Read(409, AtCapacity)), Does.Contain("118 of 120 units taken, and this customer weighs 3"));
        });
    }

    [Test]
    [SetUICulture(Text.Chinese)]
    public void A_fields_numbers_are_read_beside_its_code_and_a_reason_without_its_numbers_has_its_plain_words()
    {
        var refusal = Refusal.Read(400, WithNumbers);
        Assert.Multiple(() =>
        {
            Assert.That(refusal.Fields.Select(f => (f.Field, f.Code)), Is.EqualTo(new[]
            {
                ("Name", FieldReasons.TooLong), ("Budget", FieldReasons.OutOfRange), ("HoldoutFraction", FieldReasons.OutOfRange), ("Kind", FieldReasons.NotOneOf),
            }));
            Assert.That(refusal.Fields[1].Numbers, Is.EquivalentTo(new Dictionary<string, decimal> { ["min"] = 0, ["max"] = 1_000_000_000 }));
            Assert.That(refusal.Fields[3].Numbers, Is.Empty);
            Assert.That(Refusal.Read(409, AtCapacity).Numbers, Is.EquivalentTo(new Dictionary<string, decimal> { ["capacity"] = 120, ["load"] = 118, ["weight"] = 3 }),
                "status is no argument");
            Assert.That(RefusalWords.Reason(FieldReasons.TooLong, "At most 40 characters."), Is.EqualTo(Text.T("Reason.too-long")), "an import row's, without its maximum");
        });
    }

    [Test]
    [SetUICulture(Text.Chinese)]
    public void An_import_rows_too_long_field_is_worded_with_its_maximum_in_either_form()
    {
        var care = Refusal.Read(400, """{"code":"import-bad-rows","errors":{"line 3: full_name":["At most 40 characters."]},"errorCodes":{"line 3: full_name":["too-long"]},"errorArguments":{"line 3: full_name":[{"max":40}]}}""");
        var traffic = Refusal.Read(400, """{"code":"import-bad-rows","errors":[{"line":4,"field":"counter","code":"too-long","message":"at most 10 characters","arguments":{"max":10}}]}""");
        Assert.Multiple(() =>
        {
            Assert.That(care.Fields.Single().Numbers, Is.EquivalentTo(new Dictionary<string, decimal> { ["max"] = 40 }));
            Assert.That(traffic.Fields.Single().Numbers, Is.EquivalentTo(new Dictionary<string, decimal> { ["max"] = 10 }));
            var field = traffic.Fields.Single();
            Assert.That(RefusalWords.Reason(field.Code, field.Message, field.Numbers), Is.Not.EqualTo(Text.T("Reason.too-long")).And.Contain("10"));
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
