using System.Net;
using MassTransit;
using System.Net.Http.Json;
using BankClientele.Acquisition;
using BankClientele.Acquisition.Prospects;
using BankClientele.CustomerCare;
using BankClientele.CustomerCare.Managers;
using BankClientele.FootTraffic;
using BankClientele.Hosting.Auth;
using BankClientele.Insights;

namespace BankClientele.Testing;

/// <summary>
/// The four services, each in the test process on its own test database, sharing the real broker,
/// with the calls tests make through their public HTTP APIs.
/// </summary>
public sealed class ServiceSystem(string databasePrefix) : IAsyncDisposable
{
    public ServiceFactory<CustomerCareDbContext> CustomerCare { get; } = new($"{databasePrefix}_customercare", WebhookTestSettings);

    /// <summary>
    /// Webhooks may reach the tests' listener on 127.0.0.1 (a test-only exemption); the allow-list
    /// also names hosts that resolve inward, so tests can show the address check refusing them.
    /// </summary>
    public static readonly IReadOnlyDictionary<string, string?> WebhookTestSettings = new Dictionary<string, string?>
    {
        ["Webhooks:TestOnlyTargets:0"] = "127.0.0.1",
        ["Webhooks:AllowedHosts:0"] = "qyapi.weixin.qq.com",
        ["Webhooks:AllowedHosts:1"] = "oapi.dingtalk.com",
        ["Webhooks:AllowedHosts:2"] = "localhost",
        ["Webhooks:AllowedHosts:3"] = "169.254.169.254",
        ["Webhooks:AllowedHosts:4"] = "10.20.30.40",
        ["Webhooks:AllowedHosts:5"] = "100.64.0.1",
    };
    public ServiceFactory<AcquisitionDbContext> Acquisition { get; } = new($"{databasePrefix}_acquisition");
    public ServiceFactory<FootTrafficDbContext> FootTraffic { get; } = new($"{databasePrefix}_foottraffic");
    public ServiceFactory<InsightsDbContext> Insights { get; } = new($"{databasePrefix}_insights");

    /// <summary>Fresh databases, migrated; every host ready (database, broker, queues bound).</summary>
    public async Task StartAsync()
    {
        foreach (var database in new[] { CustomerCare.Database, Acquisition.Database, FootTraffic.Database, Insights.Database })
        {
            await TestDatabases.DropAsync(database);
        }
        await Task.WhenAll(CustomerCare.StartAsync(), Acquisition.StartAsync(), FootTraffic.StartAsync(), Insights.StartAsync());
    }

    public async ValueTask DisposeAsync()
    {
        await CustomerCare.DisposeAsync();
        await Acquisition.DisposeAsync();
        await FootTraffic.DisposeAsync();
        await Insights.DisposeAsync();
    }

    public async Task AddRelationshipManagerAsync(string staffId, string branch, int capacity = 10, string? name = null)
    {
        using var client = CustomerCare.ClientFor(Tokens.HeadOffice);
        var response = await client.PutAsJsonAsync("/api/relationship-managers", new SaveRelationshipManager(staffId, name ?? $"RM {staffId}", branch, capacity));
        Assert.That(response.StatusCode, Is.EqualTo(HttpStatusCode.OK), await response.Content.ReadAsStringAsync());
    }

    public async Task<Guid> RecordProspectAsync(StaffIdentity staff, string branch, string name = "张三", string? phone = null)
    {
        using var client = Acquisition.ClientFor(staff);
        phone ??= NewPhone();
        var response = await client.PostAsJsonAsync("/api/prospects", new RecordProspect(name, phone, branch, "CMP-TEST"));
        Assert.That(response.StatusCode, Is.EqualTo(HttpStatusCode.Created), await response.Content.ReadAsStringAsync());
        return (await response.Content.ReadFromJsonAsync<ProspectCreated>())!.Id;
    }

    /// <summary>
    /// A mobile number of its own, so that prospects are not merged as one person and a prospect is not refused as an
    /// existing customer: one of 100 million. (Drawn from 10,000, as 138****5678, a run's hundreds of converted customers
    /// made a new prospect's number an existing customer's now and then.)
    /// </summary>
    public static string NewPhone() => $"138{Random.Shared.Next(100_000_000):D8}";

    /// <summary>A core-banking customer number no other test uses.</summary>
    public static string NewCustomerNumber() => $"9{Random.Shared.NextInt64(100_000_000_000, 999_999_999_999)}";

    public async Task<Guid> ConvertAsync(StaffIdentity staff, Guid prospectId, decimal deposit = 50_000m, string? customerNumber = null)
    {
        using var client = Acquisition.ClientFor(staff);
        var response = await client.PostAsJsonAsync($"/api/prospects/{prospectId}/conversion",
            new ConvertProspect(customerNumber ?? NewCustomerNumber(), "6222020200112233", deposit));
        Assert.That(response.StatusCode, Is.EqualTo(HttpStatusCode.OK), await response.Content.ReadAsStringAsync());
        return (await response.Content.ReadFromJsonAsync<ProspectConversionResult>())!.CustomerId;
    }

    /// <summary>
    /// A converted customer of <paramref name="branch"/>: prospect recorded and converted, and the
    /// customer in the core-banking customers feed (the conversion's event carries no name or phone:
    /// the feed, their owner, brings them to CustomerCare's book).
    /// </summary>
    public async Task<Guid> NewCustomerAsync(string branch, string name = "张三", string? phone = null)
    {
        var lead = Tokens.BranchLead(branch);
        phone ??= NewPhone();
        var number = NewCustomerNumber();
        var customerId = await ConvertAsync(lead, await RecordProspectAsync(lead, branch, name, phone), customerNumber: number);
        await ImportFeedAsync("customers", $"customer_number,full_name,phone,branch_code\n{number},{name},{phone},{branch}\n");
        return customerId;
    }

    /// <summary>Publishes an event over the real broker (through CustomerCare's bus), as another service would.</summary>
    /// <returns>The message id, to find it in a consumer's inbox.</returns>
    public async Task<Guid> PublishAsync<T>(T message) where T : class
    {
        var messageId = Guid.NewGuid();
        await CustomerCare.Get<MassTransit.IBus>().Publish(message, (MassTransit.PublishContext<T> context) => context.MessageId = messageId);
        return messageId;
    }

    /// <summary>Streams a CSV prospect list to Acquisition's import (or its dry run).</summary>
    public async Task<HttpResponseMessage> ImportProspectsAsync(StaffIdentity staff, string csv, bool dryRun = false)
    {
        using var client = Acquisition.ClientFor(staff);
        using var content = new StringContent(csv, System.Text.Encoding.UTF8, "text/csv");
        return await client.PostAsync(dryRun ? "/api/prospects/import?dryRun=true" : "/api/prospects/import", content);
    }

    /// <summary>
    /// Posts a core-banking feed file (customers, holdings or balances; CSV with its header line) as
    /// an administrator and returns the response (200 with the import's counts, or 400 with the bad rows).
    /// </summary>
    public async Task<HttpResponseMessage> PostFeedAsync(string feed, string csv, StaffIdentity? staff = null)
    {
        using var client = CustomerCare.ClientFor(staff ?? Tokens.Administrator);
        using var content = new StringContent(csv, System.Text.Encoding.UTF8, "text/csv");
        return await client.PostAsync($"/api/feed/{feed}", content);
    }

    /// <summary>Imports a feed file that must be accepted; returns the import's counts.</summary>
    public async Task<BankClientele.CustomerCare.Feed.FeedImportResult> ImportFeedAsync(string feed, string csv)
    {
        using var response = await PostFeedAsync(feed, csv);
        Assert.That(response.StatusCode, Is.EqualTo(HttpStatusCode.OK), await response.Content.ReadAsStringAsync());
        return (await response.Content.ReadFromJsonAsync<BankClientele.CustomerCare.Feed.FeedImportResult>())!;
    }

    public static async Task<T?> GetAsync<T>(HttpClient client, string path)
    {
        var response = await client.GetAsync(path);
        return response.StatusCode == HttpStatusCode.NotFound ? default : await response.EnsureSuccessStatusCode().Content.ReadFromJsonAsync<T>();
    }
}
