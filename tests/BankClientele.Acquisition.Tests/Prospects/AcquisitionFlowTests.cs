using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using BankClientele.Acquisition.Campaigns;
using BankClientele.Acquisition.Import;
using BankClientele.Acquisition.Prospects;
using BankClientele.Contracts.CustomerCare;
using BankClientele.Contracts.FootTraffic;
using BankClientele.CustomerCare.Book;
using BankClientele.Hosting.Customers;
using BankClientele.Hosting.Privacy;
using MassTransit;
using Microsoft.AspNetCore.Mvc;
using Microsoft.EntityFrameworkCore;

namespace BankClientele.Acquisition.Tests.Prospects;

/// <summary>Acquisition over the real PostgreSQL and RabbitMQ: import, conversion from the feed, consent, campaigns, scoping.</summary>
public sealed class AcquisitionFlowTests
{
    private static readonly PersonalDataHash Hash = TestServers.Hashes;
    private const string Wording = "本人同意银行通过电话、短信向本人推送金融产品营销信息，可随时撤回。";

    private static string Phone() => $"139{Random.Shared.Next(10_000_000, 99_999_999)}";

    private static string IdNumber()
    {
        var body = $"310115{Random.Shared.Next(1960, 2000)}0{Random.Shared.Next(1, 9)}1{Random.Shared.Next(0, 9)}{Random.Shared.Next(100, 999)}";
        return body + "X";
    }

    /// <summary>The bank's date (UTC+8), as the core-banking feed reports it.</summary>
    private static DateOnly BankToday() => DateOnly.FromDateTime(DateTime.UtcNow.AddHours(8));

    private static async Task<long> CountAsync(string sql) => await TestDatabases.ScalarAsync<long>(TestSystem.Acquisition.Database, sql);

    private static async Task WaitConsumedAsync(Guid messageId, string consumer) =>
        await Poll.UntilAsync(() => CountAsync($"SELECT count(*) FROM inbox_messages WHERE message_id = '{messageId}' AND consumer = '{consumer}'"),
            n => n == 1, $"{consumer} to consume message {messageId}");

    private static async Task RegisterCustomerAsync(string branch, string number, string? phone, string? idNumber = null)
    {
        var id = await TestSystem.Services.PublishAsync(new CustomerRegistered(CustomerIds.FromCustomerNumber(number), number, branch,
            Hash.Phone(phone), Hash.IdNumber(idNumber), "Mass", DateTimeOffset.UtcNow));
        await WaitConsumedAsync(id, "CustomerRegisteredConsumer");
    }

    private static async Task<Guid> ProspectWithConsentAsync(string branch, string phone, string? idNumber = null, string? campaign = null)
    {
        using var client = TestSystem.Acquisition.ClientFor(Tokens.BranchLead(branch));
        var response = await client.PostAsJsonAsync("/api/prospects",
            new RecordProspect("赵六", phone, branch, campaign, IdNumber: idNumber, ConsentWording: Wording));
        Assert.That(response.StatusCode, Is.EqualTo(HttpStatusCode.Created), await response.Content.ReadAsStringAsync());
        return (await response.Content.ReadFromJsonAsync<ProspectCreated>())!.Id;
    }

    [Test]
    public async Task An_import_merges_duplicates_in_the_file_and_with_known_prospects_and_leaves_out_customers()
    {
        var branch = TestServers.UniqueBranch();
        var lead = Tokens.BranchLead(branch);
        var (known, twinPhone1, twinPhone2, customer, fresh) = (Phone(), Phone(), Phone(), Phone(), Phone());
        var twinId = IdNumber();
        await RegisterCustomerAsync(branch, ServiceSystem.NewCustomerNumber(), customer);
        var knownId = await ProspectWithConsentAsync(branch, known);

        var csv = $"""
            full_name,phone,id_number,branch_code,campaign_code,channel,consent_at,consent_channel,consent_wording
            赵六,+86 {known[..3]}-{known[3..7]}-{known[7..]},,{branch},CMP-IMP,import,,,
            钱七,{twinPhone1},{twinId},{branch},,import,,,
            钱七,{twinPhone2},{twinId.ToLowerInvariant()},{branch},CMP-IMP,community-event,,,
            孙八,{customer},,{branch},,import,,,
            李九,{fresh},,{branch},CMP-IMP,partner,2026-11-01T10:00:00+08:00,online,{Wording}
            """;
        var response = await TestSystem.Services.ImportProspectsAsync(lead, csv);
        Assert.That(response.StatusCode, Is.EqualTo(HttpStatusCode.OK), await response.Content.ReadAsStringAsync());
        var result = (await response.Content.ReadFromJsonAsync<ImportResult>())!;
        Assert.Multiple(() =>
        {
            Assert.That(result.Rows, Is.EqualTo(5));
            Assert.That(result.Inserted, Is.EqualTo(2), "钱七 (twice, one ID number) and 李九");
            Assert.That(result.Merged, Is.EqualTo(2), "赵六 into the known prospect, 钱七's second row into the first");
            Assert.That(result.ExistingCustomers, Is.EqualTo(1));
        });

        await using var db = TestSystem.Acquisition.NewDbContext();
        var prospects = await db.Prospects.AsNoTracking().Where(p => p.BranchCode == branch).ToListAsync();
        Assert.That(prospects, Has.Count.EqualTo(3));
        var twin = prospects.Single(p => p.IdNumberHash == Hash.IdNumber(twinId));
        var touches = await db.ProspectTouches.AsNoTracking().Where(t => t.ProspectId == twin.Id || t.ProspectId == knownId).ToListAsync();
        Assert.Multiple(() =>
        {
            Assert.That(touches.Count(t => t.ProspectId == twin.Id), Is.EqualTo(2), "both rows are in the merged history");
            Assert.That(touches.Count(t => t.ProspectId == knownId), Is.EqualTo(2), "recorded by staff, then imported");
            Assert.That(twin.CampaignCode, Is.EqualTo("CMP-IMP"));
            Assert.That(prospects.Single(p => p.PhoneHash == Hash.Phone(known)).CampaignCode, Is.EqualTo("CMP-IMP"));
            Assert.That(prospects.Single(p => p.PhoneHash == Hash.Phone(fresh)).MarketingConsent, Is.True);
            Assert.That(prospects.Any(p => p.PhoneHash == Hash.Phone(customer)), Is.False);
        });
        var freshId = prospects.Single(p => p.PhoneHash == Hash.Phone(fresh)).Id;
        var consent = await db.ProspectConsents.AsNoTracking().SingleAsync(c => c.ProspectId == freshId);
        Assert.That((consent.Channel, consent.Wording, consent.At), Is.EqualTo(("online", Wording, new DateTimeOffset(2026, 11, 1, 2, 0, 0, TimeSpan.Zero))));
    }

    [Test]
    public async Task An_import_row_joining_two_earlier_groups_makes_one_prospect_completed_by_all_its_rows()
    {
        var branch = TestServers.UniqueBranch();
        var (phoneA, phoneB, other) = (Phone(), Phone(), Phone());
        var idB = IdNumber();
        // Rows 2 and 3 look like two people until row 4 carries row 2's phone and row 3's ID number.
        var csv = $"""
            full_name,phone,id_number,branch_code,campaign_code,channel,district,occupation,consent_at,consent_channel,consent_wording
            周一,{phoneA},,{branch},CMP-A,import,静安区,,,,
            周一,{phoneB},{idB},{branch},,lobby,徐汇区,教师,2026-11-02T10:00:00+08:00,lobby,{Wording}
            别人,{other},,{branch},CMP-X,import,,,,,
            周一,{phoneA},{idB.ToLowerInvariant()},{branch},CMP-C,partner,,,,,
            """;
        var response = await TestSystem.Services.ImportProspectsAsync(Tokens.BranchLead(branch), csv);
        Assert.That(response.StatusCode, Is.EqualTo(HttpStatusCode.OK), await response.Content.ReadAsStringAsync());
        var result = (await response.Content.ReadFromJsonAsync<ImportResult>())!;
        Assert.That((result.Rows, result.Inserted, result.Merged, result.ExistingCustomers), Is.EqualTo((4, 2, 2, 0)));

        await using var db = TestSystem.Acquisition.NewDbContext();
        var prospects = await db.Prospects.AsNoTracking().Where(p => p.BranchCode == branch).ToListAsync();
        var person = prospects.Single(p => p.PhoneHash == Hash.Phone(phoneA));
        var touches = await db.ProspectTouches.AsNoTracking().Where(t => t.ProspectId == person.Id).ToListAsync();
        var consents = await db.ProspectConsents.AsNoTracking().Where(c => c.ProspectId == person.Id).ToListAsync();
        Assert.Multiple(() =>
        {
            Assert.That(prospects, Has.Count.EqualTo(2));
            Assert.That(person.IdNumberHash, Is.EqualTo(Hash.IdNumber(idB)), "the first ID number known in the group");
            Assert.That(person.Channel, Is.EqualTo("import"), "the first row's");
            Assert.That(person.CampaignCode, Is.EqualTo("CMP-C"), "the last campaign");
            Assert.That((person.District, person.Occupation), Is.EqualTo(("静安区", "教师")), "each field's first known value");
            Assert.That(person.MarketingConsent, Is.True);
            Assert.That(touches.Select(t => t.Channel), Is.EquivalentTo(new[] { "import", "lobby", "partner" }), "every row of the group, the moved one too");
            Assert.That(consents.Select(c => (c.Kind, c.Channel)), Is.EqualTo(new[] { ("marketing", "lobby") }));
            Assert.That(prospects.Single(p => p.Id != person.Id).CampaignCode, Is.EqualTo("CMP-X"));
        });
    }

    [Test]
    public async Task An_import_with_bad_rows_names_each_by_line_and_field_and_applies_nothing()
    {
        var branch = TestServers.UniqueBranch();
        var csv = $"""
            full_name,phone,branch_code,consent_wording
            好人,{Phone()},{branch},
            坏电话,12-34,{branch},
            ,{Phone()},{branch},
            别行,{Phone()},OTHER1,
            无时间,{Phone()},{branch},{Wording}
            """;
        var response = await TestSystem.Services.ImportProspectsAsync(Tokens.BranchLead(branch), csv);
        Assert.That(response.StatusCode, Is.EqualTo(HttpStatusCode.BadRequest));
        var problem = await response.Content.ReadFromJsonAsync<JsonElement>();
        var errors = problem.GetProperty("errors").EnumerateArray()
            .Select(e => (e.GetProperty("line").GetInt32(), e.GetProperty("field").GetString())).ToList();
        Assert.That(errors, Is.EquivalentTo(new[] { (3, "phone"), (4, "full_name"), (5, "branch_code"), (6, "consent_at") }));
        Assert.That(problem.GetProperty("errorCount").GetInt32(), Is.EqualTo(4));
        Assert.That(await CountAsync($"SELECT count(*) FROM prospects WHERE branch_code = '{branch}'"), Is.Zero, "the good first row is not applied either");
    }

    [Test]
    public async Task An_account_opened_in_the_feed_converts_the_matching_prospect_with_attribution_over_the_broker()
    {
        var branch = TestServers.UniqueBranch();
        var rm = Tokens.RelationshipManager($"{branch}-RM1", branch);
        await TestSystem.Services.AddRelationshipManagerAsync($"{branch}-RM1", branch);
        var (phone, idNumber) = (Phone(), IdNumber());
        var prospectId = await ProspectWithConsentAsync(branch, phone, idNumber, campaign: "CMP-FIRST");
        using (var client = TestSystem.Acquisition.ClientFor(rm))
        {
            var contact = await client.PostAsJsonAsync($"/api/prospects/{prospectId}/contacts", new LogContact("phone", "appointment", "CMP-LAST"));
            Assert.That(contact.StatusCode, Is.EqualTo(HttpStatusCode.OK), await contact.Content.ReadAsStringAsync());
        }

        var number = ServiceSystem.NewCustomerNumber();
        var customerId = CustomerIds.FromCustomerNumber(number);
        // Matched on the ID number alone: the account was opened with another phone.
        await TestSystem.Services.PublishAsync(new AccountOpenedV2(customerId, number, "6222000099998888", "DEP-CUR", branch,
            BankToday(), 30_000m, Hash.Phone(Phone()), Hash.IdNumber(idNumber), true));

        await using var db = TestSystem.Acquisition.NewDbContext();
        var prospect = await Poll.UntilAsync(() => db.Prospects.AsNoTracking().SingleAsync(p => p.Id == prospectId), p => p.CustomerId is not null, "the feed to convert the prospect");
        Assert.Multiple(() =>
        {
            Assert.That(prospect.CustomerId, Is.EqualTo(customerId));
            Assert.That(prospect.Stage, Is.EqualTo(LeadStage.AccountOpened));
            Assert.That(prospect.CreditedStaffId, Is.EqualTo($"{branch}-RM1"));
            Assert.That(prospect.CampaignCode, Is.EqualTo("CMP-LAST"));
        });
        var body = JsonDocument.Parse(await TestDatabases.ScalarAsync<string>(TestSystem.Acquisition.Database,
            $"SELECT body::text FROM outbox_messages WHERE body->>'prospectId' = '{prospectId}'")).RootElement;
        Assert.Multiple(() =>
        {
            Assert.That(body.GetProperty("customerNumber").GetString(), Is.EqualTo(number));
            Assert.That(body.GetProperty("customerId").GetGuid(), Is.EqualTo(customerId));
            Assert.That(body.GetProperty("firstTouch").GetProperty("campaignCode").GetString(), Is.EqualTo("CMP-FIRST"));
            Assert.That(body.GetProperty("lastTouch").GetProperty("campaignCode").GetString(), Is.EqualTo("CMP-LAST"));
            Assert.That(body.GetProperty("creditedStaffId").GetString(), Is.EqualTo($"{branch}-RM1"));
        });

        // CustomerCare receives ProspectConverted over the broker: the customer is in the book under the shared id.
        using var care = TestSystem.CustomerCare.ClientFor(Tokens.BranchLead(branch));
        var customer = await Poll.UntilAsync(() => ServiceSystem.GetAsync<CustomerView>(care, $"/api/customers/{customerId}"), c => c is not null, "CustomerCare to add the customer");
        Assert.That(customer!.BranchCode, Is.EqualTo(branch));

        // A later hand conversion of the same prospect finds it converted.
        using var lead = TestSystem.Acquisition.ClientFor(Tokens.BranchLead(branch));
        var again = await lead.PostAsJsonAsync($"/api/prospects/{prospectId}/conversion", new ConvertProspect(number, "6222000099998888", 30_000m));
        Assert.That(again.StatusCode, Is.EqualTo(HttpStatusCode.Conflict));
    }

    [Test]
    public async Task A_hand_conversion_and_the_feed_converge_on_one_conversion()
    {
        var branch = TestServers.UniqueBranch();
        var lead = Tokens.BranchLead(branch);
        var phone = Phone();
        var prospectId = await ProspectWithConsentAsync(branch, phone);
        var number = ServiceSystem.NewCustomerNumber();
        var customerId = await TestSystem.Services.ConvertAsync(lead, prospectId, 8_000m, number);
        Assert.That(customerId, Is.EqualTo(CustomerIds.FromCustomerNumber(number)));

        var messageId = await TestSystem.Services.PublishAsync(new AccountOpenedV2(customerId, number, "6222000011110000", "DEP-CUR", branch,
            BankToday(), 8_000m, Hash.Phone(phone), null, true));
        await WaitConsumedAsync(messageId, "AccountOpenedV2Consumer");
        Assert.Multiple(async () =>
        {
            Assert.That(await CountAsync($"SELECT count(*) FROM outbox_messages WHERE body->>'customerId' = '{customerId}'"), Is.EqualTo(1));
            Assert.That(await CountAsync($"SELECT count(*) FROM conversion_credits WHERE customer_id = '{customerId}'"), Is.EqualTo(1));
        });

        // The same customer number for a second prospect: one customer, one conversion.
        var other = await ProspectWithConsentAsync(branch, Phone());
        using var client = TestSystem.Acquisition.ClientFor(lead);
        var response = await client.PostAsJsonAsync($"/api/prospects/{other}/conversion", new ConvertProspect(number, "6222000011110001", 1m));
        Assert.That(response.StatusCode, Is.EqualTo(HttpStatusCode.Conflict));
    }

    private static Task<long> ActivatedAsync(Guid prospectId) =>
        CountAsync($"SELECT count(*) FROM prospects WHERE id = '{prospectId}' AND activated_at IS NOT NULL");

    /// <summary>
    /// A customer converted by hand, then in the feed's balances among strangers: CustomerCare sends Acquisition
    /// the converted customer's balances only, and their deposit activates the prospect.
    /// </summary>
    [Test]
    public async Task The_feeds_balances_of_a_converted_customer_activate_the_prospect()
    {
        var files = new FeedFiles(TestServers.UniqueBranch());
        await TestSystem.Services.ImportFeedAsync("customers", files.Customers(1, 2, 3));
        var prospectId = await ProspectWithConsentAsync(files.Branch, Phone());
        var number = ServiceSystem.NewCustomerNumber();
        var customerId = await TestSystem.Services.ConvertAsync(Tokens.BranchLead(files.Branch), prospectId, 8_000m, number);
        using var care = TestSystem.CustomerCare.ClientFor(Tokens.BranchLead(files.Branch));
        await Poll.UntilAsync(() => ServiceSystem.GetAsync<CustomerView>(care, $"/api/customers/{customerId}"), c => c is not null, "CustomerCare to add the customer");
        Assert.That(await ActivatedAsync(prospectId), Is.Zero);

        var today = BankToday();
        await TestSystem.Services.ImportFeedAsync("balances", FeedFiles.Balances(
            [(files.Number(1), today, 1_000m, 0m), (number, today, 8_000m, 0m), (files.Number(2), today, 2_000m, 0m), (files.Number(3), today, 3_000m, 0m)]));
        await Poll.UntilAsync(() => ActivatedAsync(prospectId), n => n == 1, "the prospect activated by the feed's deposit");
        var sent = await TestDatabases.ScalarAsync<string[]>(TestSystem.CustomerCare.Database,
            $"SELECT array_agg(body::text) FROM outbox_messages WHERE message_type = 'BankClientele.Contracts.CustomerCare.ConvertedCustomerDeposits' AND body::text LIKE '%{customerId}%'");
        var message = JsonSerializer.Deserialize<ConvertedCustomerDeposits>(sent.Single(), Hosting.Messaging.ContractTypes.JsonOptions)!;
        Assert.That((message.CustomerIds.Single(), message.Dates.Single(), message.Deposits.Single()), Is.EqualTo((customerId, today, 8_000m)),
            "only the converted customer's balance, not the strangers'");
    }

    /// <summary>
    /// The feed brought the customer and their balances first; the conversion that links them to a prospect comes
    /// after, and CustomerCare then sends the balances it holds since the conversion's day.
    /// </summary>
    [Test]
    public async Task A_conversion_linking_a_customer_the_feed_brought_first_gets_their_balances_since()
    {
        var files = new FeedFiles(TestServers.UniqueBranch());
        var number = ServiceSystem.NewCustomerNumber(); // digits, as a conversion requires
        await TestSystem.Services.ImportFeedAsync("customers", FeedFiles.File(FeedFiles.CustomersHeader, [files.CustomerLine(1).Replace(files.Number(1), number)]));
        var today = BankToday();
        await TestSystem.Services.ImportFeedAsync("balances", FeedFiles.Balances([(number, today.AddDays(-1), 500m, 0m), (number, today, 9_000m, 0m)]));
        var prospectId = await ProspectWithConsentAsync(files.Branch, Phone());

        await TestSystem.Services.ConvertAsync(Tokens.BranchLead(files.Branch), prospectId, 9_000m, number);
        await Poll.UntilAsync(() => ActivatedAsync(prospectId), n => n == 1, "the prospect activated by the balances held before the conversion");
    }

    /// <summary>A feed's burst of accounts, taken in batches: only the accounts matching a prospect convert, each once.</summary>
    [Test]
    public async Task A_burst_of_feed_accounts_converts_only_the_prospects_they_match()
    {
        var branch = TestServers.UniqueBranch();
        var (phone, idNumber) = (Phone(), IdNumber());
        var byPhone = await ProspectWithConsentAsync(branch, phone);
        var byIdNumber = await ProspectWithConsentAsync(branch, Phone(), idNumber);
        var (phoneCustomer, idCustomer) = (ServiceSystem.NewCustomerNumber(), ServiceSystem.NewCustomerNumber());
        AccountOpenedV2 Account(string number, int n, string? phoneHash, string? idHash) =>
            new(CustomerIds.FromCustomerNumber(number), number, $"{number}-{n}", "DEP-CUR", branch, BankToday(), 1_000m + n, phoneHash, idHash, n == 0);

        var bus = TestSystem.CustomerCare.Get<IBus>();
        var burst = Enumerable.Range(0, 400).Select(i => Account($"{branch}-{i}", 0, Hash.Phone(Phone()), Hash.IdNumber(IdNumber()))).ToList();
        // The matches among strangers, one of them with a second account in the same burst: still one conversion.
        burst.Insert(150, Account(phoneCustomer, 0, Hash.Phone(phone), null));
        burst.Insert(151, Account(phoneCustomer, 1, Hash.Phone(phone), null));
        burst.Insert(300, Account(idCustomer, 0, null, Hash.IdNumber(idNumber)));
        var messageIds = burst.Select(_ => Guid.NewGuid()).ToArray();
        await Task.WhenAll(burst.Select((m, i) => bus.Publish(m, c => c.MessageId = messageIds[i])));

        var ids = string.Join(",", messageIds.Select(id => $"'{id}'"));
        await Poll.UntilAsync(() => CountAsync($"SELECT count(*) FROM inbox_messages WHERE consumer = 'AccountOpenedV2Consumer' AND message_id IN ({ids})"),
            n => n == burst.Count, "every account of the burst handled");
        Assert.Multiple(async () =>
        {
            Assert.That(await CountAsync($"SELECT count(*) FROM prospects WHERE branch_code = '{branch}' AND customer_id IS NOT NULL"), Is.EqualTo(2));
            Assert.That(await CountAsync($"SELECT count(*) FROM prospects WHERE id = '{byPhone}' AND customer_number = '{phoneCustomer}'"), Is.EqualTo(1));
            Assert.That(await CountAsync($"SELECT count(*) FROM prospects WHERE id = '{byIdNumber}' AND customer_number = '{idCustomer}'"), Is.EqualTo(1));
            Assert.That(await CountAsync($"SELECT count(*) FROM conversion_credits WHERE customer_id IN ('{CustomerIds.FromCustomerNumber(phoneCustomer)}', '{CustomerIds.FromCustomerNumber(idCustomer)}')"), Is.EqualTo(2));
        });
    }

    [Test]
    public async Task Contact_without_consent_on_the_do_not_contact_list_or_after_withdrawal_is_refused()
    {
        var branch = TestServers.UniqueBranch();
        using var client = TestSystem.Acquisition.ClientFor(Tokens.BranchLead(branch));
        var phone = Phone();
        var created = await client.PostAsJsonAsync("/api/prospects", new RecordProspect("周十", phone, branch, null));
        var id = (await created.Content.ReadFromJsonAsync<ProspectCreated>())!.Id;

        async Task<(HttpStatusCode, string?)> ContactAsync()
        {
            var response = await client.PostAsJsonAsync($"/api/prospects/{id}/contacts", new LogContact("phone", "reached"));
            return (response.StatusCode, response.IsSuccessStatusCode ? null : (await response.Content.ReadFromJsonAsync<ProblemDetails>())!.Title);
        }

        Assert.That(await ContactAsync(), Is.EqualTo((HttpStatusCode.Conflict, "No marketing consent")));
        var given = await client.PostAsJsonAsync($"/api/prospects/{id}/consents", new GiveConsent("marketing", "phone", Wording));
        Assert.That(given.StatusCode, Is.EqualTo(HttpStatusCode.OK));
        Assert.That(await ContactAsync(), Is.EqualTo((HttpStatusCode.OK, (string?)null)));
        var withdrawn = await client.PostAsJsonAsync($"/api/prospects/{id}/consents/marketing/withdrawal", new WithdrawConsent("sms"));
        Assert.That(withdrawn.StatusCode, Is.EqualTo(HttpStatusCode.OK));
        Assert.That(await ContactAsync(), Is.EqualTo((HttpStatusCode.Conflict, "No marketing consent")));

        await client.PostAsJsonAsync($"/api/prospects/{id}/consents", new GiveConsent("marketing", "phone", Wording));
        var blocked = await client.PostAsJsonAsync("/api/do-not-contact", new AddDoNotContact(phone));
        Assert.That(blocked.StatusCode, Is.EqualTo(HttpStatusCode.NoContent));
        Assert.That(await ContactAsync(), Is.EqualTo((HttpStatusCode.Conflict, "On the do-not-contact list")));

        var detail = await ServiceSystem.GetAsync<ProspectDetail>(client, $"/api/prospects/{id}");
        Assert.That(detail!.Consents.Select(c => (c.Kind, c.Given, c.Channel)), Is.EqualTo(new[]
        {
            ("marketing", true, "phone"), ("marketing", false, "sms"), ("marketing", true, "phone"),
        }));
        Assert.That(detail.Touches.Count(t => t.Outcome is not null), Is.EqualTo(1), "only the allowed contact was logged");
    }

    [Test]
    public async Task A_campaign_is_approved_by_a_lead_launched_costed_and_a_negative_cost_is_refused()
    {
        var branch = TestServers.UniqueBranch();
        var code = $"CMP-{branch}";
        var rm = TestSystem.Acquisition.ClientFor(Tokens.RelationshipManager($"{branch}-RM1", branch));
        using var lead = TestSystem.Acquisition.ClientFor(Tokens.BranchLead(branch));
        var created = await rm.PostAsJsonAsync("/api/campaigns", new CreateCampaign(code, "社区理财讲座", "community-event", branch, 20_000m,
            DateOnly.FromDateTime(DateTime.UtcNow), Place: "陆家嘴社区中心", Capacity: 80, ExpectedAttendance: 60));
        Assert.That(created.StatusCode, Is.EqualTo(HttpStatusCode.Created), await created.Content.ReadAsStringAsync());

        Assert.That((await rm.PostAsync($"/api/campaigns/{code}/approval", null)).StatusCode, Is.EqualTo(HttpStatusCode.Forbidden));
        Assert.That((await lead.PostAsync($"/api/campaigns/{code}/launch", null)).StatusCode, Is.EqualTo(HttpStatusCode.Conflict), "a draft cannot launch");
        Assert.That((await lead.PostAsync($"/api/campaigns/{code}/approval", null)).StatusCode, Is.EqualTo(HttpStatusCode.OK));
        Assert.That((await lead.PostAsync($"/api/campaigns/{code}/launch", null)).StatusCode, Is.EqualTo(HttpStatusCode.OK));

        var negative = await lead.PostAsJsonAsync($"/api/campaigns/{code}/costs", new RecordCost(-500m, "venue", DateOnly.FromDateTime(DateTime.UtcNow)));
        Assert.That(negative.StatusCode, Is.EqualTo(HttpStatusCode.BadRequest));
        var problem = await negative.Content.ReadFromJsonAsync<ValidationProblemDetails>();
        Assert.That(problem!.Errors.Keys, Has.Some.EqualTo("Amount").IgnoreCase);

        Assert.That((await lead.PostAsJsonAsync($"/api/campaigns/{code}/costs", new RecordCost(6_000m, "venue", DateOnly.FromDateTime(DateTime.UtcNow)))).StatusCode,
            Is.EqualTo(HttpStatusCode.Created));
        var prospect = await ProspectWithConsentAsync(branch, Phone(), campaign: code);
        await ProspectWithConsentAsync(branch, Phone(), campaign: code);
        await TestSystem.Services.ConvertAsync(Tokens.BranchLead(branch), prospect, 10_000m);

        var detail = await ServiceSystem.GetAsync<CampaignDetail>(lead, $"/api/campaigns/{code}");
        Assert.Multiple(() =>
        {
            Assert.That(detail!.Campaign.Status, Is.EqualTo("Running"));
            Assert.That(detail.Campaign.ApprovedBy, Is.EqualTo($"BL-{branch}"));
            Assert.That(detail.Figures.Leads, Is.EqualTo(2));
            Assert.That(detail.Figures.AccountsOpened, Is.EqualTo(1));
            Assert.That(detail.Figures.Cost, Is.EqualTo(6_000m));
            Assert.That(detail.Figures.Cac, Is.EqualTo(6_000m));
        });
        Assert.Multiple(async () =>
        {
            Assert.That(await CountAsync($"SELECT count(*) FROM outbox_messages WHERE message_type LIKE '%CampaignLaunched' AND body->>'campaignCode' = '{code}'"), Is.EqualTo(1));
            Assert.That(await CountAsync($"SELECT count(*) FROM outbox_messages WHERE message_type LIKE '%CampaignCostRecorded' AND body->>'campaignCode' = '{code}'"), Is.EqualTo(1));
            Assert.That(await CountAsync($"SELECT count(*) FROM prospects WHERE id = '{prospect}' AND acquisition_cost = 3000"), Is.EqualTo(1),
                "the conversion carries the campaign's cost to date shared over its two leads");
        });
        rm.Dispose();
    }

    [Test]
    public async Task A_targeted_campaign_to_existing_customers_holds_out_the_deterministic_control_group()
    {
        var branch = TestServers.UniqueBranch();
        var numbers = Enumerable.Range(0, 40).Select(_ => ServiceSystem.NewCustomerNumber()).ToList();
        foreach (var number in numbers)
        {
            await RegisterCustomerAsync(branch, number, Phone());
        }
        var code = $"DEP-{branch}";
        using var lead = TestSystem.Acquisition.ClientFor(Tokens.BranchLead(branch));
        var created = await lead.PostAsJsonAsync("/api/campaigns", new CreateCampaign(code, "存款提升", "targeted", branch, 100_000m,
            DateOnly.FromDateTime(DateTime.UtcNow), Channel: "phone", Segment: "existing customers", HoldoutFraction: 0.2));
        Assert.That(created.StatusCode, Is.EqualTo(HttpStatusCode.Created));
        var response = await lead.PostAsJsonAsync($"/api/campaigns/{code}/audience", new AssignAudience(numbers));
        Assert.That(response.StatusCode, Is.EqualTo(HttpStatusCode.OK), await response.Content.ReadAsStringAsync());
        var assigned = (await response.Content.ReadFromJsonAsync<AudienceAssigned>())!;
        var expectedControl = numbers.Count(n => CampaignHoldout.IsControl(code, CustomerIds.FromCustomerNumber(n), 0.2));
        Assert.Multiple(async () =>
        {
            Assert.That(assigned.Control, Is.EqualTo(expectedControl));
            Assert.That(assigned.Treated + assigned.Control, Is.EqualTo(40));
            var body = JsonDocument.Parse(await TestDatabases.ScalarAsync<string>(TestSystem.Acquisition.Database,
                $"SELECT body::text FROM outbox_messages WHERE message_type LIKE '%CampaignAudienceAssigned' AND body->>'campaignCode' = '{code}'")).RootElement;
            Assert.That(body.GetProperty("control").GetArrayLength(), Is.EqualTo(expectedControl));
            Assert.That(body.GetProperty("treated").GetArrayLength(), Is.EqualTo(40 - expectedControl));
        });
        var unknown = await lead.PostAsJsonAsync($"/api/campaigns/{code}/audience", new AssignAudience(["1234567"]));
        Assert.That(unknown.StatusCode, Is.EqualTo(HttpStatusCode.Conflict), "an audience, once assigned, is fixed");

        // An existing customer is not prospected.
        var again = await lead.PostAsJsonAsync("/api/prospects", new RecordProspect("吴一", $"139{Random.Shared.Next(10_000_000, 99_999_999)}", branch, null));
        Assert.That(again.StatusCode, Is.EqualTo(HttpStatusCode.Created), "an unknown phone is a prospect");
    }

    [Test]
    public async Task A_consenting_walk_in_becomes_a_lobby_lead_and_attending_an_event_is_a_touch()
    {
        var branch = TestServers.UniqueBranch();
        var walkIn = Guid.NewGuid();
        var consumed = await TestSystem.Services.PublishAsync(new WalkInIdentifiedAsProspectV2(walkIn, branch, Hash.Phone(Phone())!, "理财", $"GR-{branch}", null,
            Wording, DateTimeOffset.UtcNow.AddMinutes(-1), DateTimeOffset.UtcNow));
        await WaitConsumedAsync(consumed, "WalkInIdentifiedV2Consumer");
        var attended = await TestSystem.Services.PublishAsync(new LobbyEventAttended(Guid.NewGuid(), Guid.NewGuid(), branch, null, walkIn, null, DateTimeOffset.UtcNow));
        await WaitConsumedAsync(attended, "LobbyAttendanceConsumer");

        using var client = TestSystem.Acquisition.ClientFor(Tokens.BranchLead(branch));
        var detail = await ServiceSystem.GetAsync<ProspectDetail>(client, $"/api/prospects/{walkIn}");
        Assert.Multiple(() =>
        {
            Assert.That(detail!.Prospect.Channel, Is.EqualTo("lobby"));
            Assert.That(detail.Prospect.MarketingConsent, Is.True);
            Assert.That(detail.Consents.Single().Wording, Is.EqualTo(Wording));
            Assert.That(detail.Touches.Select(t => t.Channel), Is.EqualTo(new[] { "lobby", "lobby-event" }));
        });
    }

    [Test]
    public async Task Staff_see_their_branch_personal_data_is_masked_and_an_unmasked_view_is_audited()
    {
        var branch = TestServers.UniqueBranch();
        var phone = Phone();
        var id = await ProspectWithConsentAsync(branch, phone, campaign: $"CMP-{branch}");
        using var other = TestSystem.Acquisition.ClientFor(Tokens.BranchLead(TestServers.UniqueBranch()));
        Assert.That((await other.GetAsync($"/api/prospects/{id}")).StatusCode, Is.EqualTo(HttpStatusCode.NotFound));
        var list = await ServiceSystem.GetAsync<List<ProspectView>>(other, "/api/prospects");
        Assert.That(list!.Any(p => p.Id == id), Is.False);

        using var head = TestSystem.Acquisition.ClientFor(Tokens.HeadOffice);
        var seen = await ServiceSystem.GetAsync<ProspectDetail>(head, $"/api/prospects/{id}");
        Assert.That((seen!.Prospect.FullName, seen.Prospect.PhoneMasked), Is.EqualTo(("赵*", PersonalData.MaskPhone(phone))));
        Assert.That((await head.GetAsync($"/api/prospects/{id}/personal-data?reason=check")).StatusCode, Is.EqualTo(HttpStatusCode.Forbidden));

        using var lead = TestSystem.Acquisition.ClientFor(Tokens.BranchLead(branch));
        Assert.That((await lead.GetAsync($"/api/prospects/{id}/personal-data")).StatusCode, Is.EqualTo(HttpStatusCode.BadRequest), "a reason is required");
        var unmasked = await ServiceSystem.GetAsync<ProspectPersonalData>(lead, $"/api/prospects/{id}/personal-data?reason=call%20back");
        Assert.That(unmasked!.Phone, Is.EqualTo(phone));
        Assert.That(await CountAsync($"SELECT count(*) FROM personal_data_views WHERE subject_id = '{id}' AND reason = 'call back'"), Is.EqualTo(1));
    }
}
