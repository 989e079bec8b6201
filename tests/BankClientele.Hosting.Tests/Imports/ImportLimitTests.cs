using System.Net;
using System.Net.Http.Json;
using System.Text;
using BankClientele.Acquisition;
using BankClientele.CustomerCare;
using BankClientele.FootTraffic;
using BankClientele.Insights;
using Microsoft.EntityFrameworkCore;

namespace BankClientele.Hosting.Tests.Imports;

/// <summary>
/// Every import endpoint, on services of their own started with small limits (3 rows, 4 KiB): one row
/// too many, or a body too large, is a 413 problem naming the limit, and nothing is applied.
/// </summary>
[NonParallelizable]
public sealed class ImportLimitTests
{
    private static readonly Dictionary<string, string?> Limits = new() { ["Imports:MaxRows"] = "3", ["Imports:MaxBytes"] = "4096" };

    private ServiceFactory<CustomerCareDbContext> care = null!;
    private ServiceFactory<AcquisitionDbContext> acquisition = null!;
    private ServiceFactory<FootTrafficDbContext> traffic = null!;
    private ServiceFactory<InsightsDbContext> insights = null!;

    [OneTimeSetUp]
    public async Task StartAsync()
    {
        care = new ServiceFactory<CustomerCareDbContext>("bankclientele_test_limits_customercare", Limits);
        acquisition = new ServiceFactory<AcquisitionDbContext>("bankclientele_test_limits_acquisition", Limits);
        traffic = new ServiceFactory<FootTrafficDbContext>("bankclientele_test_limits_foottraffic", Limits);
        insights = new ServiceFactory<InsightsDbContext>("bankclientele_test_limits_insights", Limits);
        foreach (var database in new[] { care.Database, acquisition.Database, traffic.Database, insights.Database })
        {
            await TestDatabases.DropAsync(database);
        }
        await Task.WhenAll(care.StartAsync(), acquisition.StartAsync(), traffic.StartAsync(), insights.StartAsync());
    }

    [OneTimeTearDown]
    public async Task StopAsync()
    {
        await care.DisposeAsync();
        await acquisition.DisposeAsync();
        await traffic.DisposeAsync();
        await insights.DisposeAsync();
    }

    private static async Task AssertRefusedAsync(HttpResponseMessage response, string setting, string limit)
    {
        var body = await response.Content.ReadAsStringAsync();
        Assert.That(response.StatusCode, Is.EqualTo(HttpStatusCode.RequestEntityTooLarge), body);
        Assert.That(response.Content.Headers.ContentType?.MediaType, Is.EqualTo("application/problem+json"));
        Assert.That(body, Does.Contain(setting).And.Contain(limit));
    }

    private static string Number() => ServiceSystem.NewCustomerNumber();

    [Test]
    public async Task A_core_banking_feed_over_the_row_or_byte_limit_is_refused_whole_in_csv_and_json()
    {
        var branch = TestServers.UniqueBranch();
        using var admin = care.ClientFor(Tokens.Administrator);
        string Customers(int n) => "customer_number,full_name,phone,branch_code\n" +
            string.Concat(Enumerable.Range(0, n).Select(i => $"{Number()},客户{i},1381234567{i},{branch}\n"));

        var csv = await admin.PostAsync("/api/feed/customers", new StringContent(Customers(4), Encoding.UTF8, "text/csv"));
        await AssertRefusedAsync(csv, "Imports:MaxRows", "3 rows");
        // A last line without its line break is a row too.
        var unterminated = await admin.PostAsync("/api/feed/customers", new StringContent(Customers(4).TrimEnd('\n'), Encoding.UTF8, "text/csv"));
        await AssertRefusedAsync(unterminated, "Imports:MaxRows", "3 rows");
        var json = await admin.PostAsync("/api/feed/customers", JsonContent.Create(Enumerable.Range(0, 4)
            .Select(i => new { customerNumber = Number(), fullName = $"客户{i}", phone = "13812345678", branchCode = branch })));
        await AssertRefusedAsync(json, "Imports:MaxRows", "3 rows");
        var holdings = await admin.PostAsync("/api/feed/holdings", JsonContent.Create(Enumerable.Range(0, 4).Select(_ => new { customerNumber = Number() })));
        await AssertRefusedAsync(holdings, "Imports:MaxRows", "3 rows");
        var large = "customer_number,date,deposit,wealth\n" + new string('#', 5000);
        await AssertRefusedAsync(await admin.PostAsync("/api/feed/balances", new StringContent(large, Encoding.UTF8, "text/csv")), "Imports:MaxBytes", "4,096 bytes");

        await using (var db = care.NewDbContext())
        {
            Assert.That(await db.Customers.CountAsync(c => c.BranchCode == branch), Is.Zero, "nothing was applied");
        }
        var three = await admin.PostAsync("/api/feed/customers", new StringContent(Customers(3), Encoding.UTF8, "text/csv"));
        Assert.That(three.StatusCode, Is.EqualTo(HttpStatusCode.OK), await three.Content.ReadAsStringAsync());
        await using (var db = care.NewDbContext())
        {
            Assert.That(await db.Customers.CountAsync(c => c.BranchCode == branch), Is.EqualTo(3), "at the limit it is accepted");
        }
    }

    [Test]
    public async Task A_prospect_list_over_the_row_limit_is_refused_whole()
    {
        var branch = TestServers.UniqueBranch();
        using var lead = acquisition.ClientFor(Tokens.BranchLead(branch));
        var csv = "full_name,phone,id_number,branch_code,campaign_code,channel,consent_at,consent_channel,consent_wording\n" +
            string.Concat(Enumerable.Range(0, 4).Select(i => $"客户{i},1391234{Random.Shared.Next(1000, 9999)},,{branch},,import,,,\n"));
        var response = await lead.PostAsync("/api/prospects/import", new StringContent(csv, Encoding.UTF8, "text/csv"));
        await AssertRefusedAsync(response, "Imports:MaxRows", "3 rows");
        await using var db = acquisition.NewDbContext();
        Assert.That(await db.Prospects.CountAsync(p => p.BranchCode == branch), Is.Zero, "nothing was applied");
    }

    [Test]
    public async Task A_queue_log_over_the_row_limit_is_refused_whole()
    {
        var branch = TestServers.UniqueBranch();
        using var lead = traffic.ClientFor(Tokens.BranchLead(branch));
        var csv = "branch_code,ticket_number,service_type,issued_at,called_at,counter,service_started_at,service_ended_at,abandoned_at,customer_number,phone\n" +
            string.Concat(Enumerable.Range(0, 4).Select(i => $"{branch},A{i:D3},cash,2026-12-01T09:0{i}:00+08:00,,,,,,,\n"));
        var response = await lead.PostAsync("/api/visits/queue-log", new StringContent(csv, Encoding.UTF8, "text/csv"));
        await AssertRefusedAsync(response, "Imports:MaxRows", "3 rows");
        await using var db = traffic.NewDbContext();
        Assert.That(await db.Visits.CountAsync(v => v.BranchCode == branch), Is.Zero, "nothing was applied");
    }

    [Test]
    public async Task A_market_table_over_the_row_limit_is_refused_whole()
    {
        var branches = Enumerable.Range(0, 4).Select(_ => TestServers.UniqueBranch()).ToList();
        using var headOffice = insights.ClientFor(Tokens.HeadOffice);
        var response = await headOffice.PutAsJsonAsync("/api/market/branch-cities", branches.Select(b => new { branchCode = b, city = "上海" }));
        await AssertRefusedAsync(response, "Imports:MaxRows", "3 rows");
        var ok = await headOffice.PutAsJsonAsync("/api/market/branch-cities", branches.Take(3).Select(b => new { branchCode = b, city = "上海" }));
        Assert.That(ok.StatusCode, Is.Not.EqualTo(HttpStatusCode.RequestEntityTooLarge), "three rows are within the limit");
    }
}
