using BankClientele.Portal.Services;

// Outside BankClientele.Portal.Tests on purpose, as PortalWordsTests: no running services needed.
namespace BankClientele.Portal.Localization.Tests;

/// <summary>A campaign keeps its segment as criteria codes and values, and every reader reads it in their language.</summary>
public sealed class SegmentLabelsTests
{
    private static SegmentRow Ranked(string? definedName, params (string Dimension, string Value)[] criteria) =>
        new(1, string.Join(" · ", criteria.Select(c => c.Value)), definedName, criteria.ToDictionary(c => c.Dimension, c => c.Value),
            10, 5, 1_000m, "similar-customers", 3, 50, 50, 50, 50, 50);

    [Test]
    public void The_wizard_keeps_criteria_or_a_defined_name_never_a_label()
    {
        Assert.Multiple(() =>
        {
            Assert.That(SegmentLabels.Reference(Ranked(null, ("engagement", "cold"), ("channel", "staff"))), Is.EqualTo("engagement=cold; channel=staff"));
            Assert.That(SegmentLabels.Reference(Ranked("浦东理财", ("district", "浦东新区"))), Is.EqualTo("浦东理财"));
        });
    }

    [Test]
    [SetUICulture(Text.Chinese)]
    public void In_Chinese_a_campaigns_segment_words_the_values_Acquisition_defines()
    {
        Assert.Multiple(() =>
        {
            Assert.That(SegmentLabels.OfCampaign("engagement=cold; channel=staff; touches=2-3"), Is.EqualTo("冷（未联系） · 员工录入 · 接触 2-3 次"));
            Assert.That(SegmentLabels.OfCampaign("district=浦东新区; ageBand=30-39"), Is.EqualTo("浦东新区 · 30-39"));
            Assert.That(SegmentLabels.OfCampaign("cold · staff · 2-3"), Is.EqualTo("冷（未联系） · 员工录入 · 接触 2-3 次"), "a label the wizard kept before");
            Assert.That(SegmentLabels.OfCampaign("30-49 岁, 本区, 有理财兴趣"), Is.EqualTo("30-49 岁, 本区, 有理财兴趣"), "the bank's own words, as the demo's");
            Assert.That(SegmentLabels.OfCampaign("a=b; mood=happy"), Is.EqualTo("a=b; mood=happy"), "no known dimension: shown as it is");
            Assert.That(SegmentLabels.OfCampaign(null), Is.Empty);
        });
    }

    [Test]
    [SetUICulture(Text.English)]
    public void In_English_the_same_reference_reads_in_English()
    {
        Assert.That(SegmentLabels.OfCampaign("engagement=cold; channel=staff"),
            Is.EqualTo($"{Text.T("Acq.Engagement.cold")} · {Text.T("Acq.LeadChannel.staff")}").And.Not.Contain("冷"));
    }
}
