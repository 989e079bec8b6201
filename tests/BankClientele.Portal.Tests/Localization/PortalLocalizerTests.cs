using System.Globalization;
using BankClientele.Portal.Localization;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Localization;

namespace BankClientele.Portal.Tests.Localization;

/// <summary>The running portal's <c>IStringLocalizer&lt;PortalText&gt;</c> and the pages' <c>Text.T</c> say the same words.</summary>
public sealed class PortalLocalizerTests
{
    [TestCase(Text.Chinese, "我的客户", "3 个网点")]
    [TestCase(Text.English, "My customers", "3 branches")]
    public void The_injected_localizer_reads_the_words_pages_show(string culture, string myCustomers, string threeBranches)
    {
        var before = CultureInfo.CurrentUICulture;
        CultureInfo.CurrentUICulture = CultureInfo.GetCultureInfo(culture);
        try
        {
            var localizer = PortalSystem.Portal.Services.GetRequiredService<IStringLocalizer<PortalText>>();

            var words = localizer.GetAllStrings(includeParentCultures: true).ToList();
            Assert.That(words, Has.Count.GreaterThan(500));
            Assert.Multiple(() =>
            {
                Assert.That(words.Where(w => w.ResourceNotFound || w.Value != Text.T(w.Name)).Select(w => w.Name), Is.Empty);
                Assert.That(localizer["MyCustomers"].Value, Is.EqualTo(myCustomers));
                Assert.That(localizer["BranchCount", 3].Value, Is.EqualTo(threeBranches));
            });
        }
        finally
        {
            CultureInfo.CurrentUICulture = before;
        }
    }
}
