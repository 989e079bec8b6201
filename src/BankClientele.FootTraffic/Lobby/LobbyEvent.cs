using BankClientele.Hosting.Auth;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace BankClientele.FootTraffic.Lobby;

/// <summary>A lobby event (厅堂活动) a branch lead plans: theme, target, capacity, budget, staff and slot.</summary>
public sealed class LobbyEvent : IBranchOwned
{
    public Guid Id { get; init; }
    public required string BranchCode { get; init; }
    public required string Theme { get; init; }
    public DateTimeOffset StartsAt { get; init; }
    public DateTimeOffset EndsAt { get; init; }
    public int Capacity { get; init; }
    public decimal Budget { get; init; }
    public List<string> Staff { get; init; } = [];
    /// <summary>Tiers, value segments or lifecycle stages of existing customers invited.</summary>
    public List<string> TargetSegments { get; init; } = [];
    public bool TargetsProspects { get; init; }
    public required string PlannedBy { get; init; }
    public DateTimeOffset PlannedAt { get; init; }

    /// <summary>The campaign the event is held for, if any: its holdout is never invited.</summary>
    public string? CampaignCode { get; init; }

    /// <summary>Customers targeted or named but left off the guest list as held out of <see cref="CampaignCode"/>.</summary>
    public int HeldOutExcluded { get; set; }
}

/// <summary>An invitation to an existing customer or a prospect.</summary>
public sealed class LobbyInvitation : IBranchOwned
{
    public Guid Id { get; init; }
    public Guid LobbyEventId { get; init; }
    public required string BranchCode { get; init; }
    public Guid? CustomerId { get; init; }
    public Guid? ProspectId { get; init; }
    public DateTimeOffset IssuedAt { get; init; }
}

/// <summary>Someone checked in at the event: a customer, an invited prospect, or a captured walk-in.</summary>
public sealed class LobbyAttendance : IBranchOwned
{
    public Guid Id { get; init; }
    public Guid LobbyEventId { get; init; }
    public required string BranchCode { get; init; }
    public Guid? CustomerId { get; init; }
    public Guid? ProspectId { get; init; }
    public Guid? WalkInId { get; init; }
    public DateTimeOffset CheckedInAt { get; init; }
}

/// <summary>What an event is credited with: an account opened or a product sold, and the deposit it raised (yuan).</summary>
public sealed class LobbyOutcome : IBranchOwned
{
    /// <summary>The id of what is credited (the prospect converted, the offer accepted): credited once.</summary>
    public Guid Id { get; init; }
    /// <summary>Settable: a conversion's credit moves when a better-placed fact (its walk-in) arrives late.</summary>
    public Guid LobbyEventId { get; set; }
    public required string BranchCode { get; set; }
    public required string Kind { get; init; }
    public Guid CustomerId { get; init; }
    public decimal Amount { get; init; }
    public DateTimeOffset At { get; init; }

    public const string AccountOpened = "account";
    public const string ProductSold = "product";
}

/// <summary>
/// A walk-in who is not a customer and consented to be contacted. Only masked name and phone and the
/// phone's matching hash are kept here; the phone itself went to Acquisition with the consent.
/// </summary>
public sealed class WalkIn : IBranchOwned
{
    public Guid Id { get; init; }
    public required string BranchCode { get; init; }
    public required string NameMasked { get; init; }
    public required string PhoneMasked { get; init; }
    public required string PhoneHash { get; init; }
    public string? Interest { get; init; }
    public string? GreeterStaffId { get; init; }
    public Guid? LobbyEventId { get; init; }
    public required string ConsentWording { get; init; }
    public DateTimeOffset ConsentedAt { get; init; }
    public DateTimeOffset IdentifiedAt { get; init; }
    public Guid? ConvertedCustomerId { get; set; }
    public DateTimeOffset? ConvertedAt { get; set; }
    public decimal? InitialDeposit { get; set; }
}

public sealed class LobbyConfiguration :
    IEntityTypeConfiguration<LobbyEvent>, IEntityTypeConfiguration<LobbyInvitation>, IEntityTypeConfiguration<LobbyAttendance>,
    IEntityTypeConfiguration<LobbyOutcome>, IEntityTypeConfiguration<WalkIn>
{
    public void Configure(EntityTypeBuilder<LobbyEvent> e)
    {
        e.ToTable("lobby_events");
        e.Property(x => x.BranchCode).HasMaxLength(20);
        e.Property(x => x.Theme).HasMaxLength(200);
        e.Property(x => x.PlannedBy).HasMaxLength(40);
        e.Property(x => x.CampaignCode).HasMaxLength(40);
        e.Property(x => x.Budget).HasPrecision(14, 2);
        e.HasIndex(x => new { x.BranchCode, x.StartsAt });
    }

    public void Configure(EntityTypeBuilder<LobbyInvitation> e)
    {
        e.ToTable("lobby_invitations");
        e.Property(x => x.BranchCode).HasMaxLength(20);
        e.HasIndex(x => new { x.LobbyEventId, x.CustomerId }).IsUnique().HasFilter("customer_id IS NOT NULL");
        e.HasIndex(x => new { x.LobbyEventId, x.ProspectId }).IsUnique().HasFilter("prospect_id IS NOT NULL");
        e.HasIndex(x => x.ProspectId).HasFilter("prospect_id IS NOT NULL");
    }

    public void Configure(EntityTypeBuilder<LobbyAttendance> e)
    {
        e.ToTable("lobby_attendances");
        e.Property(x => x.BranchCode).HasMaxLength(20);
        e.HasIndex(x => x.LobbyEventId);
        e.HasIndex(x => x.CustomerId).HasFilter("customer_id IS NOT NULL");
    }

    public void Configure(EntityTypeBuilder<LobbyOutcome> e)
    {
        e.ToTable("lobby_outcomes");
        e.HasKey(x => new { x.Id, x.Kind });
        e.Property(x => x.BranchCode).HasMaxLength(20);
        e.Property(x => x.Kind).HasMaxLength(10);
        e.Property(x => x.Amount).HasPrecision(16, 2);
        e.HasIndex(x => x.LobbyEventId);
    }

    public void Configure(EntityTypeBuilder<WalkIn> e)
    {
        e.ToTable("walk_ins");
        e.Property(x => x.BranchCode).HasMaxLength(20);
        e.Property(x => x.NameMasked).HasMaxLength(100);
        e.Property(x => x.PhoneMasked).HasMaxLength(30);
        e.Property(x => x.PhoneHash).HasMaxLength(64);
        e.Property(x => x.Interest).HasMaxLength(100);
        e.Property(x => x.GreeterStaffId).HasMaxLength(40);
        e.Property(x => x.ConsentWording).HasMaxLength(1000);
        e.Property(x => x.InitialDeposit).HasPrecision(16, 2);
        e.HasIndex(x => x.PhoneHash);
        e.HasIndex(x => new { x.BranchCode, x.IdentifiedAt });
    }
}
