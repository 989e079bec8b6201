using System.Net;
using System.Text.RegularExpressions;
using BankClientele.CustomerCare.Book;
using BankClientele.CustomerCare.Revisits;
using BankClientele.Hosting.Auth;
using BankClientele.Portal.Exports;
using BankClientele.Testing;
using Microsoft.EntityFrameworkCore;

namespace BankClientele.Hosting.Tests.Privacy;

/// <summary>
/// A customer's account, phone and ID numbers in a revisit's free text (the maturity detail the
/// nightly pass writes, and rows written before the rule) reach no API answer of any role, no
/// calendar feed and no export.
/// </summary>
public sealed partial class FreeTextLeakTests
{
    // Card and account numbers, resident ID numbers, mainland mobiles (digits not touching other digits).
    [GeneratedRegex(@"\d{16,19}|(?<!\d)\d{17}[\dXx](?!\d)|(?<!\d)1[3-9]\d{9}(?!\d)")]
    private static partial Regex Leak();

    private const string Account = "6222021000000008653";
    private const string Phone = "13912348765";
    private const string IdNumber = "11010519491231002X";

    [Test]
    public async Task No_served_revisit_calendar_or_export_holds_a_full_number()
    {
        var branch = TestServers.UniqueBranch();
        var manager = $"RM-{branch}";
        var today = DateOnly.FromDateTime(DateTime.UtcNow);
        var customer = Guid.NewGuid();
        await using (var db = TestSystem.CustomerCare.NewDbContext())
        {
            // As the core-banking feed writes them: a customer, a time deposit maturing in ten days.
            db.Customers.Add(new Customer
            {
                Id = customer, FullName = "王小明", Phone = Phone, BranchCode = branch, AccountNumber = Account,
                RelationshipManagerId = manager, Tier = "Wealth", JoinedAt = DateTimeOffset.UtcNow.AddYears(-1),
            });
            db.Holdings.Add(new Holding { AccountNumber = Account, CustomerId = customer, ProductCode = "TD-1Y", OpenedOn = today.AddYears(-1), MaturesOn = today.AddDays(10), Balance = 100_000m });
            // A row written before the rule: the whole numbers in its detail and notes.
            db.Revisits.Add(new Revisit
            {
                Id = Guid.NewGuid(), CustomerId = customer, BranchCode = branch, RelationshipManagerId = manager, Reason = RevisitReasons.Scheduled,
                DueOn = today.AddDays(2), CreatedAt = DateTimeOffset.UtcNow, Detail = $"TD-1Y {Account} matures, call {Phone}", Notes = $"ID {IdNumber}",
            });
            await db.SaveChangesAsync();
        }
        using (var admin = TestSystem.CustomerCare.ClientFor(Tokens.Administrator))
        {
            Assert.That((await admin.PostAsync("/api/revisits/run", null)).StatusCode, Is.EqualTo(HttpStatusCode.OK));
        }
        await using (var db = TestSystem.CustomerCare.NewDbContext())
        {
            var maturity = await db.Revisits.AsNoTracking().SingleAsync(r => r.CustomerId == customer && r.Reason == RevisitReasons.Maturity);
            Assert.That(maturity.Detail, Does.StartWith("TD-1Y 622202*********8653 matures "), "masked where the detail is composed");
        }

        var staff = new[] { Tokens.RelationshipManager(manager, branch), Tokens.BranchLead(branch), Tokens.HeadOffice, Tokens.Administrator };
        var answers = new List<(string What, string Text)>();
        foreach (var member in staff)
        {
            using var client = TestSystem.CustomerCare.ClientFor(member);
            foreach (var path in new[] { $"/api/agenda?staffId={manager}", $"/api/revisits?customerId={customer}", $"/api/revisits?staffId={manager}" })
            {
                var response = await client.GetAsync(path);
                Assert.That(response.StatusCode, Is.EqualTo(HttpStatusCode.OK), $"{member.Role} {path}");
                answers.Add(($"{member.Role} {path}", await response.Content.ReadAsStringAsync()));
            }
        }
        Assert.That(answers.Any(a => a.Text.Contains("622202*********8653", StringComparison.Ordinal)), "the revisits were served (masked)");

        var feed = await LeakScan.CalendarFeedAsync(staff[0]);
        Assert.That(feed, Does.Contain("8653"), "the calendar lists the revisits");
        answers.Add(("calendar feed", feed));

        // An export of the rows as they are stored (the portal writes what the service serves, and masks again).
        var table = new ExportTable("revisits", ["Detail", "Notes"], [[$"TD-1Y {Account}", $"ID {IdNumber} / {Phone}"]]);
        foreach (var format in new[] { "csv", "xlsx" })
        {
            var text = await LeakScan.ExportTextAsync(table, format);
            Assert.That(text, Does.Contain("622202*********8653"), $"the {format} export holds the masked number");
            answers.Add(($"{format} export", text));
        }

        var leaks = answers.Where(a => Leak().IsMatch(a.Text)).Select(a => $"{a.What}: {Leak().Match(a.Text).Value}").ToList();
        TestContext.Out.WriteLine($"Scanned: {string.Join("; ", answers.Select(a => a.What))}");
        Assert.That(leaks, Is.Empty);
    }
}
