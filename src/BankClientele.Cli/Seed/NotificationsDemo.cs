using BankClientele.Cli.Infrastructure;
using BankClientele.CustomerCare.Book;
using BankClientele.FootTraffic.Visits;
using BankClientele.Hosting.Auth;
using BankClientele.Hosting.Time;

namespace BankClientele.Cli.Seed;

/// <summary>
/// Something in every demo manager's bell: the revisit pass has already put its reminders (and the
/// leads' notices) in their inboxes; here each manager's largest high-value customer checks in at
/// the door this morning, through FootTraffic's ticket API as the branch lead, so the VIP arrival
/// travels the bus to the manager's inbox as a real one would.
/// </summary>
public static class NotificationsDemo
{
    private static readonly string[] HighValue = [CustomerTiers.PrivateBanking, CustomerTiers.HighNetWorth];

    public static async Task<int> RunAsync(CliContext context, ServiceClient customerCare, ServiceClient footTraffic, CancellationToken ct)
    {
        var arrivals = 0;
        var managers = DemoNetwork.RelationshipManagers.Select((manager, index) => (manager, index));
        await Parallel.ForEachAsync(managers, new ParallelOptions { MaxDegreeOfParallelism = 8, CancellationToken = ct }, async (m, ct) =>
        {
            var book = await customerCare.GetAsync<List<CustomerView>>(
                $"/api/customers?relationshipManagerId={m.manager.StaffId}&sort=aum&pageSize=20", ct);
            if (book.FirstOrDefault(c => HighValue.Contains(c.Tier) && c.CustomerNumber is not null) is not { } vip)
            {
                return; // no high-value customer in this book: their bell holds reminders only
            }
            var lead = new StaffIdentity($"BL-{m.manager.BranchCode}", $"{m.manager.BranchCode} 网点负责人", StaffRoles.BranchLead, m.manager.BranchCode);
            using var door = new ServiceClient(footTraffic.Service, footTraffic.BaseAddress,
                context.Settings.TokenIssuer().Issue(lead, footTraffic.Service.Audience));
            var issuedAt = ArrivedAt(DateTimeOffset.UtcNow, m.index);
            await door.SendAsync(HttpMethod.Post, "/api/queue/tickets",
                new IssueTicket(m.manager.BranchCode, $"VIP{m.index + 1:000}", "理财咨询", issuedAt, vip.CustomerNumber, null), ct);
            Interlocked.Increment(ref arrivals);
        });
        context.Note($"Notifications: {arrivals} VIP arrivals at the door today, each in its manager's bell (with the revisit reminders).");
        return arrivals;
    }

    /// <summary>
    /// Ten minutes to an hour before <paramref name="now"/>, so the inbox shows a spread of times; seeded after the
    /// branches close (or on a day they are shut), the last hour before closing instead: a VIP does not walk in at 21:10.
    /// </summary>
    public static DateTimeOffset ArrivedAt(DateTimeOffset now, int index)
    {
        var minutesBefore = 10 + 7 * (index % 8);
        var closes = BranchClock.At(BranchClock.DayOf(now), DemoNetwork.Closes);
        return (now < closes ? now : closes).AddMinutes(-minutesBefore);
    }
}
