namespace BankClientele.Portal.Localization;

/// <summary>The portal's words for head-office insights (Insights): (Chinese, English), merged into <see cref="Text"/>.</summary>
internal static class InsightsWords
{
    public static readonly Dictionary<string, (string Zh, string En)> Words = new()
    {
        ["Insights.CampaignEffect"] = ("活动效果", "Campaign effect"),
        ["Insights.CampaignCode"] = ("活动代码", "Campaign code"),
        ["Insights.PreDays"] = ("活动前天数", "Days before"),
        ["Insights.PostDays"] = ("活动后天数", "Days after"),
        ["Insights.Estimate"] = ("估算", "Estimate"),
        ["Insights.Method"] = ("方法", "Method"),
        ["Insights.Effect"] = ("效果（日均存款，元）", "Effect (average daily deposit, yuan)"),
        ["Insights.StandardError"] = ("标准误", "Standard error"),
        ["Insights.Ci95"] = ("95% 置信区间", "95% interval"),
        ["Insights.Did"] = ("双重差分", "Difference-in-differences"),
        ["Insights.Cuped"] = ("双重差分 + CUPED", "With CUPED"),
        ["Insights.PreTrend"] = ("活动前趋势检验（安慰剂）", "Pre-trend check (placebo)"),
        ["Insights.PreTrendOk"] = ("活动前无显著差异", "No pre-trend detected"),
        ["Insights.PreTrendWarn"] = ("活动前已有差异，结果需谨慎解读", "Groups already diverged before the start: read with care"),
        ["Insights.Audience"] = ("受众：实验组 {0} 人，对照组 {1} 人", "Audience: {0} treated, {1} held out"),
        ["Insights.Mde"] = ("最小可检测效果（80% 功效）", "Minimum detectable effect (80% power)"),
        ["Insights.Show"] = ("查看", "Show"),
        ["Insights.EnterCampaign"] = ("输入活动代码查看其对存款的影响。", "Enter a campaign code to see its effect on deposits."),
    };
}
