using System.Text.Json;
using BankClientele.Contracts.Acquisition;

namespace BankClientele.Hosting.Messaging;

/// <summary>Resolves stored message type names against the Contracts assembly, and only against it.</summary>
public static class ContractTypes
{
    public static readonly JsonSerializerOptions JsonOptions = new(JsonSerializerDefaults.Web);

    /// <summary>The name a contract is stored under in outbox tables (and resolved by <see cref="Resolve"/>).</summary>
    public static string NameOf(Type contract) =>
        contract.Assembly == typeof(ProspectConvertedV2).Assembly && contract.FullName is { } name
            ? name
            : throw new InvalidOperationException($"'{contract}' is not a message of BankClientele.Contracts.");

    /// <summary>Every message record of BankClientele.Contracts.</summary>
    public static IEnumerable<Type> All =>
        typeof(ProspectConvertedV2).Assembly.GetExportedTypes().Where(t => t.IsClass && !t.IsAbstract && t.Namespace?.StartsWith("BankClientele.Contracts", StringComparison.Ordinal) == true);

    public static Type Resolve(string fullName) =>
        typeof(ProspectConvertedV2).Assembly.GetType(fullName, throwOnError: false)
        ?? throw new InvalidOperationException($"'{fullName}' is not a message of BankClientele.Contracts.");
}
