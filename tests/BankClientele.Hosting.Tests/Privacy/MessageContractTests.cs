using System.Reflection;
using System.Text.RegularExpressions;
using BankClientele.Contracts.Acquisition;

// Outside BankClientele.Hosting.Tests on purpose: that namespace's set-up fixture starts the services, and these need none.
namespace BankClientele.Privacy;

/// <summary>
/// Events carry no personal data: every message contract that is not obsolete is read by reflection,
/// and a property whose name suggests a name, phone, ID, account or card number, address or email
/// fails, unless it is a hash, an id or a code.
/// </summary>
public sealed partial class MessageContractTests
{
    [GeneratedRegex("Name|Phone|Mobile|IdNumber|IdCard|Account|Card|Address|Email|Birth|Passport", RegexOptions.IgnoreCase)]
    private static partial Regex Personal();

    /// <summary>Hashes, ids and codes; and the explicit exceptions, each with why.</summary>
    private static bool Allowed(Type contract, string property) =>
        property.EndsWith("Hash", StringComparison.Ordinal)
        || property.EndsWith("Id", StringComparison.Ordinal)
        || property.EndsWith("Ids", StringComparison.Ordinal)
        || property.EndsWith("Code", StringComparison.Ordinal)
        // The core-banking customer number is the bank's key of a customer (a code, like CustomerId), not a card or account.
        || property == "CustomerNumber"
        // A campaign's name (CampaignLaunched.Name) names a campaign, not a person.
        || (contract == typeof(CampaignLaunched) && property == "Name")
        // "first account of the customer" is a flag.
        || property == "FirstAccountOfCustomer";

    private static IEnumerable<Type> Contracts() =>
        typeof(ProspectConvertedV2).Assembly.GetExportedTypes()
            .Where(t => t.IsClass && t.Namespace?.StartsWith("BankClientele.Contracts.", StringComparison.Ordinal) == true)
            .Where(t => t.GetCustomAttribute<ObsoleteAttribute>() is null);

    [Test]
    public void No_message_contract_carries_a_name_phone_id_account_or_card_number_address_or_email()
    {
        var contracts = Contracts().ToList();
        Assert.That(contracts, Has.Count.GreaterThan(15), "the contracts were found");
        var offending = contracts
            .SelectMany(t => t.GetProperties(BindingFlags.Public | BindingFlags.Instance).Select(p => (Type: t, Property: p.Name)))
            .Where(x => Personal().IsMatch(x.Property) && !Allowed(x.Type, x.Property))
            .Select(x => $"{x.Type.Name}.{x.Property}")
            .ToList();
        TestContext.Out.WriteLine($"Checked {contracts.Count} contracts: {string.Join(", ", contracts.Select(c => c.Name))}");
        Assert.That(offending, Is.Empty);
    }

    [Test]
    public void The_old_contracts_that_carried_personal_data_are_obsolete_and_still_readable()
    {
        var obsolete = typeof(ProspectConvertedV2).Assembly.GetExportedTypes()
            .Where(t => t.GetCustomAttribute<ObsoleteAttribute>() is not null).Select(t => t.Name).ToList();
        Assert.That(obsolete, Is.EquivalentTo(new[] { "ProspectConverted", "AccountOpened", "WalkInIdentifiedAsProspect" }));
    }
}
