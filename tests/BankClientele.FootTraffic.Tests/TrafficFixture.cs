using System.Net;
using System.Net.Http.Json;
using System.Text;
using BankClientele.Contracts.CustomerCare;
using BankClientele.Hosting.Customers;
using BankClientele.Hosting.Privacy;
using Microsoft.EntityFrameworkCore;

namespace BankClientele.FootTraffic.Tests;

/// <summary>The listener bus for the foot-traffic tests, and the arrangements they share.</summary>
[SetUpFixture]
public sealed class TrafficFixture
{
    public static TrafficBusListener Listener { get; private set; } = null!;

    public static readonly PersonalDataHash Hashes = TestServers.Hashes;

    [OneTimeSetUp]
    public async Task StartAsync() => Listener = await TrafficBusListener.StartAsync();

    [OneTimeTearDown]
    public async Task StopAsync() => await Listener.DisposeAsync();

    /// <summary>CustomerCare's registration event, over the real broker, until FootTraffic's directory holds the customer.</summary>
    public static async Task<Guid> RegisterCustomerAsync(string customerNumber, string branch, string? phone, string tier)
    {
        var id = CustomerIds.FromCustomerNumber(customerNumber);
        await Listener.Bus.Publish(new CustomerRegistered(id, customerNumber, branch, Hashes.Phone(phone), null, tier, DateTimeOffset.UtcNow));
        await Poll.UntilAsync(async () =>
        {
            await using var db = TestSystem.FootTraffic.NewDbContext();
            return await db.KnownCustomers.AnyAsync(c => c.CustomerId == id);
        }, found => found, $"FootTraffic to learn customer {customerNumber}");
        return id;
    }

    public static async Task<HttpResponseMessage> ImportAsync(HttpClient client, string csv) =>
        await client.PostAsync("/api/visits/queue-log", new StringContent(csv, Encoding.UTF8, "text/csv"));

    public const string Header = "branch_code,ticket_number,service_type,issued_at,called_at,counter,service_started_at,service_ended_at,abandoned_at,customer_number,phone";

    public static string UniqueCustomerNumber() => "9" + Random.Shared.NextInt64(100_000_000, 999_999_999).ToString(System.Globalization.CultureInfo.InvariantCulture);

    public static string UniquePhone() => "139" + Random.Shared.Next(10_000_000, 99_999_999).ToString(System.Globalization.CultureInfo.InvariantCulture);

    public static async Task<T> ReadAsync<T>(HttpResponseMessage response, HttpStatusCode expected)
    {
        Assert.That(response.StatusCode, Is.EqualTo(expected), await response.Content.ReadAsStringAsync());
        return (await response.Content.ReadFromJsonAsync<T>())!;
    }
}
