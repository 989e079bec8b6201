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

/// <summary>The words of the KPI and league-table pages: (Chinese, English), merged into <see cref="Text"/>.</summary>
internal static class KpiWords
{
    public static readonly Dictionary<string, (string Zh, string En)> Words = new()
    {
        ["Kpi.Title"] = ("经营指标", "KPIs"),
        ["Kpi.LeagueTitle"] = ("客户经理排行榜", "Relationship-manager league table"),
        ["Kpi.From"] = ("从", "From"),
        ["Kpi.To"] = ("到", "To"),
        ["Kpi.Show"] = ("查看", "Show"),
        ["Kpi.Cost"] = ("获客成本合计（元）", "Acquisition cost (yuan)"),
        ["Kpi.Conversions"] = ("新增客户", "Customers won"),
        ["Kpi.Cac"] = ("单客获客成本 CAC（元）", "CAC (yuan)"),
        ["Kpi.AcquiredClv"] = ("新客平均 CLV（元）", "Average CLV of customers won (yuan)"),
        ["Kpi.ClvToCac"] = ("CLV / CAC", "CLV / CAC"),
        ["Kpi.AverageClv"] = ("全部客户平均 CLV（元）", "Average CLV, all customers (yuan)"),
        ["Kpi.Campaigns"] = ("按活动", "By campaign"),
        ["Kpi.Campaign"] = ("活动", "Campaign"),
        ["Kpi.ClvBySegment"] = ("按客群的客户终身价值", "CLV by segment"),
        ["Kpi.ValueSegment"] = ("价值分层", "Value segment"),
        ["Kpi.Lifecycle"] = ("生命周期", "Lifecycle stage"),
        ["Kpi.Customers"] = ("客户数", "Customers"),
        ["Kpi.TotalClv"] = ("CLV 合计（元）", "Total CLV (yuan)"),
        ["Kpi.AliveShare"] = ("平均活跃概率", "Average P(alive)"),
        ["Kpi.MarketShare"] = ("存款市场份额", "Deposit market share"),
        ["Kpi.City"] = ("城市", "City"),
        ["Kpi.Month"] = ("月份", "Month"),
        ["Kpi.BankDeposits"] = ("本行存款（元）", "Our deposits (yuan)"),
        ["Kpi.RegionalDeposits"] = ("地区存款总额（元）", "Regional deposits (yuan)"),
        ["Kpi.Share"] = ("份额", "Share"),
        ["Kpi.NoMarket"] = ("总行尚未录入地区存款总额。", "Head office has not entered regional totals yet."),
        ["Kpi.NoSegments"] = ("尚未运行客群划分。", "No segmentation has run yet."),
        ["Kpi.Rank"] = ("名次", "Rank"),
        ["Kpi.Manager"] = ("客户经理", "Manager"),
        ["Kpi.Branch"] = ("网点", "Branch"),
        ["Kpi.AssetsStart"] = ("期初资产（元）", "Assets at start (yuan)"),
        ["Kpi.AssetsEnd"] = ("期末资产（元）", "Assets at end (yuan)"),
        ["Kpi.AssetGrowth"] = ("资产增长（元）", "Asset growth (yuan)"),
        ["Kpi.GrowthRate"] = ("增长率", "Growth rate"),
        ["Kpi.Revisits"] = ("完成回访", "Revisits done"),
        ["Kpi.OnTimeRate"] = ("按时率", "On time"),
        ["Kpi.Bundles"] = ("产品捆绑成交", "Bundles accepted"),
        ["Kpi.NoManagers"] = ("尚无客户经理数据。", "No managers' data yet."),
        ["Kpi.Segment.High"] = ("高价值", "High"),
        ["Kpi.Segment.Medium"] = ("中价值", "Medium"),
        ["Kpi.Segment.Low"] = ("低价值", "Low"),
        ["Kpi.Segment.Minimal"] = ("微价值", "Minimal"),
        ["Kpi.Stage.Acquire"] = ("获客期", "Acquire"),
        ["Kpi.Stage.Activate"] = ("激活期", "Activate"),
        ["Kpi.Stage.Retain"] = ("留存期", "Retain"),
        ["Kpi.Stage.Convert"] = ("挽回期", "Win back"),
    };
}
