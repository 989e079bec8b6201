using BankClientele.Contracts.CustomerCare;
using MassTransit;
using Microsoft.EntityFrameworkCore;

namespace BankClientele.Portal.Tests.Operations;

/// <summary>The system page's bus section in Chromium: queues with their consumers and error counts, the outboxes, exports.</summary>
public sealed class BusStatusPageTests : PortalPageTest
{
    [Test]
    public async Task An_administrator_sees_each_queue_with_its_consumers_and_each_services_outbox_and_exports_them()
    {
        await SignInAsync(PortalSystem.Administrator);
        await Page.GotoAsync("/system");

        var queues = Page.GetByTestId("bus-queues");
        await Expect(queues.GetByTestId("queue-insights-visit-count")).ToBeVisibleAsync();
        var row = queues.Locator("tr", new() { Has = Page.GetByTestId("queue-insights-visit-count") });
        // Insights' host consumes its visits queue: one consumer, nothing in its error queue.
        await Expect(row.Locator("td").Nth(3)).ToHaveTextAsync("1");
        await Expect(row.GetByTestId("errors-insights-visit-count")).ToHaveTextAsync("0");
        // Far below its alarm length (the default): no alarm raised for it.
        await Expect(row.Locator("td").Nth(5)).ToHaveTextAsync("100000");
        await Expect(Page.GetByTestId("queue-alarm-insights-visit-count")).ToHaveCountAsync(0);
        await Expect(queues.GetByTestId("queue-customer-care-prospect-converted")).ToBeVisibleAsync();
        foreach (var service in new[] { "CustomerCare", "Acquisition", "FootTraffic", "Insights" })
        {
            await Expect(Page.GetByTestId($"unsent-{service}")).ToHaveTextAsync("0");
        }
        await Expect(Page.Locator("[data-testid^=bus-problem-]")).ToHaveCountAsync(0);

        var csv = await Page.RunAndWaitForDownloadAsync(() => Page.GetByTestId("export-bus-queues-csv").ClickAsync());
        var text = await File.ReadAllTextAsync((await csv.PathAsync())!);
        Assert.That(text, Does.Contain("服务,队列,积压消息,消费者,错误队列,告警长度"));
        Assert.That(text, Does.Contain("Insights,insights-visit-count,0,1,0,100000"));
        var outboxes = await Page.RunAndWaitForDownloadAsync(() => Page.GetByTestId("export-bus-outboxes-xlsx").ClickAsync());
        var rows = MiniExcelLibs.MiniExcel.Query((await outboxes.PathAsync())!, useHeaderRow: true, excelType: MiniExcelLibs.ExcelType.XLSX).Cast<IDictionary<string, object>>().ToList();
        Assert.That(rows.Select(r => r["服务"]), Is.EquivalentTo(new[] { "CustomerCare", "Acquisition", "FootTraffic", "Insights" }));
    }

    [Test]
    public async Task An_outbox_row_that_cannot_be_published_shows_as_unsent_and_failing_with_its_error()
    {
        // A row naming no contract: the relay tries, fails, and leaves it unsent with its error.
        var id = Guid.CreateVersion7();
        await using var db = PortalSystem.Services.FootTraffic.NewDbContext();
        await db.Database.ExecuteSqlAsync($"""
            INSERT INTO outbox_messages (id, message_type, body, created_at, attempts)
            VALUES ({id}, 'BankClientele.Contracts.FootTraffic.NoSuchEvent', '"none"'::jsonb, {DateTimeOffset.UtcNow.AddMinutes(-5)}, 0)
            """);
        try
        {
            await Poll.UntilAsync(() => db.OutboxMessages.AsNoTracking().Where(m => m.Id == id).Select(m => m.Attempts).SingleAsync(), a => a > 0,
                "the relay to try the row");
            await SignInAsync(PortalSystem.Administrator);
            await Page.GotoAsync("/system");
            await Expect(Page.GetByTestId("unsent-FootTraffic")).ToHaveTextAsync("1");
            var row = Page.GetByTestId("bus-outboxes").Locator("tr", new() { Has = Page.GetByTestId("unsent-FootTraffic") });
            await Expect(row).ToContainTextAsync("NoSuchEvent");
            var age = double.Parse((await row.Locator("td").Nth(2).InnerTextAsync()).Trim(), global::System.Globalization.CultureInfo.InvariantCulture);
            Assert.That(age, Is.GreaterThanOrEqualTo(300), "the oldest unsent row is five minutes old");
            await Expect(Page.GetByTestId("unsent-Insights")).ToHaveTextAsync("0");
        }
        finally
        {
            await db.Database.ExecuteSqlAsync($"DELETE FROM outbox_messages WHERE id = {id}");
        }
    }

    [Test]
    public async Task A_message_that_failed_every_retry_raises_an_alarm_naming_its_error_queue_and_count()
    {
        // Columns of different lengths: Acquisition refuses it at every try and MassTransit moves it to the _error queue.
        const string queue = "acquisition-converted-customer-deposits";
        await ErrorQueues.TakeAsync(queue + "_error"); // what earlier runs left
        var messageId = Guid.NewGuid();
        await PortalSystem.Services.Acquisition.Get<IBus>().Publish(new ConvertedCustomerDeposits([Guid.NewGuid()], [], []),
            (PublishContext<ConvertedCustomerDeposits> c) => c.MessageId = messageId);
        try
        {
            await Poll.UntilAsync(() => ErrorQueues.CountAsync(queue + "_error"), n => n == 1, "the refused message in the _error queue");
            await SignInAsync(PortalSystem.Administrator);
            await Page.GotoAsync("/system");
            await Expect(Page.GetByTestId($"error-alarm-{queue}")).ToHaveTextAsync(
                $"错误队列 {queue}_error 中有 1 条消息在全部重试后仍然失败，正在等待处理：查明原因后可将其移回重试。");
            await Expect(Page.GetByTestId($"errors-{queue}")).ToHaveTextAsync("1");
            // One alarm for this queue (another test project's _error queue on the shared broker may raise its own).
            await Expect(Page.Locator($"[data-testid=error-alarm-{queue}]")).ToHaveCountAsync(1);
        }
        finally
        {
            Assert.That((await ErrorQueues.TakeAsync(queue + "_error")).Keys, Does.Contain(messageId), "the alarm's message was the refused one");
        }
    }

    [Test]
    public async Task A_head_office_user_is_refused_the_system_page()
    {
        await SignInAsync(PortalSystem.HeadOffice);
        await Page.GotoAsync("/system");
        await Expect(Page.GetByTestId("bus-queues")).ToHaveCountAsync(0);
    }
}
