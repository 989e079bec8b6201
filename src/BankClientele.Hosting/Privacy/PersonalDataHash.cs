using System.Security.Cryptography;
using System.Text;
using Microsoft.Extensions.Configuration;

namespace BankClientele.Hosting.Privacy;

/// <summary>
/// Keyed hashes (HMAC-SHA256) of normalised phone and ID numbers, so services can match a person
/// (a prospect to a new account, a walk-in to a customer) without storing or sending the numbers.
/// Every service reads the same key from Privacy:MatchingKey.
/// </summary>
public sealed class PersonalDataHash(string key)
{
    /// <summary>Used where no key is configured (development and tests); production sets its own.</summary>
    public const string DevelopmentKey = "bankclientele-development-matching-key";

    private readonly byte[] keyBytes = Encoding.UTF8.GetBytes(key);

    public static PersonalDataHash FromConfiguration(IConfiguration configuration) =>
        new(configuration["Privacy:MatchingKey"] is { Length: > 0 } key ? key : DevelopmentKey);

    /// <summary>Hash of a phone number, or null when it has no digits to match on.</summary>
    public string? Phone(string? phone) => NormalisePhone(phone) is { } normalised ? Hash("phone:" + normalised) : null;

    /// <summary>Hash of an ID number (resident ID card and others), or null when empty.</summary>
    public string? IdNumber(string? idNumber) => NormaliseIdNumber(idNumber) is { } normalised ? Hash("id:" + normalised) : null;

    /// <summary>Digits only, without a leading +86 / 0086 country code: "+86 138-1234-5678" → "13812345678".</summary>
    public static string? NormalisePhone(string? phone)
    {
        if (string.IsNullOrWhiteSpace(phone))
        {
            return null;
        }
        var digits = new string(phone.Where(char.IsAsciiDigit).ToArray());
        if (digits.StartsWith("0086", StringComparison.Ordinal))
        {
            digits = digits[4..];
        }
        else if (digits.Length == 13 && digits.StartsWith("86", StringComparison.Ordinal))
        {
            digits = digits[2..];
        }
        return digits.Length >= 7 ? digits : null;
    }

    /// <summary>Letters and digits only, upper case (the check character X of a resident ID).</summary>
    public static string? NormaliseIdNumber(string? idNumber)
    {
        if (string.IsNullOrWhiteSpace(idNumber))
        {
            return null;
        }
        var kept = new string(idNumber.Where(char.IsAsciiLetterOrDigit).Select(char.ToUpperInvariant).ToArray());
        return kept.Length > 0 ? kept : null;
    }

    private string Hash(string value) => Convert.ToHexStringLower(HMACSHA256.HashData(keyBytes, Encoding.UTF8.GetBytes(value)));
}
