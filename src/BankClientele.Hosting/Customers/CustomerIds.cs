using System.Security.Cryptography;
using System.Text;

namespace BankClientele.Hosting.Customers;

/// <summary>
/// The id a customer has in every service, derived from the core-banking customer number, so the
/// feed and a conversion in Acquisition arrive at the same customer whichever comes first.
/// </summary>
public static class CustomerIds
{
    private static readonly Guid Namespace = new("6f1c2a4e-5b8d-4e0f-9a3c-1d2b3c4d5e6f");

    /// <summary>A name-based (RFC 9562 version 5, SHA-1) UUID of the customer number.</summary>
    public static Guid FromCustomerNumber(string customerNumber)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(customerNumber);
        var name = Encoding.UTF8.GetBytes(customerNumber.Trim());
        var input = new byte[16 + name.Length];
        Namespace.TryWriteBytes(input, bigEndian: true, out _);
        name.CopyTo(input, 16);
        var hash = SHA1.HashData(input);
        hash[6] = (byte)((hash[6] & 0x0F) | 0x50);
        hash[8] = (byte)((hash[8] & 0x3F) | 0x80);
        return new Guid(hash.AsSpan(0, 16), bigEndian: true);
    }
}
