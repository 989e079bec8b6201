using BankClientele.Contracts.Acquisition;
using BankClientele.Hosting.Privacy;
using Microsoft.EntityFrameworkCore;

namespace BankClientele.Acquisition.Prospects;

public sealed record ConsentGiven(string Channel, string Wording);

/// <summary>
/// A person arriving through any channel (staff entry, lobby, event sign-up, referral).
/// <paramref name="PhoneHash"/> stands in for the phone where only its hash travelled (a lobby walk-in).
/// </summary>
public sealed record Arrival(
    string FullName, string Phone, string? IdNumber, string BranchCode, string? CampaignCode, string Channel, string? StaffId,
    DateTimeOffset At, string? ReferralCode = null, string? District = null, string? AgeBand = null, string? Occupation = null,
    string? Tags = null, ConsentGiven? MarketingConsent = null, string? City = null, string? Community = null, string? IncomeBand = null,
    string? PhoneHash = null);

public sealed record IntakeResult(Prospect? Prospect, bool Merged, bool ExistingCustomer);

/// <summary>
/// One person, one prospect: an arrival is matched on its phone or ID number hash, merged into the
/// prospect it matches (with a touch for its history) or recorded as a new one; existing customers
/// are left out. The caller saves.
/// </summary>
public static class ProspectIntake
{
    public static async Task<IntakeResult> ArriveAsync(AcquisitionDbContext db, PersonalDataHash hash, Arrival arrival, Guid? newId, CancellationToken ct)
    {
        var phoneHash = arrival.PhoneHash ?? hash.Phone(arrival.Phone);
        var idHash = hash.IdNumber(arrival.IdNumber);
        if (await db.ExistingCustomers.AnyAsync(c => (phoneHash != null && c.PhoneHash == phoneHash) || (idHash != null && c.IdNumberHash == idHash), ct))
        {
            return new IntakeResult(null, false, true);
        }
        var prospect = await db.Prospects
            .Where(p => (phoneHash != null && p.PhoneHash == phoneHash) || (idHash != null && p.IdNumberHash == idHash))
            .OrderBy(p => p.CreatedAt).FirstOrDefaultAsync(ct);
        var merged = prospect is not null;
        if (prospect is null)
        {
            prospect = new Prospect
            {
                Id = newId ?? Guid.CreateVersion7(),
                FullName = arrival.FullName,
                Phone = arrival.Phone,
                BranchCode = arrival.BranchCode,
                Channel = arrival.Channel,
                CreatedAt = arrival.At,
                CreatedBy = arrival.StaffId ?? arrival.Channel,
                Stage = LeadStage.New,
            };
            db.Prospects.Add(prospect);
            // Its id and branch, for the services that are told prospect ids (FootTraffic's lobby invitations).
            db.Publish(new ProspectsRecorded(prospect.BranchCode, [prospect.Id], arrival.At));
        }
        Merge(prospect, arrival, phoneHash, idHash);
        db.ProspectTouches.Add(new ProspectTouch
        {
            Id = Guid.CreateVersion7(), ProspectId = prospect.Id, Channel = arrival.Channel, CampaignCode = arrival.CampaignCode,
            BranchCode = arrival.BranchCode, StaffId = arrival.StaffId, At = arrival.At,
        });
        if (arrival.MarketingConsent is { } consent)
        {
            var record = new ProspectConsent
            {
                Id = Guid.CreateVersion7(), ProspectId = prospect.Id, Kind = ConsentKinds.Marketing, Given = true,
                Channel = consent.Channel, Wording = consent.Wording, At = arrival.At, RecordedBy = arrival.StaffId,
            };
            db.ProspectConsents.Add(record);
            ConsentRules.Apply(prospect, record);
        }
        return new IntakeResult(prospect, merged, false);
    }

    /// <summary>Fills what the prospect lacks; a newer campaign touch becomes the attributed campaign.</summary>
    public static void Merge(Prospect prospect, Arrival arrival, string? phoneHash, string? idHash)
    {
        prospect.PhoneHash ??= phoneHash;
        prospect.IdNumberHash ??= idHash;
        prospect.IdNumber ??= arrival.IdNumber;
        prospect.ReferralCode ??= arrival.ReferralCode;
        prospect.District ??= arrival.District;
        prospect.AgeBand ??= arrival.AgeBand;
        prospect.Occupation ??= arrival.Occupation;
        prospect.City ??= arrival.City;
        prospect.Community ??= arrival.Community;
        prospect.IncomeBand ??= arrival.IncomeBand;
        if (arrival.Tags is { Length: > 0 } tags)
        {
            var all = (prospect.Tags ?? "").Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries)
                .Concat(tags.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries)).Distinct();
            var joined = string.Join(",", all);
            prospect.Tags = joined.Length <= 200 ? joined : joined[..200];
        }
        if (arrival.CampaignCode is not null)
        {
            prospect.CampaignCode = arrival.CampaignCode;
        }
    }
}
