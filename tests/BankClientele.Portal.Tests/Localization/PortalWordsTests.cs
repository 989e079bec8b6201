using System.Collections;
using System.Globalization;
using System.Resources;
using System.Text.RegularExpressions;

// Outside BankClientele.Portal.Tests on purpose: the words need no running services, so these
// tests do not wait for that namespace's SetUpFixture (PortalSystem) to start them.
namespace BankClientele.Portal.Localization.Tests;

/// <summary>The portal's words as translators see them: PortalText.resx (Chinese) and PortalText.en.resx.</summary>
public sealed partial class PortalWordsTests
{
    /// <summary>Latin words a Chinese page may show as they are (the language switch, finance acronyms).</summary>
    private static readonly HashSet<string> LatinInChinese = ["English", "CAC", "CLV", "RFM", "KPI"];

    private static readonly ResourceManager Words = new(typeof(PortalText));

    private static Dictionary<string, string> Read(CultureInfo culture)
    {
        // tryParents: false, so the English set holds only what PortalText.en.resx itself says.
        var set = Words.GetResourceSet(culture, createIfNotExists: true, tryParents: false)
            ?? throw new AssertionException($"No resources for '{culture.Name}'.");
        return set.Cast<DictionaryEntry>().ToDictionary(e => (string)e.Key, e => (string)e.Value!);
    }

    private static Dictionary<string, string> Chinese => Read(CultureInfo.InvariantCulture);

    private static Dictionary<string, string> English => Read(CultureInfo.GetCultureInfo("en"));

    [Test]
    public void Every_word_has_a_Chinese_and_an_English_value()
    {
        var chinese = Chinese;
        var english = English;

        Assert.That(chinese, Has.Count.GreaterThan(500), "the words carried over from the old C# tables");
        Assert.Multiple(() =>
        {
            Assert.That(english.Keys.Except(chinese.Keys), Is.Empty, "in English only");
            Assert.That(chinese.Keys.Except(english.Keys), Is.Empty, "in Chinese only");
            Assert.That(chinese.Where(w => string.IsNullOrWhiteSpace(w.Value)).Select(w => w.Key), Is.Empty, "blank in Chinese");
            Assert.That(english.Where(w => string.IsNullOrWhiteSpace(w.Value)).Select(w => w.Key), Is.Empty, "blank in English");
        });
    }

    [Test]
    public void No_Chinese_word_is_left_in_plain_English()
    {
        var untranslated = Chinese
            .Where(w => w.Value.All(char.IsAscii) && LatinWord().Matches(w.Value).Any(m => !LatinInChinese.Contains(m.Value)))
            .Select(w => $"{w.Key} = {w.Value}");

        Assert.That(untranslated, Is.Empty);
    }

    [Test]
    public void Both_languages_of_a_word_take_the_same_placeholders()
    {
        var english = English;
        var mismatched = Chinese
            .Where(w => !Placeholders(w.Value).SetEquals(Placeholders(english[w.Key])))
            .Select(w => $"{w.Key}: {w.Value} / {english[w.Key]}");

        Assert.That(mismatched, Is.Empty);
    }

    [Test]
    [SetUICulture(Text.Chinese)]
    public void Pages_get_the_Chinese_words_under_zh_CN()
    {
        var chinese = Chinese;

        Assert.That(chinese.Where(w => Text.T(w.Key) != w.Value).Select(w => w.Key), Is.Empty);
        Assert.Multiple(() =>
        {
            Assert.That(Text.T("MyCustomers"), Is.EqualTo("我的客户"));
            Assert.That(string.Format(CultureInfo.CurrentCulture, Text.T("BranchCount"), 3), Is.EqualTo("3 个网点"));
            Assert.That(Text.T("No.Such.Word"), Is.EqualTo("No.Such.Word"), "a missing word shows its key");
        });
    }

    [Test]
    [SetUICulture(Text.English)]
    public void Pages_get_the_English_words_under_en_US()
    {
        var english = English;

        Assert.That(english.Where(w => Text.T(w.Key) != w.Value).Select(w => w.Key), Is.Empty);
        Assert.Multiple(() =>
        {
            Assert.That(Text.T("MyCustomers"), Is.EqualTo("My customers"));
            Assert.That(string.Format(CultureInfo.CurrentCulture, Text.T("BranchCount"), 3), Is.EqualTo("3 branches"));
            Assert.That(Text.T("Language"), Is.EqualTo("中文"), "the switch offers the other language");
        });
    }

    private static HashSet<string> Placeholders(string word) => [.. Placeholder().Matches(word).Select(m => m.Value)];

    /// <summary>{0}, {1:N0}, and the named ones a refusal's words take from its problem ({campaignCode}).</summary>
    [GeneratedRegex(@"\{(?:\d+|[A-Za-z]+)(?:[,:][^}]*)?\}")]
    private static partial Regex Placeholder();

    [GeneratedRegex("[A-Za-z]+")]
    private static partial Regex LatinWord();
}
