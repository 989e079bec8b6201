using System.Reflection;
using System.Text.RegularExpressions;
using BankClientele.Contracts.Acquisition;

// Outside BankClientele.Hosting.Tests on purpose: that namespace's set-up fixture starts the services on the real
// servers, and this test reads files only.
namespace BankClientele.Docs;

/// <summary>
/// docs/events.md is the catalogue of the messages in BankClientele.Contracts: a contract added, renamed
/// or removed without its row (or a row left for a contract that is gone) fails here. Reads files only.
/// </summary>
public sealed partial class EventCatalogueTests
{
    private const string MessagesHeading = "## Messages";
    private const string PartsHeading = "## Records inside messages";

    [Test]
    public void Every_public_record_of_the_contracts_has_a_row_in_the_catalogue_and_every_row_names_one()
    {
        var records = ContractRecords().Select(type => type.FullName!).ToHashSet();
        var rows = CatalogueRows(MessagesHeading).Concat(CatalogueRows(PartsHeading)).ToList();

        Assert.That(records, Is.Not.Empty, "no records found in BankClientele.Contracts");
        Assert.Multiple(() =>
        {
            Assert.That(records.Except(rows), Is.Empty, "contracts missing from docs/events.md");
            Assert.That(rows.Except(records), Is.Empty, "rows of docs/events.md naming no public record of BankClientele.Contracts");
            Assert.That(rows, Is.Unique, "a contract listed twice in docs/events.md");
        });
    }

    [Test]
    public void The_messages_table_lists_the_records_sent_alone_and_the_parts_table_those_only_inside_another()
    {
        var records = ContractRecords();
        // A part is a record another contract is made of (Touch in ProspectConverted, CustomerBalance in
        // DailyBalancesRecorded's helpers): it appears in that record's public members and never travels alone.
        var carried = records
            .SelectMany(type => MemberTypes(type).Select(ElementType).Where(member => member != type))
            .ToHashSet();
        var parts = records.Where(carried.Contains).Select(type => type.FullName!).ToHashSet();
        var messages = records.Where(type => !carried.Contains(type)).Select(type => type.FullName!).ToHashSet();

        Assert.Multiple(() =>
        {
            Assert.That(CatalogueRows(MessagesHeading), Is.EquivalentTo(messages), $"the table under '{MessagesHeading}'");
            Assert.That(CatalogueRows(PartsHeading), Is.EquivalentTo(parts), $"the table under '{PartsHeading}'");
        });
    }

    /// <summary>Public records (classes with the compiler's clone method) in the BankClientele.Contracts.* namespaces.</summary>
    private static List<Type> ContractRecords() =>
        typeof(ProspectConvertedV2).Assembly.GetExportedTypes()
            .Where(type => type.IsClass && type.Namespace?.StartsWith("BankClientele.Contracts.", StringComparison.Ordinal) == true)
            .Where(type => type.GetMethod("<Clone>$") is not null)
            .ToList();

    /// <summary>The types of a record's public properties, and of its own public methods' parameters and results.</summary>
    private static IEnumerable<Type> MemberTypes(Type record)
    {
        const BindingFlags flags = BindingFlags.Public | BindingFlags.Instance | BindingFlags.Static | BindingFlags.DeclaredOnly;
        foreach (var property in record.GetProperties(flags))
        {
            yield return property.PropertyType;
        }
        foreach (var method in record.GetMethods(flags).Where(method => !method.IsSpecialName))
        {
            yield return method.ReturnType;
            foreach (var parameter in method.GetParameters())
            {
                yield return parameter.ParameterType;
            }
        }
    }

    /// <summary>T of T?, T[], T&amp; and IReadOnlyList&lt;T&gt; (and other generic collections), else the type itself.</summary>
    private static Type ElementType(Type type) =>
        type.IsArray || type.IsByRef ? ElementType(type.GetElementType()!)
        : Nullable.GetUnderlyingType(type) is { } underlying ? underlying
        : type.IsGenericType && type.GetGenericArguments() is [var argument] ? ElementType(argument)
        : type;

    /// <summary>The first cell (a type name in backticks) of every body row of the first table under <paramref name="heading"/>.</summary>
    private static List<string> CatalogueRows(string heading)
    {
        var lines = File.ReadAllLines(Path.Combine(RepositoryRoot(), "docs", "events.md"));
        var start = Array.FindIndex(lines, line => line.Trim() == heading);
        Assert.That(start, Is.Not.Negative, $"docs/events.md has no heading '{heading}'");

        var table = lines.Skip(start + 1)
            .SkipWhile(line => !line.TrimStart().StartsWith('|'))
            .TakeWhile(line => line.TrimStart().StartsWith('|'))
            .ToList();
        Assert.That(table, Has.Count.GreaterThan(2), $"no table with rows under '{heading}' in docs/events.md");

        // Row 0 is the header, row 1 the separator; a body row whose first cell is not a type name in backticks
        // is kept as written, so it fails the comparison instead of being skipped.
        return table.Skip(2)
            .Select(row => row.Trim().TrimStart('|').Split('|')[0].Trim())
            .Select(cell => BacktickedName().Match(cell) is { Success: true } match ? match.Groups[1].Value : cell)
            .ToList();
    }

    [GeneratedRegex(@"^`([^`]+)`$")]
    private static partial Regex BacktickedName();

    private static string RepositoryRoot()
    {
        for (var dir = new DirectoryInfo(TestContext.CurrentContext.TestDirectory); dir is not null; dir = dir.Parent)
        {
            if (File.Exists(Path.Combine(dir.FullName, "BankClientele.sln")))
            {
                return dir.FullName;
            }
        }
        throw new InvalidOperationException("BankClientele.sln not found above the test directory.");
    }
}
