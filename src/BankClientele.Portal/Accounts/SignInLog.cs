using System.Security.Cryptography;
using System.Text;

namespace BankClientele.Portal.Accounts;

/// <summary>How a sign-in attempt is named in the log: never the user name in clear (a mistyped password is often typed into it).</summary>
public static class SignInLog
{
    /// <summary>A short SHA-256 of the trimmed, lower-case user name: the same user gives the same value, so attempts can be followed.</summary>
    public static string UserNameHash(string? userName) =>
        "u:" + Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes((userName ?? "").Trim().ToLowerInvariant())))[..16];
}
