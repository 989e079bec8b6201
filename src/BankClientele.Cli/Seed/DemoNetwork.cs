using BankClientele.Hosting.Auth;

namespace BankClientele.Cli.Seed;

public sealed record DemoBranch(string Code, string Name, string City = "上海", string District = "浦东新区");

public sealed record DemoRelationshipManager(string StaffId, string Name, string BranchCode, int Capacity);

/// <summary>A portal sign-in account of the demo (all share <see cref="DemoNetwork.Password"/>).</summary>
public sealed record DemoSignIn(string UserName, string DisplayName, string Role, string StaffId, string? BranchCode, string? RegionCode = null);

/// <summary>A region (分行) of the demo network and its branches (支行): only the portal knows regions.</summary>
public sealed record DemoRegion(string Code, string Name, IReadOnlyList<string> BranchCodes);

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

    /// <summary>Opening hours, branch time (<see cref="BranchClock"/>): visits arrive in between.</summary>
    public static readonly TimeOnly Opens = new(9, 0);
    public static readonly TimeOnly Closes = new(17, 0);

    public static readonly IReadOnlyList<DemoBranch> Branches =
    [
        new("SH001", "上海陆家嘴支行", "上海", "浦东新区"),
        new("SH002", "上海徐家汇支行", "上海", "徐汇区"),
        new("SH003", "上海静安寺支行", "上海", "静安区"),
        new("BJ001", "北京国贸支行", "北京", "朝阳区"),
        new("BJ002", "北京中关村支行", "北京", "海淀区"),
        new("BJ003", "北京望京支行", "北京", "朝阳区"),
        new("GZ001", "广州天河支行", "广州", "天河区"),
        new("SZ001", "深圳福田支行", "深圳", "福田区"),
        new("SZ002", "深圳南山支行", "深圳", "南山区"),
        new("HZ001", "杭州西湖支行", "杭州", "西湖区"),
        new("CD001", "成都春熙路支行", "成都", "锦江区"),
        new("NJ001", "南京新街口支行", "南京", "秦淮区"),
    ];

    /// <summary>Four managers per branch; the first two of SH001, SH002 and BJ001 keep the names they always had.</summary>
    public static readonly IReadOnlyList<DemoRelationshipManager> RelationshipManagers = MakeRelationshipManagers();

    /// <summary>How many customers the core-banking demo feed holds (issue: at least 20,000).</summary>
    public const int CustomerCount = 20_000;

    /// <summary>
    /// The core-banking customer number of demo customer <paramref name="index"/> (1 to
    /// <see cref="CustomerCount"/>): ten digits. Every feature's demo data uses these numbers, and
    /// CustomerIds.FromCustomerNumber gives the id the customer has in every service.
    /// </summary>
    public static string CustomerNumber(int index) => (6_100_000_000L + index).ToString(System.Globalization.CultureInfo.InvariantCulture);

    /// <summary>The home branch of demo customer <paramref name="index"/>: round robin over <see cref="Branches"/>.</summary>
    public static DemoBranch CustomerBranch(int index) => Branches[(index - 1) % Branches.Count];

    private static List<DemoRelationshipManager> MakeRelationshipManagers()
    {
        var known = new Dictionary<string, string>
        {
            ["RM-SH001-01"] = "李静", ["RM-SH001-02"] = "陈浩", ["RM-SH002-01"] = "张敏",
            ["RM-SH002-02"] = "刘洋", ["RM-BJ001-01"] = "王磊", ["RM-BJ001-02"] = "赵丽",
        };
        string[] surnames = ["周", "吴", "郑", "孙", "马", "朱", "胡", "郭", "何", "高", "林", "罗", "梁", "宋", "唐", "许", "韩", "冯", "邓", "曹", "彭", "曾", "萧", "田", "董", "袁", "潘", "于", "蒋", "蔡", "余", "杜", "叶", "程", "苏", "魏", "吕", "丁", "任", "沈", "姚", "卢"];
        string[] given = ["晓东", "丽华", "建国", "雅婷", "志强", "海燕", "文博", "思琪", "永刚", "欣怡", "振华", "佳慧"];
        var list = new List<DemoRelationshipManager>();
        var n = 0;
        foreach (var branch in Branches)
        {
            for (var i = 1; i <= 4; i++, n++)
            {
                var id = $"RM-{branch.Code}-{i:00}";
                var name = known.GetValueOrDefault(id) ?? surnames[n % surnames.Length] + given[(n * 7) % given.Length];
                list.Add(new DemoRelationshipManager(id, name, branch.Code, RelationshipManagerCapacity));
            }
        }
        return list;
    }

    public static readonly DemoSignIn Administrator = new("admin", "系统管理员", StaffRoles.Administrator, "ADM-001", null);

    public static readonly IReadOnlyList<DemoSignIn> SignIns =
    [
        new("rm.li", "李静", StaffRoles.RelationshipManager, "RM-SH001-01", "SH001"), // the same person as the roster's RM-SH001-01
        new("lead.wang", "王行长", StaffRoles.BranchLead, "BL-SH001", "SH001"),
        new("hq.zhao", "赵总", StaffRoles.HeadOffice, "HQ-001", null),
        new("region.sun", "孙行长", StaffRoles.RegionHead, "RH-EAST", null, "R-EAST"),
        Administrator,
    ];

    /// <summary>Three regions over the twelve branches; region.sun heads 华东分行.</summary>
    public static readonly IReadOnlyList<DemoRegion> Regions =
    [
        new("R-EAST", "华东分行", ["SH001", "SH002", "SH003", "HZ001", "NJ001"]),
        new("NORTH", "华北分行", ["BJ001", "BJ002", "BJ003"]),
        new("SOUTH", "华南西南分行", ["GZ001", "SZ001", "SZ002", "CD001"]),
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

    /// <summary>What the seed pushes for <paramref name="day"/>: the same on every run but for the date.</summary>
    public static DemoPlan Plan(DateOnly day) => DemoPlanGenerator.Generate(day);
}
