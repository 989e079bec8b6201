using System.Net;
using System.Text;
using BankClientele.Cli.Import;
using BankClientele.Cli.Infrastructure;

namespace BankClientele.Cli.Tests;

public sealed class FeedUploaderTests
{
    [Test]
    public async Task The_file_is_streamed_as_csv_and_the_outcome_read_back()
    {
        var handler = new StubHandler(_ => StubHandler.Json(HttpStatusCode.OK,
            """{"feed":"customers","rows":2,"inserted":1,"updated":1,"unchanged":0,"events":1,"seconds":0.2}"""));
        using var uploader = new FeedUploader(new Uri("http://care.test"), "token", handler);
        long sent = 0;
        var csv = "customer_number,full_name,phone,branch_code\n1,张三,13812345678,SH001\n";
        var result = await uploader.UploadAsync("customers", new MemoryStream(Encoding.UTF8.GetBytes(csv)), new SyncProgress(n => sent = n), CancellationToken.None);
        Assert.Multiple(() =>
        {
            Assert.That(result.Inserted, Is.EqualTo(1));
            Assert.That(result.Events, Is.EqualTo(1));
            Assert.That(handler.Requests.Single().Path, Is.EqualTo("/api/feed/customers"));
            Assert.That(handler.Requests.Single().Body, Is.EqualTo(csv));
            Assert.That(handler.Requests.Single().Authorization, Is.EqualTo("Bearer token"));
            Assert.That(sent, Is.EqualTo(Encoding.UTF8.GetByteCount(csv)));
        });
    }

    [Test]
    public void Bad_rows_come_back_by_line_and_field()
    {
        var handler = new StubHandler(_ => StubHandler.Json(HttpStatusCode.BadRequest,
            """{"title":"The customers file was refused: nothing was applied","detail":"1 bad row(s).","errors":{"line 3: phone":["Not a phone number: at least 7 digits."]},"badRows":1}""",
            "application/problem+json"));
        using var uploader = new FeedUploader(new Uri("http://care.test"), "token", handler);
        var failure = Assert.ThrowsAsync<ServiceCallException>(() => uploader.UploadAsync("customers", new MemoryStream([1]), null, CancellationToken.None));
        Assert.That(failure!.Message, Does.Contain("line 3: phone: Not a phone number"));
        Assert.That(failure.Message, Does.Contain("nothing was applied"));
    }

    private sealed class SyncProgress(Action<long> report) : IProgress<long>
    {
        public void Report(long value) => report(value);
    }
}
