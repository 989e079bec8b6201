using System.Security.Cryptography;
using System.Text;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace BankClientele.CustomerCare.Calendar;

/// <summary>
/// A manager's secret calendar link (calendar apps cannot sign in). Only the token's hash is kept,
/// so the table leaks no working link; rotating replaces it, deleting revokes it.
/// </summary>
public sealed class CalendarLink
{
    public required string StaffId { get; init; }
    public required string TokenHash { get; set; }
    public DateTimeOffset CreatedAt { get; set; }

    public static string NewToken() => Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(24));

    public static string Hash(string token) => Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(token)));
}

internal sealed class CalendarLinkConfiguration : IEntityTypeConfiguration<CalendarLink>
{
    public void Configure(EntityTypeBuilder<CalendarLink> e)
    {
        e.HasKey(l => l.StaffId);
        e.Property(l => l.StaffId).HasMaxLength(40);
        e.Property(l => l.TokenHash).HasMaxLength(64);
        e.HasIndex(l => l.TokenHash).IsUnique();
    }
}
