using System.Net;
using System.Net.Http.Json;
using BankClientele.Contracts.CustomerCare;
using BankClientele.Insights.Uplift;
using MassTransit;
using MathNet.Numerics.Distributions;
using Microsoft.AspNetCore.Mvc;

namespace BankClientele.Insights.Tests.Uplift;

/// <summary><c>GET /api/uplift/power</c>: a campaign's design from the branch's own deposit spread in the uplift store.</summary>
public sealed class UpliftPowerEndpointTests
{
    [Test]
    public async Task A_branch_design_takes_sigma_from_its_latest_balances_and_rounds_each_group_up()
    {
        var branch = TestServers.UniqueBranch("P");
        var customers = Enumerable.Range(0, 50).Select(_ => Guid.NewGuid()).ToList();
        var start = new DateOnly(2032, 5, 1);
        var bus = TestSystem.Insights.Get<IBus>();
        // Day 0 all alike; day 1 (the latest) alternately 1,000 and 3,000 yuan: σ = 1,000 · √(50/49).
        await bus.Publish(DailyBalancesRecorded.Of(branch, start, 1, 1, [.. customers.Select(c => new CustomerBalance(c, 2_000m, 0m))]));
        await bus.Publish(DailyBalancesRecorded.Of(branch, start.AddDays(1), 1, 1,
            [.. customers.Select((c, i) => new CustomerBalance(c, i % 2 == 0 ? 1_000m : 3_000m, 0m))]));
        using var lead = TestSystem.Insights.ClientFor(Tokens.BranchLead(branch));
        var design = await Poll.UntilAsync(async () =>
            {
                using var response = await lead.GetAsync($"/api/uplift/power?branch={branch}&effect=200&holdoutFraction=0.2");
                return response.IsSuccessStatusCode ? await response.Content.ReadFromJsonAsync<PowerDesign>() : null;
            },
            d => d is not null && d.Day == start.AddDays(1), "the branch's latest balances in the uplift store");

        var sigma = 1_000 * Math.Sqrt(50.0 / 49);
        var z = Normal.InvCDF(0, 1, 0.975) + Normal.InvCDF(0, 1, 0.8);
        var total = z * z * sigma * sigma * (1 / 0.8 + 1 / 0.2) / (200.0 * 200.0);
        Assert.Multiple(() =>
        {
            Assert.That(design!.Customers, Is.EqualTo(50));
            Assert.That(design.StandardDeviation, Is.EqualTo(sigma).Within(0.01));
            Assert.That(design.Treated, Is.EqualTo((long)Math.Ceiling(0.8 * total)));
            Assert.That(design.Control, Is.EqualTo((long)Math.Ceiling(0.2 * total)));
            Assert.That(design.Total, Is.EqualTo(design.Treated + design.Control));
            Assert.That(Planning.Power(200, sigma, (int)design.Treated, (int)design.Control), Is.GreaterThanOrEqualTo(0.8));
        });

        // A planned audience of 400 with a 20 % holdout: 320 treated, 80 held out, short of the power hoped for.
        var planned = (await lead.GetFromJsonAsync<PowerDesign>($"/api/uplift/power?branch={branch}&effect=200&holdoutFraction=0.2&audience=400"))!.Planned;
        Assert.Multiple(() =>
        {
            Assert.That(planned, Is.Not.Null);
            Assert.That((planned!.Treated, planned.Control), Is.EqualTo((320, 80)));
            Assert.That(planned.Power, Is.EqualTo(Planning.Power(200, sigma, 320, 80)).Within(1e-4));
            Assert.That(planned.Power, Is.LessThan(0.8));
            Assert.That(planned.MinimumDetectableEffect, Is.EqualTo(z * sigma * Math.Sqrt(1 / 320.0 + 1 / 80.0)).Within(0.01));
            Assert.That(planned.Detectable, Is.False, "400 customers are fewer than the design needs");
        });
        var enough = (await lead.GetFromJsonAsync<PowerDesign>($"/api/uplift/power?branch={branch}&effect=200&holdoutFraction=0.2&audience={design!.Total + 5}"))!.Planned;
        Assert.That(enough!.Detectable, Is.True, "an audience above the required total reaches the power");
        using var tooSmall = await lead.GetAsync($"/api/uplift/power?branch={branch}&effect=200&audience=1");
        Assert.That((await tooSmall.Content.ReadFromJsonAsync<ValidationProblemDetails>())!.Errors.Keys, Has.Some.EqualTo("audience"));

        using var noEffect = await lead.GetAsync($"/api/uplift/power?branch={branch}&holdoutFraction=0.2");
        Assert.That(noEffect.StatusCode, Is.EqualTo(HttpStatusCode.BadRequest));
        Assert.That((await noEffect.Content.ReadFromJsonAsync<ValidationProblemDetails>())!.Errors.Keys, Has.Some.EqualTo("effect"));
        using var badFraction = await lead.GetAsync($"/api/uplift/power?branch={branch}&effect=200&holdoutFraction=1");
        Assert.That((await badFraction.Content.ReadFromJsonAsync<ValidationProblemDetails>())!.Errors.Keys, Has.Some.EqualTo("holdoutFraction"));
        using var stranger = TestSystem.Insights.ClientFor(Tokens.BranchLead(TestServers.UniqueBranch("P")));
        using var forbidden = await stranger.GetAsync($"/api/uplift/power?branch={branch}&effect=200");
        Assert.That(forbidden.StatusCode, Is.EqualTo(HttpStatusCode.Forbidden));
        using var office = TestSystem.Insights.ClientFor(Tokens.HeadOffice);
        using var empty = await office.GetAsync($"/api/uplift/power?branch={TestServers.UniqueBranch("P")}&effect=200");
        Assert.That(empty.StatusCode, Is.EqualTo(HttpStatusCode.NotFound), "a branch without balances has no σ to plan from");
    }
}
