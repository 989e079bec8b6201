using System.Globalization;
using BankClientele.Cli.Infrastructure;
using BankClientele.CustomerCare.Book;
using BankClientele.CustomerCare.Calendar;
using BankClientele.CustomerCare.Revisits;
using BankClientele.Hosting.Auth;
using BankClientele.Hosting.Time;
using Bogus;

namespace BankClientele.Cli.Seed;

/// <summary>
/// Demo revisits, through the API (after the feed and the assignment): the nightly pass as of ten
/// days ago, most of those visits logged (backdated, with channels and outcomes; some late), the
/// rest left overdue; then tonight's pass, which escalates the missed ones and schedules what is
/// due. And rm.li's calendar link.
/// </summary>
public static class RevisitsDemo
{
    // What a manager types after a visit, in the branch's language.
    private static readonly string[] Outcomes = ["已面谈，暂无变化", "定期存款到期续存", "购买理财产品", "约定回电", "他行资金转入", "未联系上"];
    private static readonly string[] Channels = ["branch", "customer-site", "phone", "wechat", "online"];

    private const string RmLi = "RM-SH001-01";

    /// <summary>The next steps rm.li agreed for today on two earlier visits.</summary>
    private static readonly string[] TodaysFollowUps = ["电话确认定期存款到期续存意向", "送达大额存单产品说明书"];

    public static async Task<int> RunAsync(CliContext context, ServiceClient customerCare, CancellationToken ct)
    {
        var today = BranchClock.System.Today;
        var past = await customerCare.SendAsync<RevisitRunResult>(HttpMethod.Post, $"/api/revisits/run?asOf={today.AddDays(-10):yyyy-MM-dd}", new { }, ct);

        // Managers side by side (eight at a time), each with its own draws: the same visits whatever the interleaving.
        var logged = 0;
        var managers = DemoNetwork.RelationshipManagers.Select((manager, index) => (manager, index));
        await Parallel.ForEachAsync(managers, new ParallelOptions { MaxDegreeOfParallelism = 8, CancellationToken = ct }, async (m, ct) =>
        {
            var random = new Randomizer((DemoNetwork.RandomSeed ^ 0x5e5e) + m.index);
            var open = await customerCare.GetAsync<List<RevisitView>>($"/api/revisits?status=Open&staffId={m.manager.StaffId}", ct);
            // About seven in ten logged (a dozen at most per manager), the rest left to go overdue.
            var visits = 0;
            foreach (var revisit in open.OrderBy(r => r.DueOn).ThenBy(r => r.Id).Where(_ => random.Bool(0.7f)).Take(12))
            {
                var late = random.Bool(0.2f);
                var on = late ? revisit.DueOn.AddDays(random.Int(1, 3)) : revisit.DueOn.AddDays(-random.Int(0, 2));
                on = on > today ? today : on;
                // rm.li, the demo's manager, agreed a follow-up for today on her first two: her My Day has today's work.
                var followUp = m.manager.StaffId == RmLi && visits < TodaysFollowUps.Length && on < today ? TodaysFollowUps[visits] : null;
                await customerCare.SendAsync(HttpMethod.Post, $"/api/revisits/{revisit.Id}/completion",
                    new CompleteRevisit(random.ArrayElement(Channels), random.ArrayElement(Outcomes), "演示数据", followUp is null ? null : today, on, followUp), ct);
                visits++;
                Interlocked.Increment(ref logged);
            }
        });

        var tonight = await customerCare.SendAsync<RevisitRunResult>(HttpMethod.Post, "/api/revisits/run", new { }, ct);

        // rm.li subscribes to her agenda (the link is printed once: the service keeps only its hash).
        var rmLi = DemoNetwork.SignIns.First(s => s.StaffId == RmLi);
        var token = context.Settings.TokenIssuer().Issue(new StaffIdentity(rmLi.StaffId, rmLi.DisplayName, rmLi.Role, rmLi.BranchCode), customerCare.Service.Audience);
        using var asRmLi = new ServiceClient(customerCare.Service, customerCare.BaseAddress, token);
        var link = await asRmLi.SendAsync<CalendarLinkCreated>(HttpMethod.Post, "/api/calendar-links", new { }, ct);

        // Two of her customers dropped in unannounced: logged as unscheduled visits, each with a next step
        // whose follow-up shows on her My Day this week.
        var dropIns = await asRmLi.GetAsync<List<CustomerView>>("/api/customers?sort=aum&pageSize=2", ct);
        foreach (var (customer, i) in dropIns.Select((c, i) => (c, i)))
        {
            await asRmLi.SendAsync(HttpMethod.Post, "/api/revisits", new LogVisit(customer.Id, i == 0 ? "branch" : "wechat",
                i == 0 ? "来行咨询大额存单" : "微信询问养老理财", "演示数据：客户临时到访", today.AddDays(2 + 3 * i),
                i == 0 ? "带大额存单利率表回访" : "发送养老理财产品说明书"), ct);
        }

        context.Note(string.Create(CultureInfo.InvariantCulture,
            $"Revisits: {past.Created} created as of {past.AsOf:yyyy-MM-dd}, {logged} visits logged, tonight {tonight.Created} created, " +
            $"{tonight.Reminders} reminders, {tonight.ReturnedToPool} back to the pool, {dropIns.Count} drop-ins logged; rm.li's calendar: {customerCare.BaseAddress}{link.Path.TrimStart('/')}"));
        return logged;
    }
}
