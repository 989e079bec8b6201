using System.Net;
using System.Net.Http.Json;
using BankClientele.CustomerCare.Book;
using BankClientele.CustomerCare.Calendar;
using BankClientele.CustomerCare.Revisits;
using static BankClientele.CustomerCare.Tests.Revisits.RevisitData;

namespace BankClientele.CustomerCare.Tests.Revisits;

public sealed class CalendarFeedTests
{
    [Test]
    public async Task The_feed_parses_back_with_the_managers_revisits_and_stops_when_rotated_or_revoked()
    {
        var branch = TestServers.UniqueBranch();
        var manager = $"{branch}-RM1";
        Guid overdue, upcoming, othersRevisit;
        await using (var db = TestSystem.CustomerCare.NewDbContext())
        {
            var a = await CustomerAsync(db, branch, manager, CustomerTiers.PrivateBanking, name: "孙悟空");
            var b = await CustomerAsync(db, branch, manager, CustomerTiers.Wealth);
            var c = await CustomerAsync(db, branch, $"{branch}-RM2", CustomerTiers.Wealth);
            overdue = await OpenRevisitAsync(db, a, branch, manager, RevisitReasons.FlightRisk, Today.AddDays(-2));
            upcoming = await OpenRevisitAsync(db, b, branch, manager, RevisitReasons.Scheduled, Today.AddDays(4));
            othersRevisit = await OpenRevisitAsync(db, c, branch, $"{branch}-RM2", RevisitReasons.Scheduled, Today.AddDays(1));
        }
        using var rm = TestSystem.CustomerCare.ClientFor(Tokens.RelationshipManager(manager, branch));
        var created = await (await rm.PostAsync("/api/calendar-links", null)).EnsureSuccessStatusCode().Content.ReadFromJsonAsync<CalendarLinkCreated>();

        using var calendarApp = TestSystem.CustomerCare.CreateClient(); // anonymous, as a calendar app is
        var feed = await calendarApp.GetAsync(created!.Path);
        Assert.That(feed.StatusCode, Is.EqualTo(HttpStatusCode.OK));
        Assert.That(feed.Content.Headers.ContentType?.MediaType, Is.EqualTo("text/calendar"));
        var calendar = Ical.Net.Calendar.Load(await feed.Content.ReadAsStringAsync())!;
        var events = calendar.Events.ToDictionary(e => e.Uid!);
        Assert.Multiple(() =>
        {
            Assert.That(events.Keys, Is.EquivalentTo(new[] { $"{overdue}@bankclientele", $"{upcoming}@bankclientele" }), $"not {othersRevisit}");
            var late = events[$"{overdue}@bankclientele"];
            Assert.That(late.DtStart!.Date, Is.EqualTo(Today), "an overdue visit shows on today");
            Assert.That(late.Summary, Does.Contain("孙**").And.Contain("flight-risk").And.Not.Contain("孙悟空"));
            Assert.That(events[$"{upcoming}@bankclientele"].DtStart!.Date, Is.EqualTo(Today.AddDays(4)));
        });

        var rotated = await (await rm.PostAsync("/api/calendar-links", null)).EnsureSuccessStatusCode().Content.ReadFromJsonAsync<CalendarLinkCreated>();
        Assert.That((await calendarApp.GetAsync(created.Path)).StatusCode, Is.EqualTo(HttpStatusCode.NotFound), "the old link after rotation");
        Assert.That((await calendarApp.GetAsync(rotated!.Path)).StatusCode, Is.EqualTo(HttpStatusCode.OK));

        Assert.That((await rm.DeleteAsync("/api/calendar-links")).StatusCode, Is.EqualTo(HttpStatusCode.NoContent));
        Assert.That((await calendarApp.GetAsync(rotated.Path)).StatusCode, Is.EqualTo(HttpStatusCode.NotFound), "revoked");
    }

    [Test]
    public async Task An_unknown_token_is_not_found()
    {
        using var calendarApp = TestSystem.CustomerCare.CreateClient();
        Assert.That((await calendarApp.GetAsync($"/calendar/{CalendarLink.NewToken()}.ics")).StatusCode, Is.EqualTo(HttpStatusCode.NotFound));
        Assert.That((await calendarApp.GetAsync("/calendar/x.ics")).StatusCode, Is.EqualTo(HttpStatusCode.NotFound));
    }
}
