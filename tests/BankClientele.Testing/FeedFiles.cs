using System.Globalization;
using BankClientele.Hosting.Customers;

namespace BankClientele.Testing;

/// <summary>Small core-banking files for the feed tests, for customers of a branch of their own.</summary>
public sealed class FeedFiles(string branch)
{
    public const string CustomersHeader = "customer_number,full_name,gender,birth_date,id_type,id_number,phone,city,district,branch_code,occupation,risk_level,risk_assessed_on,tags";
    public const string HoldingsHeader = "account_number,customer_number,product_code,opened_on,matures_on,balance";
    public const string BalancesHeader = "customer_number,date,deposit,wealth";

    public string Branch { get; } = branch;

    public static DateOnly Yesterday => BankClientele.Hosting.Time.BranchClock.System.Today.AddDays(-1);

    public string Number(int i) => $"{Branch}N{i:D4}";

    public Guid Id(int i) => CustomerIds.FromCustomerNumber(Number(i));

    public string Phone(int i) => $"139{Math.Abs(Branch.GetHashCode()) % 10_000:D4}{i:D4}";

    public string CustomerLine(int i, string? phone = null, string risk = "C3") =>
        $"{Number(i)},王小{i},M,1980-05-0{1 + i % 9},ID,{ResidentId(i)},{phone ?? Phone(i)},上海,浦东新区,{Branch},教师,{risk},{Yesterday.AddDays(-30):yyyy-MM-dd},vip|薪资";

    public string Customers(params int[] indexes) => File(CustomersHeader, indexes.Select(i => CustomerLine(i)));

    public string Account(int i, int n) => $"{Branch}A{i:D4}{n}";

    public static string File(string header, IEnumerable<string> lines) => header + "\n" + string.Join("\n", lines) + "\n";

    /// <summary>A resident ID number with a correct check character.</summary>
    public static string ResidentId(int i)
    {
        var body = string.Create(CultureInfo.InvariantCulture, $"310115198005{i % 28 + 1:D2}{i % 1000:D3}");
        return body + Seed.DemoPeopleCheck(body);
    }

    public static string Balances(IEnumerable<(string Number, DateOnly Date, decimal Deposit, decimal Wealth)> rows) =>
        File(BalancesHeader, rows.Select(r => string.Create(CultureInfo.InvariantCulture, $"{r.Number},{r.Date:yyyy-MM-dd},{r.Deposit},{r.Wealth}")));

    private static class Seed
    {
        public static char DemoPeopleCheck(string first17)
        {
            int[] weights = [7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2];
            var sum = 0;
            for (var i = 0; i < 17; i++)
            {
                sum += (first17[i] - '0') * weights[i];
            }
            return "10X98765432"[sum % 11];
        }
    }

    public static async Task<long> OutboxCountAsync(string type, string where) =>
        await TestDatabases.ScalarAsync<long>(TestSystem.CustomerCare.Database,
            $"SELECT count(*) FROM outbox_messages WHERE message_type = 'BankClientele.Contracts.CustomerCare.{type}' AND {where}");

}
