using System.Text.Json;
using BankClientele.Contracts.Acquisition;

namespace BankClientele.Hosting.Messaging;

/// <summary>Resolves stored message type names against the Contracts assembly, and only against it.</summary>
public static class ContractTypes
{
    public static readonly JsonSerializerOptions JsonOptions = new(JsonSerializerDefaults.Web);

    public static Type Resolve(string fullName) =>
        typeof(ProspectConverted).Assembly.GetType(fullName, throwOnError: false)
        ?? throw new InvalidOperationException($"'{fullName}' is not a message of BankClientele.Contracts.");
}
