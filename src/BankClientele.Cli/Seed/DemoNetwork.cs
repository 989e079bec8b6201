using BankClientele.Hosting.Auth;

namespace BankClientele.Cli.Seed;

public sealed record DemoBranch(string Code, string Name);

public sealed record DemoRelationshipManager(string StaffId, string Name, string BranchCode, int Capacity);

/// <summary>A portal sign-in account of the demo (all share <see cref="DemoNetwork.Password"/>).</summary>
public sealed record DemoSignIn(string UserName, string DisplayName, string Role, string StaffId, string? BranchCode);

/// <summary>A kind of counter service, its queue-ticket letter and how common it is.</summary>
public sealed record DemoServiceType(string Name, char TicketPrefix, int Weight);

/// <summary>
/// The demo branch network that <c>bankclientele seed</c> pushes through the services' APIs.
/// The README and run.sh rely on these values (branches, staff ids, sign-ins, password, counts):
/// change them here and there together.
/// </summary>
public static class DemoNetwork
{
    /// <summary>The password of every demo sign-in account.</summary>
    public const string Password = "Demo@2026!";

    /// <summary>Bogus' seed: the same names, phones, deposits and visit times on every run.</summary>
    public const int RandomSeed = 20260101;

    public const int RelationshipManagerCapacity = 30;
    public const int ProspectsPerBranch = 12;

    /// <summary>About two thirds of the prospects open an account.</summary>
    public const int ConversionsPerBranch = 8;

    public const int VisitsPerBranch = 20;

    /// <summary>Visits by customers converted above; the other visits are walk-ins (no customer id).</summary>
    public const int CustomerVisitsPerBranch = 6;

    public const decimal MinInitialDeposit = 1_000m;
    public const decimal MaxInitialDeposit = 500_000m;

    /// <summary>Opening hours, local time in <see cref="TimeZone"/>: visits arrive in between.</summary>
    public static readonly TimeOnly Opens = new(9, 0);
    public static readonly TimeOnly Closes = new(17, 0);

    public static readonly IReadOnlyList<DemoBranch> Branches =
    [
        new("SH001", "上海陆家嘴支行"),
        new("SH002", "上海徐家汇支行"),
        new("BJ001", "北京国贸支行"),
    ];

    public static readonly IReadOnlyList<DemoRelationshipManager> RelationshipManagers =
    [
        new("RM-SH001-01", "李静", "SH001", RelationshipManagerCapacity),
        new("RM-SH001-02", "陈浩", "SH001", RelationshipManagerCapacity),
        new("RM-SH002-01", "张敏", "SH002", RelationshipManagerCapacity),
        new("RM-SH002-02", "刘洋", "SH002", RelationshipManagerCapacity),
        new("RM-BJ001-01", "王磊", "BJ001", RelationshipManagerCapacity),
        new("RM-BJ001-02", "赵丽", "BJ001", RelationshipManagerCapacity),
    ];

    public static readonly DemoSignIn Administrator = new("admin", "系统管理员", StaffRoles.Administrator, "ADM-001", null);

    public static readonly IReadOnlyList<DemoSignIn> SignIns =
    [
        new("rm.li", "李静", StaffRoles.RelationshipManager, "RM-SH001-01", "SH001"), // the same person as the roster's RM-SH001-01
        new("lead.wang", "王行长", StaffRoles.BranchLead, "BL-SH001", "SH001"),
        new("hq.zhao", "赵总", StaffRoles.HeadOffice, "HQ-001", null),
        Administrator,
    ];

    /// <summary>Targeted campaign, community event, partner co-marketing, lobby event.</summary>
    public static readonly IReadOnlyList<string> CampaignCodes =
        ["CMP-2026-SPRING", "COMMUNITY-01", "PARTNER-UNIONPAY", "LOBBY-EVENT-01"];

    public static readonly IReadOnlyList<DemoServiceType> ServiceTypes =
    [
        new("存取款", 'A', 8),
        new("理财咨询", 'B', 4),
        new("开户", 'C', 3),
        new("贷款", 'D', 2),
    ];

    /// <summary>Relative foot traffic per opening hour (09, 10, ... 16): a late-morning peak and a lunch dip.</summary>
    public static readonly IReadOnlyList<int> HourlyWeights = [3, 5, 4, 2, 1, 3, 4, 3];

    /// <summary>Mobile prefixes the demo phone numbers start with (11 digits in all).</summary>
    public static readonly IReadOnlyList<string> MobilePrefixes = ["13", "15", "18"];

    /// <summary>China Standard Time (no daylight saving): Asia/Shanghai, or UTC+8 where tzdata is missing.</summary>
    public static TimeZoneInfo TimeZone { get; } = FindTimeZone();

    /// <summary>Today's date in the branches' time zone.</summary>
    public static DateOnly Today(DateTimeOffset now) => DateOnly.FromDateTime(TimeZoneInfo.ConvertTime(now, TimeZone).DateTime);

    /// <summary>What the seed pushes for <paramref name="day"/>: the same on every run but for the date.</summary>
    public static DemoPlan Plan(DateOnly day) => DemoPlanGenerator.Generate(day);

    private static TimeZoneInfo FindTimeZone()
    {
        try
        {
            return TimeZoneInfo.FindSystemTimeZoneById("Asia/Shanghai");
        }
        catch (Exception e) when (e is TimeZoneNotFoundException or InvalidTimeZoneException)
        {
            return TimeZoneInfo.CreateCustomTimeZone("China Standard Time", TimeSpan.FromHours(8), "China Standard Time", "CST");
        }
    }
}
