using System.Security.Cryptography;
using System.Text;
using BankClientele.Hosting.Secrets;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;

namespace BankClientele.Hosting.Privacy;

/// <summary>
/// Keyed hashes (HMAC-SHA256) of normalised phone and ID numbers, so services can match a person
/// (a prospect to a new account, a walk-in to a customer) without storing or sending the numbers.
/// Every service reads the same key from Privacy:MatchingKey; there is no default (a key in the
/// source would let anyone with the source confirm a guessed phone number against a hash).
/// </summary>
public sealed class PersonalDataHash(string key)
{
    public const string KeySetting = "Privacy:MatchingKey";
    public const int MinimumKeyBytes = 32;

    private readonly byte[] keyBytes = Encoding.UTF8.GetBytes(key);

    /// <summary>Why the configured key is not acceptable, or null when it is.</summary>
    public static string? KeyProblem(IConfiguration configuration) =>
        SecretSettings.Problem(KeySetting, configuration[KeySetting], MinimumKeyBytes);

    public static PersonalDataHash FromConfiguration(IConfiguration configuration) =>
        KeyProblem(configuration) is { } problem ? throw new InvalidOperationException(problem) : new(configuration[KeySetting]!);

    /// <summary>A throw-away key, for benches whose hashes are never matched against anything.</summary>
    public static PersonalDataHash WithRandomKey() =>
        new(Convert.ToBase64String(RandomNumberGenerator.GetBytes(MinimumKeyBytes)));

    /// <summary>The service's hasher, its key checked when the host starts.</summary>
    public static IServiceCollection AddPersonalDataHash(IServiceCollection services)
    {
        services.RequireSecret(KeyProblem);
        services.AddSingleton(provider => FromConfiguration(provider.GetRequiredService<IConfiguration>()));
        return services;
    }

    /// <summary>Hash of a phone number, or null when it has no digits to match on.</summary>
    public string? Phone(string? phone) => NormalisePhone(phone) is { } normalised ? Hash("phone:" + normalised) : null;

    /// <summary>Hash of an ID number (resident ID card and others), or null when empty.</summary>
    public string? IdNumber(string? idNumber) => NormaliseIdNumber(idNumber) is { } normalised ? Hash("id:" + normalised) : null;

    /// <summary>
    /// Hash of a card or account number (letters and digits, upper case), or null when empty: how
    /// events name an account without its number.
    /// </summary>
    public string? AccountNumber(string? accountNumber) => NormaliseIdNumber(accountNumber) is { } normalised ? Hash("account:" + normalised) : null;

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

    /// <summary>
    /// The same hashes for a stream of values on one thread (a list import): one HMAC context reused
    /// and the value normalised in place, several times faster per value than the one-shot calls.
    /// </summary>
    public Hasher CreateHasher() => new(this);

    /// <summary>Not thread-safe; dispose when done.</summary>
    public sealed class Hasher(PersonalDataHash owner) : IDisposable
    {
        private readonly IncrementalHash hmac = IncrementalHash.CreateHMAC(HashAlgorithmName.SHA256, owner.keyBytes);
        private readonly byte[] buffer = new byte[128];

        /// <summary>As <see cref="PersonalDataHash.Phone"/>.</summary>
        public string? Phone(ReadOnlySpan<char> phone)
        {
            "phone:"u8.CopyTo(buffer);
            var length = 6;
            foreach (var c in phone)
            {
                if (char.IsAsciiDigit(c))
                {
                    if (length == buffer.Length)
                    {
                        return Fallback(phone, isPhone: true);
                    }
                    buffer[length++] = (byte)c;
                }
            }
            var digits = buffer.AsSpan(6, length - 6);
            var start = digits.StartsWith("0086"u8) ? 4 : digits.Length == 13 && digits.StartsWith("86"u8) ? 2 : 0;
            if (digits.Length - start < 7)
            {
                return null;
            }
            if (start > 0)
            {
                digits[start..].CopyTo(buffer.AsSpan(6));
                length -= start;
            }
            return Hash(length);
        }

        /// <summary>As <see cref="PersonalDataHash.IdNumber"/>.</summary>
        public string? IdNumber(ReadOnlySpan<char> idNumber)
        {
            "id:"u8.CopyTo(buffer);
            var length = 3;
            foreach (var c in idNumber)
            {
                if (char.IsAsciiLetterOrDigit(c))
                {
                    if (length == buffer.Length)
                    {
                        return Fallback(idNumber, isPhone: false);
                    }
                    buffer[length++] = (byte)char.ToUpperInvariant(c);
                }
            }
            return length > 3 ? Hash(length) : null;
        }

        private string Hash(int length)
        {
            Span<byte> hash = stackalloc byte[32];
            hmac.AppendData(buffer, 0, length);
            hmac.GetHashAndReset(hash);
            return Convert.ToHexStringLower(hash);
        }

        // A value too long for the buffer (not a real phone or ID number) takes the one-shot path.
        private string? Fallback(ReadOnlySpan<char> value, bool isPhone) =>
            isPhone ? owner.Phone(value.ToString()) : owner.IdNumber(value.ToString());

        public void Dispose() => hmac.Dispose();
    }
}
