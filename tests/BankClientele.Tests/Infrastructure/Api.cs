using System.Net;
using System.Net.Http.Json;
using BankClientele.Acquisition.Prospects;
using BankClientele.CustomerCare.Assignment;
using BankClientele.Hosting.Auth;

namespace BankClientele.Tests.Infrastructure;

/// <summary>The calls tests make through the services' public HTTP APIs.</summary>
public static class Api
{
    public static async Task AddRelationshipManagerAsync(string staffId, string branch, int capacity = 10)
    {
        using var client = TestSystem.CustomerCare.ClientFor(Tokens.HeadOffice);
        var response = await client.PutAsJsonAsync("/api/relationship-managers", new SaveRelationshipManager(staffId, $"RM {staffId}", branch, capacity));
        Assert.That(response.StatusCode, Is.EqualTo(HttpStatusCode.OK), await response.Content.ReadAsStringAsync());
    }

    public static async Task<Guid> RecordProspectAsync(StaffIdentity staff, string branch, string name = "张三")
    {
        using var client = TestSystem.Acquisition.ClientFor(staff);
        var response = await client.PostAsJsonAsync("/api/prospects", new RecordProspect(name, "13812345678", branch, "CMP-TEST"));
        Assert.That(response.StatusCode, Is.EqualTo(HttpStatusCode.Created), await response.Content.ReadAsStringAsync());
        return (await response.Content.ReadFromJsonAsync<ProspectCreated>())!.Id;
    }

    public static async Task<Guid> ConvertAsync(StaffIdentity staff, Guid prospectId, decimal deposit = 50_000m)
    {
        using var client = TestSystem.Acquisition.ClientFor(staff);
        var response = await client.PostAsJsonAsync($"/api/prospects/{prospectId}/conversion", new ConvertProspect("6222020200112233", deposit));
        Assert.That(response.StatusCode, Is.EqualTo(HttpStatusCode.OK), await response.Content.ReadAsStringAsync());
        return (await response.Content.ReadFromJsonAsync<ProspectConversionResult>())!.CustomerId;
    }

    /// <summary>A converted customer of <paramref name="branch"/>: prospect recorded and converted.</summary>
    public static async Task<Guid> NewCustomerAsync(string branch)
    {
        var lead = Tokens.BranchLead(branch);
        return await ConvertAsync(lead, await RecordProspectAsync(lead, branch));
    }

    public static async Task<T?> GetAsync<T>(HttpClient client, string path)
    {
        var response = await client.GetAsync(path);
        return response.StatusCode == HttpStatusCode.NotFound ? default : await response.EnsureSuccessStatusCode().Content.ReadFromJsonAsync<T>();
    }
}
