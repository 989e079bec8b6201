using System.Buffers.Binary;
using System.Security.Cryptography;
using System.Text;

namespace BankClientele.Hosting.Customers;

/// <summary>
/// Which members of a campaign's audience are held out as the control group: a stable hash of the
/// campaign and the customer, so the split is random with respect to the customers, reproducible,
/// and the same whichever service asks.
/// </summary>
public static class CampaignHoldout
{
    /// <summary>True for about <paramref name="fraction"/> of the customers of an audience.</summary>
    public static bool IsControl(string campaignCode, Guid customerId, double fraction)
    {
        if (fraction <= 0)
        {
            return false;
        }
        Span<byte> hash = stackalloc byte[32];
        SHA256.HashData(Encoding.UTF8.GetBytes($"{campaignCode}|{customerId:N}"), hash);
        var unit = BinaryPrimitives.ReadUInt64BigEndian(hash) / (double)ulong.MaxValue;
        return unit < fraction;
    }
}
