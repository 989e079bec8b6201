using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using BankClientele.Acquisition.Campaigns;
using BankClientele.Acquisition.Segments;
using BankClientele.Hosting.Refusals;

namespace BankClientele.Acquisition.Tests.Campaigns;

/// <summary>
/// A bad request's problem names each field's reason as a code (<c>errorCodes</c>) and the numbers the reason
/// names (<c>errorArguments</c>) beside the English messages: for the model validation's attributes and for the
/// checks the endpoints make by hand alike, against the real server.
/// </summary>
public sealed class FieldReasonTests
{
    private static async Task<JsonElement> ProblemAsync(HttpResponseMessage response)
    {
        var body = await response.Content.ReadAsStringAsync();
        Assert.That(response.StatusCode, Is.EqualTo(HttpStatusCode.BadRequest), body);
        return JsonDocument.Parse(body).RootElement.Clone();
    }

    /// <summary>The field's entry in errors, errorCodes and errorArguments, its key matched case-insensitively.</summary>
    private static (string Message, string? Code, Dictionary<string, decimal> Numbers) Field(JsonElement problem, string field)
    {
        static JsonElement Entry(JsonElement map, string field) =>
            map.EnumerateObject().Single(p => string.Equals(p.Name, field, StringComparison.OrdinalIgnoreCase)).Value[0];
        var numbers = problem.TryGetProperty("errorArguments", out var arguments)
            ? Entry(arguments, field).EnumerateObject().ToDictionary(p => p.Name, p => p.Value.GetDecimal())
            : [];
        return (Entry(problem.GetProperty("errors"), field).GetString()!, Entry(problem.GetProperty("errorCodes"), field).GetString(), numbers);
    }

    [Test]
    public async Task A_campaign_refused_by_its_attributes_names_each_fields_reason_and_numbers()
    {
        var branch = TestServers.UniqueBranch();
        using var lead = TestSystem.Acquisition.ClientFor(Tokens.BranchLead(branch));
        var today = DateOnly.FromDateTime(DateTime.UtcNow);
        var problem = await ProblemAsync(await lead.PostAsJsonAsync("/api/campaigns", new CreateCampaign(
            "x", new string('名', 201), "billboard", branch, -1m, today, HoldoutFraction: 0.9, Capacity: 0)));

        Assert.Multiple(() =>
        {
            Assert.That(problem.GetProperty("code").GetString(), Is.EqualTo(ProblemCodes.InvalidFields));
            var name = Field(problem, "name");
            Assert.That(name.Code, Is.EqualTo(FieldReasons.TooLong));
            Assert.That(name.Numbers, Is.EquivalentTo(new Dictionary<string, decimal> { ["max"] = 200 }));
            Assert.That(name.Message, Does.Contain("200"), "the English message stays for API users");
            var budget = Field(problem, "budget");
            Assert.That(budget.Code, Is.EqualTo(FieldReasons.OutOfRange));
            Assert.That(budget.Numbers, Is.EquivalentTo(new Dictionary<string, decimal> { ["min"] = 0, ["max"] = 1_000_000_000 }));
            Assert.That(Field(problem, "holdoutFraction").Numbers, Is.EquivalentTo(new Dictionary<string, decimal> { ["min"] = 0, ["max"] = 0.5m }));
            Assert.That(Field(problem, "capacity").Numbers, Is.EquivalentTo(new Dictionary<string, decimal> { ["min"] = 1, ["max"] = 100_000 }));
            Assert.That(Field(problem, "kind").Code, Is.EqualTo(FieldReasons.NotOneOf), "a pattern of alternatives");
            var code = Field(problem, "code");
            Assert.That(code.Code, Is.EqualTo(FieldReasons.CodeFormat), "the pattern's own reason");
            Assert.That(code.Numbers, Is.EquivalentTo(new Dictionary<string, decimal> { ["min"] = 3, ["max"] = 40 }));
        });
    }

    [Test]
    public async Task A_missing_field_is_required_and_the_hand_made_checks_carry_their_codes_too()
    {
        var branch = TestServers.UniqueBranch();
        using var lead = TestSystem.Acquisition.ClientFor(Tokens.BranchLead(branch));
        var today = DateOnly.FromDateTime(DateTime.UtcNow);

        var missing = await ProblemAsync(await lead.PostAsJsonAsync("/api/campaigns", new { code = $"CMP-{branch}", kind = "targeted", branchCode = branch, startsOn = today }));
        Assert.That(Field(missing, "name").Code, Is.EqualTo(FieldReasons.Required));

        var backwards = await ProblemAsync(await lead.PostAsJsonAsync("/api/campaigns",
            new CreateCampaign($"CMP-{branch}", "倒序", "targeted", branch, 0m, today, EndsOn: today.AddDays(-1))));
        Assert.That(Field(backwards, "endsOn").Code, Is.EqualTo(FieldReasons.BeforeStart));

        var capacity = await ProblemAsync(await lead.GetAsync($"/api/segments/ranking?branchCode={branch}&capacity=0"));
        Assert.That(Field(capacity, "capacity").Code, Is.EqualTo(FieldReasons.OutOfRange));
        Assert.That(Field(capacity, "capacity").Numbers, Is.EquivalentTo(new Dictionary<string, decimal> { ["min"] = 1, ["max"] = 1_000_000 }));

        var criteria = await ProblemAsync(await lead.PostAsJsonAsync("/api/segments",
            new DefineSegment(branch, "坏", new SegmentCriteria(District: new string('区', 61), Touches: "9"))));
        Assert.Multiple(() =>
        {
            Assert.That(Field(criteria, "criteria.touches").Code, Is.EqualTo(FieldReasons.NotOneOf));
            Assert.That(Field(criteria, "criteria.district").Code, Is.EqualTo(FieldReasons.TooLong));
            Assert.That(Field(criteria, "criteria.district").Numbers, Is.EquivalentTo(new Dictionary<string, decimal> { ["max"] = 60 }));
        });
    }
}
