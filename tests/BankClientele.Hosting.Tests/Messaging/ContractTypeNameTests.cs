using System.Text.Json;
using BankClientele.Contracts.CustomerCare;
using BankClientele.CustomerCare.Book;
using BankClientele.CustomerCare.Tiers;
using BankClientele.Hosting.Messaging;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Npgsql;

namespace BankClientele.Hosting.Tests.Messaging;

/// <summary>
/// Outbox rows name their message by the contract type (<see cref="OutboxMessage.TypeName{TMessage}"/>), and their
/// bodies are the contract serialised (<see cref="ContractTypes.JsonOptions"/>), never composed in SQL.
/// </summary>
public sealed class ContractTypeNameTests
{
    [Test]
    public void Every_contracts_stored_name_resolves_back_to_it()
    {
        var contracts = ContractTypes.All.ToList();
        Assert.That(contracts, Has.Member(typeof(CustomerTierChanged)).And.Member(typeof(DailyBalancesRecorded)));
        Assert.Multiple(() =>
        {
            foreach (var contract in contracts)
            {
                Assert.That(ContractTypes.Resolve(ContractTypes.NameOf(contract)), Is.EqualTo(contract), contract.Name);
            }
        });
        Assert.That(() => ContractTypes.NameOf(typeof(Customer)), Throws.InvalidOperationException, "only contracts have a stored name");
        Assert.That(OutboxMessage.TypeName<CustomerTierChanged>(), Is.EqualTo("BankClientele.Contracts.CustomerCare.CustomerTierChanged"), "a shipped name never changes");
    }

    [Test]
    public async Task A_tier_change_is_stored_as_its_contract_and_every_outbox_rows_type_is_a_contract()
    {
        var branch = TestServers.UniqueBranch();
        var id = Guid.NewGuid();
        await using (var db = TestSystem.CustomerCare.NewDbContext())
        {
            db.Customers.Add(new Customer
            {
                Id = id, FullName = "李四", Phone = "13912345678", BranchCode = branch, CustomerNumber = $"{branch}-T1",
                AccountNumber = "6222" + Random.Shared.NextInt64(100_000_000_000, 999_999_999_999), Tier = CustomerTiers.Mass,
                JoinedAt = DateTimeOffset.UtcNow.AddDays(-100),
            });
            await db.SaveChangesAsync();
            // On the book's latest balance day, so the customer is inside the averaging window.
            var day = DateOnly.Parse(await TestDatabases.ScalarAsync<string>(TestSystem.CustomerCare.Database,
                "SELECT coalesce(max(date), current_date)::text FROM daily_balances"), System.Globalization.CultureInfo.InvariantCulture);
            db.DailyBalances.Add(new DailyBalance { CustomerId = id, Date = day, Deposit = 50_000_000m });
            await db.SaveChangesAsync();
        }

        await using (var scope = TestSystem.CustomerCare.Services.CreateAsyncScope())
        await using (var connection = await scope.ServiceProvider.GetRequiredService<NpgsqlDataSource>().OpenConnectionAsync())
        await using (var transaction = await connection.BeginTransactionAsync())
        {
            var outbox = new SqlOutbox(connection, transaction);
            var moved = await scope.ServiceProvider.GetRequiredService<ITierRecalculation>()
                .RecalculateAsync(connection, transaction, outbox, $"SELECT '{id}'::uuid", CancellationToken.None);
            Assert.That(moved, Is.EqualTo(1));
            await outbox.NotifyAsync(CancellationToken.None);
            await transaction.CommitAsync();
        }

        await using (var db = TestSystem.CustomerCare.NewDbContext())
        {
            var type = await TestDatabases.ScalarAsync<string>(TestSystem.CustomerCare.Database,
                $"SELECT string_agg(message_type, ',') FROM outbox_messages WHERE body->>'customerId' = '{id}'");
            var json = await TestDatabases.ScalarAsync<string>(TestSystem.CustomerCare.Database,
                $"SELECT body::text FROM outbox_messages WHERE body->>'customerId' = '{id}'");
            var tier = await db.Customers.Where(c => c.Id == id).Select(c => c.Tier).SingleAsync();
            Assert.That(type, Is.EqualTo(OutboxMessage.TypeName<CustomerTierChanged>()), "one event, named by its contract");
            var body = JsonSerializer.Deserialize<CustomerTierChanged>(json, ContractTypes.JsonOptions)!;
            Assert.Multiple(() =>
            {
                Assert.That(body.CustomerId, Is.EqualTo(id));
                Assert.That(body.CustomerNumber, Is.EqualTo($"{branch}-T1"));
                Assert.That(body.BranchCode, Is.EqualTo(branch));
                Assert.That(body.PreviousTier, Is.EqualTo(CustomerTiers.Mass));
                Assert.That(body.Tier, Is.EqualTo(tier).And.Not.EqualTo(CustomerTiers.Mass));
                Assert.That(body.AverageAssets, Is.EqualTo(50_000_000m));
            });
        }

        // Whatever flows have run in this session, every service's outbox names only contracts.
        foreach (var database in new[] { TestSystem.CustomerCare.Database, TestSystem.Acquisition.Database, TestSystem.FootTraffic.Database, TestSystem.Insights.Database })
        {
            var names = await TestDatabases.ScalarAsync<string>(database, "SELECT coalesce(string_agg(DISTINCT message_type, ','), '') FROM outbox_messages");
            Assert.Multiple(() =>
            {
                foreach (var name in names.Split(',', StringSplitOptions.RemoveEmptyEntries))
                {
                    Assert.That(() => ContractTypes.Resolve(name), Throws.Nothing, $"{database}: {name}");
                }
            });
        }
    }
}
