using BankClientele.Contracts.Acquisition;
using BankClientele.Hosting.Database;
using BankClientele.Hosting.Messaging;
using BankClientele.Hosting.Refusals;
using Microsoft.AspNetCore.Http;
using Microsoft.EntityFrameworkCore;

namespace BankClientele.Hosting.Customers;

/// <summary>
/// A service's copy of a targeted campaign's audience, from Acquisition's <see cref="CampaignAudienceAssigned"/>:
/// ids only. Services that can contact a customer on a campaign's behalf (offers, invitations, their reminders)
/// read it to keep the campaign's holdout uncontacted, without asking Acquisition at the moment of contact.
/// </summary>
public sealed class CampaignMembership
{
    public required string CampaignCode { get; init; }
    public Guid CustomerId { get; init; }

    /// <summary>In the campaign's random holdout (control group): never contacted for the campaign.</summary>
    public bool HeldOut { get; init; }
}

/// <summary>What a service knows of a campaign's audience when a contact names the campaign.</summary>
/// <param name="Known">Any chunk of the audience has arrived; unknown means the contact cannot be checked and is refused.</param>
/// <param name="Members">Those of the asked customers who are in the audience at all (treated or held out).</param>
public sealed record CampaignAudienceCheck(bool Known, IReadOnlySet<Guid> HeldOut, IReadOnlySet<Guid> Members);

public static class CampaignMemberships
{
    /// <summary>The problem's <c>code</c> for a contact refused because the customer is in the campaign's holdout.</summary>
    public const string HeldOutCode = ProblemCodes.HeldOutOfCampaign;

    /// <summary>The problem's <c>code</c> for a contact named for a campaign whose audience does not include the customer.</summary>
    public const string NotInAudienceCode = ProblemCodes.NotInCampaignAudience;

    /// <summary>The problem's <c>code</c> for a campaign whose audience this service has not received (yet).</summary>
    public const string UnknownCampaignCode = ProblemCodes.CampaignAudienceUnknown;

    /// <summary>Maps <c>campaign_memberships</c>; called from the OnModelCreating of each service that keeps the copy.</summary>
    public static ModelBuilder MapCampaignMemberships(this ModelBuilder modelBuilder)
    {
        modelBuilder.Entity<CampaignMembership>(e =>
        {
            e.ToTable("campaign_memberships");
            e.HasKey(m => new { m.CampaignCode, m.CustomerId });
            e.Property(m => m.CampaignCode).HasMaxLength(40);
        });
        return modelBuilder;
    }

    /// <summary>Which of <paramref name="customerIds"/> are held out of <paramref name="campaignCode"/>, and whether the campaign is known here.</summary>
    public static async Task<CampaignAudienceCheck> CheckAsync(ServiceDbContext db, string campaignCode, IReadOnlyCollection<Guid> customerIds, CancellationToken ct)
    {
        var memberships = db.Set<CampaignMembership>().AsNoTracking().Where(m => m.CampaignCode == campaignCode);
        var known = await memberships.AnyAsync(ct);
        var asked = customerIds.Count == 0 ? [] : await memberships
            .Where(m => customerIds.Contains(m.CustomerId)).Select(m => new { m.CustomerId, m.HeldOut }).ToListAsync(ct);
        return new CampaignAudienceCheck(known, asked.Where(m => m.HeldOut).Select(m => m.CustomerId).ToHashSet(),
            asked.Select(m => m.CustomerId).ToHashSet());
    }

    /// <summary>
    /// The problem for a contact refused for a held-out customer: 409, naming the field, with codes the portal words
    /// (<c>code</c>, <c>campaignCode</c>).
    /// </summary>
    public static IResult HeldOutProblem(string campaignCode, string field) =>
        TypedResults.Problem(statusCode: StatusCodes.Status409Conflict, title: "Held out of campaign",
            detail: $"The customer is held out of campaign {campaignCode} (its control group): no contact for the campaign.",
            extensions: new Dictionary<string, object?> { ["field"] = field, ["code"] = HeldOutCode, ["campaignCode"] = campaignCode });

    /// <summary>
    /// The problem for an offer credited to a campaign the customer is not in: 409, naming the field (a contact
    /// outside the audience would blur what the campaign's treated and held-out groups measure).
    /// </summary>
    public static IResult NotInAudienceProblem(string campaignCode, string field) =>
        TypedResults.Problem(statusCode: StatusCodes.Status409Conflict, title: "Not in the campaign's audience",
            detail: $"The customer is not in the audience of campaign {campaignCode}: an offer for the campaign goes to its treated customers only.",
            extensions: new Dictionary<string, object?> { ["field"] = field, ["code"] = NotInAudienceCode, ["campaignCode"] = campaignCode });

    /// <summary>The problem for a campaign whose audience has not reached this service: 422, naming the field.</summary>
    public static IResult UnknownCampaignProblem(string campaignCode, string field) =>
        TypedResults.Problem(statusCode: StatusCodes.Status422UnprocessableEntity, title: "Campaign audience unknown",
            detail: $"No audience of campaign {campaignCode} is known here (not a targeted campaign with an audience, or not arrived yet): its holdout cannot be kept.",
            extensions: new Dictionary<string, object?> { ["field"] = field, ["code"] = UnknownCampaignCode, ["campaignCode"] = campaignCode });
}

/// <summary>
/// Keeps the service's copy of campaign audiences. Each chunk's ids are inserted with the inbox record in one
/// round trip; ON CONFLICT makes a re-sent chunk (a new message id for the same members) change nothing too.
/// An audience is fixed once drawn, so a member never moves between the groups.
/// </summary>
public abstract class CampaignAudienceConsumer<TContext>(TContext db) : InboxConsumer<CampaignAudienceAssigned, TContext>(db)
    where TContext : ServiceDbContext
{
    protected override IReadOnlyList<FormattableString> Statements(CampaignAudienceAssigned message) =>
    [
        $"""
        INSERT INTO campaign_memberships (campaign_code, customer_id, held_out)
        SELECT {message.CampaignCode}, t.id, false FROM unnest({message.Treated.ToArray()}::uuid[]) AS t(id)
        UNION ALL
        SELECT {message.CampaignCode}, c.id, true FROM unnest({message.Control.ToArray()}::uuid[]) AS c(id)
        ON CONFLICT DO NOTHING
        """,
    ];
}
