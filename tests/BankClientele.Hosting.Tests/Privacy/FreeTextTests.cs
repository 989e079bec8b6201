using BankClientele.Hosting.Privacy;

// Outside BankClientele.Hosting.Tests on purpose: that namespace's set-up fixture starts the services, and these need none.
namespace BankClientele.Privacy;

public sealed class FreeTextTests
{
    [TestCase("TD-1Y 6222021000000008653 matures 2026-12-20", "TD-1Y 622202*********8653 matures 2026-12-20")]
    [TestCase("card 6222 0210 0000 0008 653 lost", "card 622202*********8653 lost")]
    [TestCase("call 13812345678 or 138-1234-5678", "call 138****5678 or 138****5678")]
    [TestCase("ID 11010519491231002X on file", "ID 110105********002X on file")]
    [TestCase("old ID 110105491231002", "old ID 110105*****1002")]
    [TestCase("deposits 500000 -> 20000 in 30 days", "deposits 500000 -> 20000 in 30 days")]
    [TestCase("due 2026-12-20, ticket A0123", "due 2026-12-20, ticket A0123")]
    public void Numbers_in_free_text_are_masked_and_dates_and_amounts_kept(string text, string expected)
    {
        Assert.That(FreeText.MaskNumbers(text), Is.EqualTo(expected));
        Assert.That(FreeText.MaskNumbers(expected), Is.EqualTo(expected), "masking is idempotent");
        Assert.That(FreeText.HasNumbers(FreeText.MaskNumbers(text)), Is.False);
    }

    [Test]
    public void Null_and_empty_stay_as_they_are()
    {
        Assert.That(FreeText.MaskNumbers(null), Is.Null);
        Assert.That(FreeText.MaskNumbers(""), Is.EqualTo(""));
    }
}
