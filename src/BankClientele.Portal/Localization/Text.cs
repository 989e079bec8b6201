using System.Globalization;

namespace BankClientele.Portal.Localization;

/// <summary>
/// The portal's words in Chinese (the default) and English. One table, so a missing translation
/// shows up side by side with its twin.
/// </summary>
public static class Text
{
    public const string Chinese = "zh-CN";
    public const string English = "en-US";
    public static readonly string[] Cultures = [Chinese, English];

    private static Dictionary<string, (string Zh, string En)> Merge(params Dictionary<string, (string Zh, string En)>[] tables)
    {
        var all = new Dictionary<string, (string Zh, string En)>();
        foreach (var (key, word) in tables.SelectMany(t => t))
        {
            if (!all.TryAdd(key, word))
            {
                throw new InvalidOperationException($"The portal word '{key}' is defined twice.");
            }
        }
        return all;
    }

    private static readonly Dictionary<string, (string Zh, string En)> CoreWords = new()
    {
        ["AppName"] = ("客群管理", "BankClientele"),
        ["SignIn"] = ("登录", "Sign in"),
        ["SignOut"] = ("退出", "Sign out"),
        ["UserName"] = ("用户名", "User name"),
        ["Password"] = ("密码", "Password"),
        ["WrongPassword"] = ("用户名或密码错误。", "Wrong user name or password."),
        ["LockedOut"] = ("密码错误次数过多，账户已锁定，请 15 分钟后再试。", "Too many wrong passwords: the account is locked, try again in 15 minutes."),
        ["SignInTitle"] = ("员工登录", "Staff sign-in"),
        ["SignInHint"] = ("客户经理、网点负责人、总行与系统管理员使用同一入口。", "Relationship managers, branch leads, head office and administrators sign in here."),
        ["MyCustomers"] = ("我的客户", "My customers"),
        ["BranchOverview"] = ("网点概况", "Branch overview"),
        ["NetworkOverview"] = ("全行概览", "Network overview"),
        ["System"] = ("系统状态", "System"),
        ["Role.RelationshipManager"] = ("客户经理", "Relationship manager"),
        ["Role.BranchLead"] = ("网点负责人", "Branch lead"),
        ["Role.HeadOffice"] = ("总行", "Head office"),
        ["Role.Administrator"] = ("系统管理员", "Administrator"),
        ["Branch"] = ("网点", "Branch"),
        ["Customer"] = ("客户", "Customer"),
        ["Phone"] = ("手机", "Phone"),
        ["Account"] = ("账号", "Account"),
        ["InitialDeposit"] = ("首笔存款", "Initial deposit"),
        ["Manager"] = ("客户经理", "Relationship manager"),
        ["JoinedAt"] = ("入户时间", "Joined"),
        ["Customers"] = ("客户数", "Customers"),
        ["Assignments"] = ("已分配", "Assigned"),
        ["Visits"] = ("到访", "Visits"),
        ["UpdatedAt"] = ("更新时间", "Updated"),
        ["TodaysVisits"] = ("今日到访", "Today's visits"),
        ["Ticket"] = ("排队号", "Ticket"),
        ["ServiceType"] = ("业务类型", "Service"),
        ["ArrivedAt"] = ("到达时间", "Arrived"),
        ["WalkIn"] = ("非客户", "Walk-in"),
        ["ExistingCustomer"] = ("存量客户", "Customer"),
        ["Managers"] = ("客户经理负荷", "Relationship managers' load"),
        ["Capacity"] = ("容量", "Capacity"),
        ["Load"] = ("在管客户", "Customers"),
        ["AllBranches"] = ("各网点", "All branches"),
        ["Totals"] = ("合计", "Total"),
        ["CustomersByBranch"] = ("各网点客户与到访", "Customers and visits by branch"),
        ["Service"] = ("服务", "Service"),
        ["Ready"] = ("就绪", "Ready"),
        ["NotReady"] = ("不可用", "Not ready"),
        ["Detail"] = ("详情", "Detail"),
        ["JobsDashboard"] = ("后台任务面板", "Background jobs dashboard"),
        ["DashboardNote"] = ("任务面板需在请求中携带管理员令牌（可用命令行 token 命令生成）。", "The jobs dashboards need an administrator's bearer token (the CLI's token command prints one)."),
        ["SystemHint"] = ("各服务的就绪检查（数据库与消息总线）及后台任务面板。", "Each service's readiness (database and message bus) and its background jobs dashboard."),
        ["Address"] = ("地址", "Address"),
        ["ResponseTime"] = ("响应时间", "Response time"),
        ["Service.CustomerCare"] = ("存量客户服务", "Customer care"),
        ["Service.Acquisition"] = ("获客营销服务", "Acquisition"),
        ["Service.FootTraffic"] = ("网点客流服务", "Foot traffic"),
        ["Service.Insights"] = ("经营分析服务", "Insights"),
        ["BranchCount"] = ("{0} 个网点", "{0} branches"),
        ["Unavailable"] = ("数据暂时无法获取", "This data is unavailable right now"),
        ["UnavailableFrom"] = ("{0}暂时无法提供数据，本页其余内容不受影响。", "{0} cannot give this data right now; the rest of the page is unaffected."),
        ["TryAgainLater"] = ("请稍后刷新页面重试。", "Please refresh the page in a moment."),
        ["AccessDeniedTitle"] = ("无权访问", "Not allowed"),
        ["BackToMyPage"] = ("返回我的首页", "Back to my page"),
        ["NoRows"] = ("暂无数据", "Nothing yet"),
        ["AccessDenied"] = ("您无权访问此页面。", "You may not open this page."),
        ["Language"] = ("English", "中文"),
        ["MaskedNote"] = ("个人信息已按 JR/T 0171-2020 脱敏显示。", "Personal data is masked (JR/T 0171-2020)."),
    };

    /// <summary>
    /// The core words here; each feature keeps its own table in Text.&lt;Feature&gt;.cs beside this
    /// file, merged here (a key defined twice fails at start-up, so no feature overrides another).
    /// </summary>
    private static readonly Lazy<Dictionary<string, (string Zh, string En)>> Words = new(() => Merge(
        CoreWords, CareWords.Words, TrafficWords.Words, AcquisitionWords.Words, InsightsWords.Words, SystemWords.Words,
        KpiWords.Words));

    public static bool IsEnglish => CultureInfo.CurrentUICulture.Name.StartsWith("en", StringComparison.Ordinal);

    public static string T(string key) =>
        Words.Value.TryGetValue(key, out var word) ? (IsEnglish ? word.En : word.Zh) : key;

    /// <summary>Branches keep Beijing time, whatever the server's clock zone.</summary>
    private static readonly TimeZoneInfo BranchTime = TimeZoneInfo.FindSystemTimeZoneById("Asia/Shanghai");

    public static string Time(DateTimeOffset at, string format = "yyyy-MM-dd HH:mm") =>
        TimeZoneInfo.ConvertTime(at, BranchTime).ToString(format, CultureInfo.InvariantCulture);

    /// <summary>Today in branch time, as the instants it starts and ends.</summary>
    public static (DateTimeOffset From, DateTimeOffset To) Today(DateTimeOffset now)
    {
        var local = TimeZoneInfo.ConvertTime(now, BranchTime);
        var start = new DateTimeOffset(local.Date, local.Offset);
        return (start, start.AddDays(1));
    }

    /// <summary>The other language, for the switch in the header.</summary>
    public static string OtherCulture => IsEnglish ? Chinese : English;
}
