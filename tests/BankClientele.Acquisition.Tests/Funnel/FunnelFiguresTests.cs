using System.Net;
using System.Net.Http.Json;
using BankClientele.Acquisition.Campaigns;
using BankClientele.Acquisition.Prospects;
using BankClientele.Contracts.CustomerCare;
using BankClientele.Hosting.Customers;
using BankClientele.Hosting.Privacy;
using Microsoft.AspNetCore.Mvc;

namespace BankClientele.Acquisition.Tests.Funnel;

/// <summary>
/// The funnel's figures on the real PostgreSQL (and the real broker for the feed): days to convert
/// from the first touch at or before the opening, never negative; conversions credited by first or
/// last touch when asked.
/// </summary>
public sealed class FunnelFiguresTests
{
    private static readonly PersonalDataHash Hash = TestServers.Hashes;

    private static string Phone() => $"136{Random.Shared.Next(10_000_000, 99_999_999)}";

    private static ProspectTouch Touch(Guid prospect, string branch, string channel, DateTimeOffset at, string? campaign = null) => new()
    {
        Id = Guid.CreateVersion7(), ProspectId = prospect, Channel = channel, BranchCode = branch, CampaignCode = campaign, At = at,
    };

    private static Prospect Converted(string branch, string channel, DateTimeOffset createdAt, DateTimeOffset openedAt, string? campaign, decimal deposit30) => new()
    {
        Id = Guid.CreateVersion7(), FullName = "孙八", Phone = Phone(), BranchCode = branch, Channel = channel, CampaignCode = campaign,
        Stage = LeadStage.AccountOpened, CreatedAt = createdAt, ContactedAt = createdAt, InterestedAt = createdAt, AppointmentAt = createdAt,
        ConvertedAt = openedAt, CustomerId = Guid.NewGuid(), CustomerNumber = ServiceSystem.NewCustomerNumber(), CreditedBranchCode = branch,
        DepositAfter30Days = deposit30,
    };

    private static async Task<List<ChannelFigures>> ChannelsAsync(HttpClient client, string? attribution) =>
        (await ServiceSystem.GetAsync<List<ChannelFigures>>(client, attribution is null ? "/api/channel-figures" : $"/api/channel-figures?attribution={attribution}"))!;

    [Test]
    public async Task Conversions_are_timed_from_the_first_touch_before_the_opening_and_credited_to_the_first_or_last_touch_when_asked()
    {
        var branch = TestServers.UniqueBranch();
        var (first, last) = ($"FIRST-{branch}", $"LAST-{branch}");
        var opened = DateTimeOffset.UtcNow.AddDays(-40);
        await using (var db = TestSystem.Acquisition.NewDbContext())
        {
            foreach (var code in new[] { first, last })
            {
                db.Campaigns.Add(new Campaign
                {
                    Id = Guid.CreateVersion7(), Code = code, Name = code, Kind = CampaignKinds.Targeted, BranchCode = branch,
                    Status = CampaignStatus.Running, StartsOn = DateOnly.FromDateTime(opened.UtcDateTime.AddDays(-30)), CreatedAt = opened,
                });
            }
            // Worked by staff 20 days before the opening, seen in the lobby 5 days before it, and touched online after it.
            var worked = Converted(branch, "staff", opened.AddDays(-20), opened, last, 30_000m);
            db.Prospects.Add(worked);
            db.ProspectTouches.AddRange(
                Touch(worked.Id, branch, "staff", opened.AddDays(-20), first),
                Touch(worked.Id, branch, "lobby", opened.AddDays(-5), last),
                Touch(worked.Id, branch, "online", opened.AddDays(3), $"AFTER-{branch}"));
            // Imported after the account had been opened: its only touch is after the opening.
            var late = Converted(branch, "import", opened.AddDays(2), opened, null, 10_000m);
            db.Prospects.Add(late);
            db.ProspectTouches.Add(Touch(late.Id, branch, "import", opened.AddDays(2)));
            await db.SaveChangesAsync();
        }
        using var lead = TestSystem.Acquisition.ClientFor(Tokens.BranchLead(branch));

        var byLead = await ChannelsAsync(lead, null);
        var byFirst = await ChannelsAsync(lead, "first");
        var byLast = await ChannelsAsync(lead, "last");
        Assert.Multiple(() =>
        {
            Assert.That(byLead.Single(c => c.Channel == "staff").AverageDaysToConvert, Is.EqualTo(20.0),
                "from the first touch at or before the opening; the touch after it does not count");
            Assert.That(byLead.Single(c => c.Channel == "import").AccountsOpened, Is.EqualTo(1));
            Assert.That(byLead.Single(c => c.Channel == "import").AverageDaysToConvert, Is.Null,
                "a conversion with no touch before its opening is not timed (it would be negative)");
            Assert.That(byLead.All(c => c.AverageDaysToConvert is null or >= 0), Is.True);
            Assert.That(byLead.Single(c => c.Channel == "staff").DepositsAfter30Days, Is.EqualTo(30_000m));

            Assert.That(byFirst.Single(c => c.Channel == "staff").AccountsOpened, Is.EqualTo(1), "first touch: staff");
            Assert.That(byFirst.Any(c => c.Channel == "lobby"), Is.False);
            Assert.That(byLast.Single(c => c.Channel == "lobby").AccountsOpened, Is.EqualTo(1), "last touch before the opening: lobby, not online");
            Assert.That(byLast.Single(c => c.Channel == "lobby").AverageDaysToConvert, Is.EqualTo(20.0));
            Assert.That(byLast.Single(c => c.Channel == "lobby").DepositsAfter30Days, Is.EqualTo(30_000m));
            Assert.That(byLast.Single(c => c.Channel == "staff").AccountsOpened, Is.Zero);
            Assert.That(byLast.Single(c => c.Channel == "staff").Leads, Is.EqualTo(1), "leads stay with the channel they arrived by");
            Assert.That(byLast.Any(c => c.Channel == "online"), Is.False, "a touch after the opening earns no credit");
            Assert.That(byLast.Single(c => c.Channel == "import").AccountsOpened, Is.EqualTo(1), "no touch before the opening: the lead's own channel");
        });

        var campaignsFirst = (await ServiceSystem.GetAsync<List<CampaignFigures>>(lead, "/api/campaigns?attribution=first"))!;
        var campaignsLast = (await ServiceSystem.GetAsync<List<CampaignFigures>>(lead, "/api/campaigns?attribution=last"))!;
        var campaignsLead = (await ServiceSystem.GetAsync<List<CampaignFigures>>(lead, "/api/campaigns"))!;
        Assert.Multiple(() =>
        {
            Assert.That(campaignsFirst.Single(c => c.Code == first).AccountsOpened, Is.EqualTo(1));
            Assert.That(campaignsFirst.Single(c => c.Code == last).AccountsOpened, Is.Zero);
            Assert.That(campaignsLast.Single(c => c.Code == last).AccountsOpened, Is.EqualTo(1));
            Assert.That(campaignsLast.Single(c => c.Code == first).AccountsOpened, Is.Zero);
            Assert.That(campaignsLead.Single(c => c.Code == last).AccountsOpened, Is.EqualTo(1), "the default is the lead's own campaign, as before");
            Assert.That(campaignsLast.Single(c => c.Code == last).AverageDaysToConvert, Is.EqualTo(20.0));
        });

        var bad = await lead.GetAsync("/api/channel-figures?attribution=middle");
        Assert.That(bad.StatusCode, Is.EqualTo(HttpStatusCode.BadRequest));
        Assert.That((await bad.Content.ReadFromJsonAsync<ValidationProblemDetails>())!.Errors.Keys, Has.Some.EqualTo("attribution"));
    }

    [Test]
    public async Task An_account_the_feed_reports_opened_before_the_lead_was_recorded_is_counted_but_never_timed_negative()
    {
        var branch = TestServers.UniqueBranch();
        var staff = Tokens.BranchLead(branch);
        using var lead = TestSystem.Acquisition.ClientFor(staff);
        var phone = Phone();
        var created = await lead.PostAsJsonAsync("/api/prospects", new RecordProspect("周九", phone, branch, null));
        Assert.That(created.StatusCode, Is.EqualTo(HttpStatusCode.Created), await created.Content.ReadAsStringAsync());
        var prospectId = (await created.Content.ReadFromJsonAsync<ProspectCreated>())!.Id;

        // The feed reports the account opened 60 days ago (the demo's "recent accounts"): every touch is after it.
        var number = ServiceSystem.NewCustomerNumber();
        var openedOn = BankClientele.Hosting.Time.BranchClock.System.Today.AddDays(-60);
        await TestSystem.Services.PublishAsync(new AccountOpenedV2(CustomerIds.FromCustomerNumber(number), number, Hash.AccountNumber("6222000077776666")!, "DEP-CUR", branch,
            openedOn, 5_000m, Hash.Phone(phone), null, true));
        var staffFigures = await Poll.UntilAsync(async () => (await ChannelsAsync(lead, null)).Single(c => c.Channel == "staff"),
            c => c.AccountsOpened == 1, "the feed's conversion to reach the figures");
        Assert.That(staffFigures.AverageDaysToConvert, Is.Null, "the lead's only touch came after the opening: not timed, not -60 days");
    }
}
