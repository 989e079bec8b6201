using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using BankClientele.Contracts.Acquisition;
using BankClientele.Contracts.CustomerCare;
using BankClientele.CustomerCare.Book;
using BankClientele.CustomerCare.Feed;
using BankClientele.CustomerCare.Tiers;
using BankClientele.Hosting.Customers;
using BankClientele.Hosting.Messaging;
using MassTransit;
using Microsoft.AspNetCore.Mvc;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;

namespace BankClientele.CustomerCare.Tests.Feed;

/// <summary>The core-banking feed against the real database and broker.</summary>
public sealed class FeedImportTests
{
    [Test]
    public async Task Customers_are_inserted_then_updated_and_a_resent_file_changes_nothing()
    {
        var files = new FeedFiles(TestServers.UniqueBranch());
        var first = await TestSystem.Services.ImportFeedAsync("customers", files.Customers(1, 2, 3));
        Assert.That(first, Is.EqualTo(first with { Feed = "customers", Rows = 3, Inserted = 3, Updated = 0, Unchanged = 0, Events = 3 }));
        Assert.That(await FeedFiles.OutboxCountAsync("CustomerRegistered", $"body->>'branchCode' = '{files.Branch}'"), Is.EqualTo(3));

        var again = await TestSystem.Services.ImportFeedAsync("customers", files.Customers(1, 2, 3));
        Assert.That(again, Is.EqualTo(again with { Rows = 3, Inserted = 0, Updated = 0, Unchanged = 3, Events = 0 }), "a duplicate file");

        var changed = FeedFiles.File(FeedFiles.CustomersHeader, [files.CustomerLine(1), files.CustomerLine(2, phone: "13700000000"), files.CustomerLine(3), files.CustomerLine(4)]);
        var third = await TestSystem.Services.ImportFeedAsync("customers", changed);
        Assert.That(third, Is.EqualTo(third with { Rows = 4, Inserted = 1, Updated = 1, Unchanged = 2, Events = 1 }));
        Assert.That(await FeedFiles.OutboxCountAsync("CustomerRegistered", $"body->>'branchCode' = '{files.Branch}'"), Is.EqualTo(4), "once per new customer");

        await using var db = TestSystem.CustomerCare.NewDbContext();
        var customer = db.Customers.Single(c => c.Id == files.Id(2));
        Assert.Multiple(() =>
        {
            Assert.That(customer.CustomerNumber, Is.EqualTo(files.Number(2)));
            Assert.That(customer.Phone, Is.EqualTo("13700000000"));
            Assert.That(customer.RiskLevel, Is.EqualTo(3));
            Assert.That(customer.Tags, Is.EqualTo(new[] { "vip", "薪资" }));
            Assert.That(customer.PhoneHash, Has.Length.EqualTo(64), "hashed for matching");
            Assert.That(customer.Tier, Is.EqualTo(CustomerTiers.Mass));
        });
    }

    [Test]
    public async Task A_file_with_bad_rows_is_refused_whole_naming_each_line_and_field()
    {
        var files = new FeedFiles(TestServers.UniqueBranch());
        var csv = FeedFiles.File(FeedFiles.CustomersHeader,
        [
            files.CustomerLine(1),
            files.CustomerLine(2, phone: "12"),                  // line 3: phone
            files.CustomerLine(3, risk: "C9"),                   // line 4: risk_level
            files.CustomerLine(4),
            files.CustomerLine(1).Replace("1980-05-0", "1980-13-0"), // line 6: birth_date, and a duplicate number
        ]);
        using var response = await TestSystem.Services.PostFeedAsync("customers", csv);
        Assert.That(response.StatusCode, Is.EqualTo(HttpStatusCode.BadRequest));
        Assert.That(response.Content.Headers.ContentType?.MediaType, Is.EqualTo("application/problem+json"));
        var problem = (await response.Content.ReadFromJsonAsync<ValidationProblemDetails>())!;
        Assert.Multiple(() =>
        {
            Assert.That(problem.Errors.Keys, Is.EquivalentTo(new[] { "line 3: phone", "line 4: risk_level", "line 6: birth_date" }));
            Assert.That(((JsonElement)problem.Extensions["badRows"]!).GetInt32(), Is.EqualTo(3));
            Assert.That(problem.Title, Does.Contain("nothing was applied"));
        });
        await using var db = TestSystem.CustomerCare.NewDbContext();
        Assert.That(db.Customers.Count(c => c.BranchCode == files.Branch), Is.Zero, "not even the good rows");

        // Set-based checks over the whole file: a customer number twice.
        var duplicate = FeedFiles.File(FeedFiles.CustomersHeader, [files.CustomerLine(1), files.CustomerLine(2), files.CustomerLine(1)]);
        using var second = await TestSystem.Services.PostFeedAsync("customers", duplicate);
        var duplicated = (await second.Content.ReadFromJsonAsync<ValidationProblemDetails>())!;
        Assert.That(duplicated.Errors["line 4: customer_number"], Has.Some.Contains("first on line 2"));
        Assert.That(db.Customers.Count(c => c.BranchCode == files.Branch), Is.Zero);
    }

    [Test]
    public async Task A_balance_twice_in_a_file_is_refused_by_line_whether_its_day_is_new_to_the_book_or_not()
    {
        var files = new FeedFiles(TestServers.UniqueBranch());
        await TestSystem.Services.ImportFeedAsync("customers", files.Customers(1, 2));
        // A day no test has balances for (the plain-insert path), then one the book already holds (the merge path).
        var newDay = new DateOnly(2001, 1, 1).AddDays(Random.Shared.Next(0, 3000));
        var knownDay = FeedFiles.Yesterday;
        await TestSystem.Services.ImportFeedAsync("balances", FeedFiles.Balances([(files.Number(2), knownDay, 10m, 0m)]));
        foreach (var day in new[] { newDay, knownDay })
        {
            using var response = await TestSystem.Services.PostFeedAsync("balances", FeedFiles.Balances(
            [
                (files.Number(1), day, 100m, 0m), (files.Number(2), day, 200m, 0m), (files.Number(1), day, 300m, 0m),
            ]));
            Assert.That(response.StatusCode, Is.EqualTo(HttpStatusCode.BadRequest), day.ToString());
            var problem = (await response.Content.ReadFromJsonAsync<ValidationProblemDetails>())!;
            Assert.That(problem.Errors.Keys, Is.EqualTo(new[] { "line 4: date" }), day.ToString());
            Assert.That(problem.Errors["line 4: date"], Has.Some.Contains("first on line 2"));
        }
        await using var db = TestSystem.CustomerCare.NewDbContext();
        var ids = new[] { CustomerIds.FromCustomerNumber(files.Number(1)), CustomerIds.FromCustomerNumber(files.Number(2)) };
        var balances = await db.DailyBalances.AsNoTracking().Where(b => ids.Contains(b.CustomerId)).ToListAsync();
        Assert.That(balances.Select(b => (b.Date, b.Deposit)), Is.EqualTo(new[] { (knownDay, 10m) }), "nothing of either file was applied");
    }

    [Test]
    public async Task A_missing_column_or_an_unknown_customer_is_refused()
    {
        var files = new FeedFiles(TestServers.UniqueBranch());
        using var noPhone = await TestSystem.Services.PostFeedAsync("customers", $"customer_number,full_name,branch_code\n{files.Number(1)},李四,{files.Branch}\n");
        var problem = (await noPhone.Content.ReadFromJsonAsync<ValidationProblemDetails>())!;
        Assert.That(problem.Errors.Keys, Is.EqualTo(new[] { "line 1: phone" }));

        using var unknown = await TestSystem.Services.PostFeedAsync("holdings",
            FeedFiles.File(FeedFiles.HoldingsHeader, [$"{files.Account(9, 1)},{files.Number(9)},DEMAND,2026-01-05,,100.00"]));
        var orphan = (await unknown.Content.ReadFromJsonAsync<ValidationProblemDetails>())!;
        Assert.That(orphan.Errors["line 2: customer_number"], Has.Some.Contains("No customer"));

        using var json = await PostJsonAsync("balances", "[{\"customerNumber\": 1");
        Assert.That(json.StatusCode, Is.EqualTo(HttpStatusCode.BadRequest));
        Assert.That((await json.Content.ReadFromJsonAsync<ValidationProblemDetails>())!.Errors.Keys, Is.EqualTo(new[] { "body" }));
    }

    [Test]
    public async Task Holdings_as_json_publish_AccountOpened_once_per_new_account()
    {
        var files = new FeedFiles(TestServers.UniqueBranch());
        await TestSystem.Services.ImportFeedAsync("customers", files.Customers(1, 2));
        object[] holdings =
        [
            new { accountNumber = files.Account(1, 1), customerNumber = files.Number(1), productCode = "DEMAND", openedOn = "2025-03-01", balance = 12_000.50m },
            new { accountNumber = files.Account(1, 2), customerNumber = files.Number(1), productCode = "TD-1Y", openedOn = "2025-06-01", maturesOn = "2026-06-01", balance = 50_000m },
            new { accountNumber = files.Account(2, 1), customerNumber = files.Number(2), productCode = "DEMAND", openedOn = "2024-01-01", balance = 3_000m },
        ];
        using var response = await PostJsonAsync("holdings", JsonSerializer.Serialize(holdings));
        Assert.That(response.StatusCode, Is.EqualTo(HttpStatusCode.OK), await response.Content.ReadAsStringAsync());
        var result = (await response.Content.ReadFromJsonAsync<FeedImportResult>())!;
        Assert.That(result, Is.EqualTo(result with { Rows = 3, Inserted = 3, Events = 3 }));

        using var again = await PostJsonAsync("holdings", JsonSerializer.Serialize(holdings));
        var resent = (await again.Content.ReadFromJsonAsync<FeedImportResult>())!;
        Assert.That(resent, Is.EqualTo(resent with { Inserted = 0, Updated = 0, Unchanged = 3, Events = 0 }));

        var where = $"body->>'branchCode' = '{files.Branch}'";
        Assert.That(await FeedFiles.OutboxCountAsync("AccountOpenedV2", where), Is.EqualTo(3));
        Assert.That(await FeedFiles.OutboxCountAsync("AccountOpenedV2", $"{where} AND (body->>'firstAccountOfCustomer')::boolean"), Is.EqualTo(2),
            "the earliest account of each customer who had none");
        Assert.That(await FeedFiles.OutboxCountAsync("AccountOpenedV2",
            $"{where} AND (body->>'firstAccountOfCustomer')::boolean AND body->>'accountNumberHash' = '{TestServers.Hashes.AccountNumber(files.Account(1, 1))}' AND body->>'phoneHash' IS NOT NULL"), Is.EqualTo(1));
        Assert.That(await FeedFiles.OutboxCountAsync("AccountOpenedV2", $"{where} AND body::text LIKE '%{files.Account(1, 1)}%'"), Is.Zero, "the account number itself is not in the event");

        // A new account of a customer who already holds one is not their first.
        using var third = await PostJsonAsync("holdings", JsonSerializer.Serialize(new object[]
        {
            new { accountNumber = files.Account(2, 2), customerNumber = files.Number(2), productCode = "WM-R2", openedOn = "2026-01-01", balance = 80_000m },
        }));
        Assert.That((await third.Content.ReadFromJsonAsync<FeedImportResult>())!.Events, Is.EqualTo(1));
        Assert.That(await FeedFiles.OutboxCountAsync("AccountOpenedV2", $"{where} AND (body->>'firstAccountOfCustomer')::boolean"), Is.EqualTo(2));

        await using var db = TestSystem.CustomerCare.NewDbContext();
        var customer = db.Customers.Single(c => c.Id == files.Id(1));
        Assert.That(customer.AccountNumber, Is.EqualTo(files.Account(1, 1)), "the first account becomes the customer's account");
    }

    [Test]
    public async Task Balances_publish_one_message_per_branch_and_day_in_chunks_and_move_tiers_once()
    {
        var files = new FeedFiles(TestServers.UniqueBranch());
        var count = BalanceFeed.ChunkSize + 5;
        var indexes = Enumerable.Range(1, count).ToArray();
        await TestSystem.Services.ImportFeedAsync("customers", files.Customers(indexes));
        var yesterday = FeedFiles.Yesterday;
        // Customer 1 holds 6.2 million on average (private banking), customer 2 60,000 (affluent), the rest 1,000.
        decimal Assets(int i) => i switch { 1 => 6_200_000m, 2 => 60_000m, _ => 1_000m };
        var rows = indexes.SelectMany(i => new[] { 0, 1 }.Select(d => (files.Number(i), yesterday.AddDays(-d), Assets(i) - 500m, 500m)));
        var result = await TestSystem.Services.ImportFeedAsync("balances", FeedFiles.Balances(rows));
        // 2 days x 2 chunks of DailyBalancesRecorded, and 2 tier changes.
        Assert.That(result, Is.EqualTo(result with { Rows = 2 * count, Inserted = 2 * count, Updated = 0, Events = 4 + 2 }));

        var where = $"body->>'branchCode' = '{files.Branch}'";
        Assert.That(await FeedFiles.OutboxCountAsync("DailyBalancesRecorded", $"{where} AND body->>'date' = '{yesterday:yyyy-MM-dd}'"), Is.EqualTo(2));
        Assert.That(await FeedFiles.OutboxCountAsync("DailyBalancesRecorded",
            $"{where} AND (body->>'chunkCount')::int = 2 AND json_array_length(body->'customerIds') = {BalanceFeed.ChunkSize}"
                + $" AND json_array_length(body->'deposits') = {BalanceFeed.ChunkSize} AND json_array_length(body->'wealth') = {BalanceFeed.ChunkSize}"), Is.EqualTo(2));
        Assert.That(await FeedFiles.OutboxCountAsync("CustomerTierChanged", $"{where} AND body->>'tier' = 'PrivateBanking' AND body->>'previousTier' = 'Mass'"), Is.EqualTo(1));
        Assert.That(await FeedFiles.OutboxCountAsync("CustomerTierChanged", $"{where} AND body->>'tier' = 'Affluent'"), Is.EqualTo(1));
        // The bodies read back as the contract, balances in customer-number order; the outbox ids (UUID v7) in (day, chunk) order.
        var bodies = await TestDatabases.ScalarAsync<string[]>(TestSystem.CustomerCare.Database,
            $"SELECT array_agg(body::text ORDER BY id) FROM outbox_messages WHERE message_type = 'BankClientele.Contracts.CustomerCare.DailyBalancesRecorded' AND {where}");
        var messages = bodies.Select(b => JsonSerializer.Deserialize<DailyBalancesRecorded>(b, ContractTypes.JsonOptions)!).ToList();
        Assert.That(messages.Select(m => (m.BranchCode, m.Date, m.Chunk, m.ChunkCount, m.CustomerIds.Length)), Is.EqualTo(new[]
        {
            (files.Branch, yesterday.AddDays(-1), 1, 2, BalanceFeed.ChunkSize), (files.Branch, yesterday.AddDays(-1), 2, 2, 5),
            (files.Branch, yesterday, 1, 2, BalanceFeed.ChunkSize), (files.Branch, yesterday, 2, 2, 5),
        }));
        Assert.That(messages.All(m => m.IsWellFormed()));
        var firstChunk = messages[2].Balances().ToList();
        var numberOf = indexes.ToDictionary(files.Id, files.Number);
        Assert.That(firstChunk.Select(b => numberOf[b.CustomerId]), Is.Ordered.Using((IComparer<string>)StringComparer.Ordinal));
        Assert.That(firstChunk[0], Is.EqualTo(new CustomerBalance(files.Id(1), 6_199_500m, 500m)));
        Assert.That(messages.Where(m => m.Date == yesterday).SelectMany(m => m.Balances()).Single(b => b.CustomerId == files.Id(3)),
            Is.EqualTo(new CustomerBalance(files.Id(3), 500m, 500m)));
        // Amounts keep two decimals, as numeric(18,2) prints them (the bodies have always carried them so).
        Assert.That(bodies[2], Does.Contain($"\"deposits\":[6199500.00,59500.00,500.00,").And.Contain("\"wealth\":[500.00,500.00,"));

        // The same balances again: nothing changes, nothing is published.
        var again = await TestSystem.Services.ImportFeedAsync("balances", FeedFiles.Balances(rows));
        Assert.That(again, Is.EqualTo(again with { Inserted = 0, Updated = 0, Unchanged = 2 * count, Events = 0 }));

        // One corrected balance: one message for its branch and day, and customer 2 falls back to Mass.
        var corrected = await TestSystem.Services.ImportFeedAsync("balances",
            FeedFiles.Balances([(files.Number(2), yesterday, 100m, 0m), (files.Number(2), yesterday.AddDays(-1), 100m, 0m)]));
        Assert.That(corrected, Is.EqualTo(corrected with { Updated = 2, Events = 2 + 1 }));
        // The body exactly: the contract's record serialised (its property names, in its order), amounts to the fen.
        Assert.That(await TestDatabases.ScalarAsync<string>(TestSystem.CustomerCare.Database,
                $"SELECT body::text FROM outbox_messages WHERE message_type = '{OutboxMessage.TypeName<DailyBalancesRecorded>()}' AND {where} AND body->>'date' = '{yesterday:yyyy-MM-dd}' ORDER BY id DESC LIMIT 1"),
            Is.EqualTo($"{{\"branchCode\":\"{files.Branch}\",\"date\":\"{yesterday:yyyy-MM-dd}\",\"chunk\":1,\"chunkCount\":1,\"customerIds\":[\"{files.Id(2)}\"],\"deposits\":[100.00],\"wealth\":[0.00]}}"));
        Assert.That(await FeedFiles.OutboxCountAsync("CustomerTierChanged", $"{where} AND body->>'tier' = 'Mass' AND body->>'previousTier' = 'Affluent'"), Is.EqualTo(1));

        using var lead = TestSystem.CustomerCare.ClientFor(Tokens.BranchLead(files.Branch));
        var top = await ServiceSystem.GetAsync<CustomerView>(lead, $"/api/customers/{files.Id(1)}");
        Assert.Multiple(() =>
        {
            Assert.That(top!.Tier, Is.EqualTo(CustomerTiers.PrivateBanking));
            Assert.That(top.AverageAssets, Is.EqualTo(6_200_000m));
            Assert.That(top.DepositBalance, Is.EqualTo(6_199_500m));
            Assert.That(top.WealthBalance, Is.EqualTo(500m));
            Assert.That(top.BalanceDate, Is.EqualTo(yesterday));
            Assert.That(top.CustomerNumber, Is.EqualTo(files.Number(1)));
            Assert.That(top.RiskLevel, Is.EqualTo(3));
            Assert.That(top.RiskAssessmentExpired, Is.False);
            Assert.That(top.FullName, Is.EqualTo("王**"));
            Assert.That(top.IdNumberMasked, Does.StartWith("**************").And.Length.EqualTo(18));
        });
        var tiers = await ServiceSystem.GetAsync<List<CustomerView>>(lead, $"/api/customers?tier=PrivateBanking");
        Assert.That(tiers!.Select(c => c.Id), Is.EqualTo(new[] { files.Id(1) }));
        var balances = await ServiceSystem.GetAsync<List<DailyBalanceView>>(lead, $"/api/customers/{files.Id(1)}/balances?days=30");
        Assert.That(balances, Is.EqualTo(new[] { new DailyBalanceView(yesterday.AddDays(-1), 6_199_500m, 500m), new DailyBalanceView(yesterday, 6_199_500m, 500m) }));

        var tierCounts = (await ServiceSystem.GetAsync<TiersView>(lead, "/api/tiers"))!;
        Assert.That(tierCounts.Tiers.Select(t => (t.Tier, t.Customers)), Is.EqualTo(new[]
        {
            (CustomerTiers.Mass, count - 1), (CustomerTiers.Affluent, 0), (CustomerTiers.Wealth, 0), (CustomerTiers.HighNetWorth, 0), (CustomerTiers.PrivateBanking, 1),
        }), "the lead's branch only");

        // The nightly job puts a tier that went astray back, publishing the move.
        await using (var db = TestSystem.CustomerCare.NewDbContext())
        {
            await db.Customers.Where(c => c.Id == files.Id(1)).ExecuteUpdateAsync(s => s.SetProperty(c => c.Tier, CustomerTiers.Wealth).SetProperty(c => c.AverageAssets, 1m));
        }
        using (var scope = TestSystem.CustomerCare.Services.CreateScope())
        {
            var moved = await scope.ServiceProvider.GetRequiredService<TierRecalculationJob>().RunAsync(CancellationToken.None);
            Assert.That(moved, Is.GreaterThanOrEqualTo(1));
        }
        Assert.That(await FeedFiles.OutboxCountAsync("CustomerTierChanged", $"{where} AND body->>'tier' = 'PrivateBanking' AND body->>'previousTier' = 'Wealth'"), Is.EqualTo(1));
        Assert.That((await ServiceSystem.GetAsync<CustomerView>(lead, $"/api/customers/{files.Id(1)}"))!.Tier, Is.EqualTo(CustomerTiers.PrivateBanking));
    }

    [Test]
    public async Task Only_administrators_and_head_office_may_feed_the_book_and_a_lead_only_their_branchs_customers()
    {
        var files = new FeedFiles(TestServers.UniqueBranch());
        using var byManager = await TestSystem.Services.PostFeedAsync("customers", files.Customers(1), Tokens.RelationshipManager("RM-F", files.Branch));
        Assert.That(byManager.StatusCode, Is.EqualTo(HttpStatusCode.Forbidden));
        using var byOtherLead = await TestSystem.Services.PostFeedAsync("customers", files.Customers(1), Tokens.BranchLead("ELSEWHERE"));
        Assert.That(byOtherLead.StatusCode, Is.EqualTo(HttpStatusCode.BadRequest), "another branch's rows (FeedDryRunTests has the rest)");
        using var holdingsByLead = await TestSystem.Services.PostFeedAsync("holdings", FeedFiles.File(FeedFiles.HoldingsHeader, []), Tokens.BranchLead(files.Branch));
        Assert.That(holdingsByLead.StatusCode, Is.EqualTo(HttpStatusCode.Forbidden));
        using var byHeadOffice = await TestSystem.Services.PostFeedAsync("customers", files.Customers(1), Tokens.HeadOffice);
        Assert.That(byHeadOffice.StatusCode, Is.EqualTo(HttpStatusCode.OK));
        using var client = TestSystem.CustomerCare.ClientFor(Tokens.Administrator);
        using var xml = await client.PostAsync("/api/feed/customers", new StringContent("<customers/>", System.Text.Encoding.UTF8, "application/xml"));
        Assert.That(xml.StatusCode, Is.EqualTo(HttpStatusCode.UnsupportedMediaType));
    }

    [Test]
    public async Task The_feed_first_then_the_conversion_make_one_customer()
    {
        var files = new FeedFiles(TestServers.UniqueBranch());
        await TestSystem.Services.AddRelationshipManagerAsync($"{files.Branch}-RM1", files.Branch);
        await TestSystem.Services.ImportFeedAsync("customers", files.Customers(1));
        await PublishConversionAsync(files, 1);

        await using var db = TestSystem.CustomerCare.NewDbContext();
        await Poll.UntilAsync(() => Task.FromResult(db.Customers.AsNoTracking().Single(c => c.Id == files.Id(1)).RelationshipManagerId),
            rm => rm is not null, "the converted customer to get a manager");
        var customers = db.Customers.AsNoTracking().Where(c => c.BranchCode == files.Branch).ToList();
        Assert.That(customers, Has.Count.EqualTo(1));
        Assert.Multiple(() =>
        {
            Assert.That(customers[0].IdNumber, Is.EqualTo(FeedFiles.ResidentId(1)), "the feed's fields are kept");
            Assert.That(customers[0].SourceProspectId, Is.Not.Null, "linked to the prospect");
        });
        Assert.That(await FeedFiles.OutboxCountAsync("CustomerRegistered", $"body->>'customerId' = '{files.Id(1)}'"), Is.EqualTo(1));
    }

    [Test]
    public async Task The_conversion_first_then_the_feed_make_one_customer()
    {
        var files = new FeedFiles(TestServers.UniqueBranch());
        await TestSystem.Services.AddRelationshipManagerAsync($"{files.Branch}-RM1", files.Branch);
        await PublishConversionAsync(files, 1);
        await using var db = TestSystem.CustomerCare.NewDbContext();
        await Poll.UntilAsync(() => Task.FromResult(db.Customers.AsNoTracking().Any(c => c.Id == files.Id(1))), found => found, "the conversion to reach the book");

        var result = await TestSystem.Services.ImportFeedAsync("customers", files.Customers(1));
        Assert.That(result, Is.EqualTo(result with { Inserted = 0, Updated = 1, Events = 0 }));
        var customer = db.Customers.AsNoTracking().Single(c => c.BranchCode == files.Branch);
        Assert.Multiple(() =>
        {
            Assert.That(customer.Id, Is.EqualTo(files.Id(1)));
            Assert.That(customer.RelationshipManagerId, Is.EqualTo($"{files.Branch}-RM1"), "the conversion's manager stays");
            Assert.That(customer.AccountNumber, Is.Empty, "no account number travels with the conversion: the holdings feed brings it");
            Assert.That(customer.IdNumber, Is.EqualTo(FeedFiles.ResidentId(1)));
        });
        Assert.That(await FeedFiles.OutboxCountAsync("CustomerRegistered", $"body->>'customerId' = '{files.Id(1)}'"), Is.EqualTo(1));
    }

    [Test]
    public async Task A_manager_sees_only_own_customers_and_a_lead_only_own_branch()
    {
        var files = new FeedFiles(TestServers.UniqueBranch());
        await TestSystem.Services.AddRelationshipManagerAsync($"{files.Branch}-RM1", files.Branch);
        await TestSystem.Services.AddRelationshipManagerAsync($"{files.Branch}-RM2", files.Branch);
        await TestSystem.Services.ImportFeedAsync("customers", files.Customers(1));
        await TestSystem.Services.ImportFeedAsync("holdings", FeedFiles.File(FeedFiles.HoldingsHeader, [$"{files.Account(1, 1)},{files.Number(1)},DEMAND,2025-01-02,,880.00"]));
        await using (var db = TestSystem.CustomerCare.NewDbContext())
        {
            await db.Customers.Where(c => c.Id == files.Id(1)).ExecuteUpdateAsync(s => s.SetProperty(c => c.RelationshipManagerId, $"{files.Branch}-RM1"));
        }

        using var owner = TestSystem.CustomerCare.ClientFor(Tokens.RelationshipManager($"{files.Branch}-RM1", files.Branch));
        var holdings = await ServiceSystem.GetAsync<List<HoldingView>>(owner, $"/api/customers/{files.Id(1)}/holdings");
        Assert.That(holdings!.Single().AccountNumberMasked, Is.EqualTo(new string('*', files.Account(1, 1).Length - 4) + files.Account(1, 1)[^4..]));
        Assert.That((await ServiceSystem.GetAsync<CustomerView>(owner, $"/api/customers/{files.Id(1)}"))!.RelationshipManagerName, Is.EqualTo($"RM {files.Branch}-RM1"));

        using var other = TestSystem.CustomerCare.ClientFor(Tokens.RelationshipManager($"{files.Branch}-RM2", files.Branch));
        using var otherLead = TestSystem.CustomerCare.ClientFor(Tokens.BranchLead(TestServers.UniqueBranch()));
        foreach (var client in new[] { other, otherLead })
        {
            foreach (var path in new[] { "", "/holdings", "/balances" })
            {
                Assert.That((await client.GetAsync($"/api/customers/{files.Id(1)}{path}")).StatusCode, Is.EqualTo(HttpStatusCode.NotFound), path);
            }
            Assert.That(await ServiceSystem.GetAsync<List<CustomerView>>(client, $"/api/customers?search={files.Number(1)}"), Is.Empty);
        }
        using var lead = TestSystem.CustomerCare.ClientFor(Tokens.BranchLead(files.Branch));
        var page = await lead.GetAsync($"/api/customers?branchCode={files.Branch}&pageSize=1");
        Assert.That(page.Headers.GetValues("X-Total-Count").Single(), Is.EqualTo("1"));
    }

    private static async Task PublishConversionAsync(FeedFiles files, int i)
    {
        // As Acquisition publishes it, over the real broker: the id derived from the customer number.
        await TestSystem.CustomerCare.Get<IBus>().Publish(new ProspectConvertedV2(
            Guid.NewGuid(), files.Id(i), files.Branch, 20_000m, "CMP-TEST", DateTimeOffset.UtcNow, files.Number(i),
            TestServers.Hashes.Phone(files.Phone(i)), null, null));
    }

    private static async Task<HttpResponseMessage> PostJsonAsync(string feed, string json)
    {
        using var client = TestSystem.CustomerCare.ClientFor(Tokens.Administrator);
        return await client.PostAsync($"/api/feed/{feed}", new StringContent(json, System.Text.Encoding.UTF8, "application/json"));
    }
}
