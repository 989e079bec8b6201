using BankClientele.FootTraffic.Lobby;
using static BankClientele.FootTraffic.Lobby.LobbyAttribution;

namespace BankClientele.FootTraffic.Tests.Visits;

public sealed class AttributionTests
{
    private static readonly DateTimeOffset T0 = new(2026, 11, 1, 10, 0, 0, TimeSpan.Zero);
    private static readonly Guid EventA = Guid.NewGuid();
    private static readonly Guid EventB = Guid.NewGuid();
    private static readonly Guid Customer = Guid.NewGuid();

    [Test]
    public void A_bundle_naming_its_event_goes_to_that_event() =>
        Assert.That(ForBundle(EventB, Customer, T0, [new Attended(EventA, Customer, T0.AddDays(-1))], TimeSpan.FromDays(30)), Is.EqualTo(EventB));

    [Test]
    public void A_bundle_goes_to_the_last_event_attended_within_the_window()
    {
        var attended = new[] { new Attended(EventA, Customer, T0.AddDays(-20)), new Attended(EventB, Customer, T0.AddDays(-5)), new Attended(EventA, Guid.NewGuid(), T0.AddDays(-1)) };
        Assert.Multiple(() =>
        {
            Assert.That(ForBundle(null, Customer, T0, attended, TimeSpan.FromDays(30)), Is.EqualTo(EventB));
            Assert.That(ForBundle(null, Customer, T0, attended, TimeSpan.FromDays(3)), Is.Null, "outside the window");
            Assert.That(ForBundle(null, Customer, T0.AddDays(-6), attended, TimeSpan.FromDays(30)), Is.EqualTo(EventA), "an attendance after the sale does not count");
        });
    }

    [Test]
    public void A_conversion_goes_to_the_walk_in_with_the_same_phone_and_its_event()
    {
        var prospect = Guid.NewGuid();
        var walkIn = Guid.NewGuid();
        var walkIns = new[] { new CapturedWalkIn(walkIn, "hash-1", EventA, T0.AddDays(-3)), new CapturedWalkIn(Guid.NewGuid(), "hash-2", EventB, T0.AddDays(-2)) };
        var invited = new[] { new InvitedProspect(EventB, prospect, T0.AddDays(-10)) };
        Assert.Multiple(() =>
        {
            Assert.That(ForConversion(prospect, "hash-1", T0, walkIns, invited), Is.EqualTo(((Guid?)walkIn, (Guid?)EventA)));
            Assert.That(ForConversion(prospect, "hash-9", T0, walkIns, invited), Is.EqualTo(((Guid?)null, (Guid?)EventB)), "else the event that invited the prospect");
            Assert.That(ForConversion(Guid.NewGuid(), null, T0, walkIns, invited), Is.EqualTo(((Guid?)null, (Guid?)null)));
            Assert.That(ForConversion(prospect, "hash-1", T0.AddDays(-4), walkIns, []), Is.EqualTo(((Guid?)null, (Guid?)null)), "a walk-in captured after the conversion gets no credit");
        });
    }

    [Test]
    public void A_conversion_goes_to_the_event_the_walk_in_or_prospect_attended_and_the_answer_does_not_depend_on_the_order_of_facts()
    {
        var prospect = Guid.NewGuid();
        var walkIn = Guid.NewGuid();
        var captured = new CapturedWalkIn(walkIn, "hash-1", null, T0.AddDays(-3));
        var attendedByWalkIn = new AttendedAsProspect(EventA, null, walkIn, T0.AddDays(-3));
        var attendedByProspect = new AttendedAsProspect(EventB, prospect, null, T0.AddDays(-1));
        var invited = new InvitedProspect(EventB, prospect, T0.AddDays(-10));
        Assert.Multiple(() =>
        {
            Assert.That(ForConversion(prospect, "hash-1", T0, [captured], [invited], [attendedByProspect, attendedByWalkIn]), Is.EqualTo(((Guid?)walkIn, (Guid?)EventA)),
                "a walk-in without an event of its own: the event it attended");
            Assert.That(ForConversion(prospect, "hash-9", T0, [captured], [], [attendedByWalkIn, attendedByProspect]), Is.EqualTo(((Guid?)null, (Guid?)EventB)),
                "no walk-in: the event the prospect attended");
            Assert.That(ForConversion(prospect, "hash-9", T0.AddDays(-2), [], [invited], [attendedByProspect]), Is.EqualTo(((Guid?)null, (Guid?)EventB)),
                "an attendance after the conversion does not count: the invitation does");
            // Facts listed in any order give one answer.
            var walkIns = new[] { captured, new CapturedWalkIn(Guid.NewGuid(), "hash-1", EventB, T0.AddDays(-3)) };
            Assert.That(ForConversion(prospect, "hash-1", T0, walkIns, []), Is.EqualTo(ForConversion(prospect, "hash-1", T0, walkIns.Reverse(), [])));
        });
    }

    [Test]
    public void Results_give_conversion_rate_per_attendee_and_cost_per_conversion()
    {
        var r = LobbyEndpoints.Results(invited: 40, attended: 20, leads: 3, accounts: 2, products: 3, deposits: 150_000m, budget: 5_000m);
        Assert.That(r.ConversionRate, Is.EqualTo(0.25));
        Assert.That(r.CostPerConversion, Is.EqualTo(1_000m));
        Assert.That(LobbyEndpoints.Results(10, 0, 0, 0, 0, 0, 100m).CostPerConversion, Is.Null);
    }
}
