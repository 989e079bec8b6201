namespace BankClientele.Contracts.Acquisition;

/// <summary>
/// The existing customers a targeted campaign reaches (<paramref name="Treated"/>) and its random
/// holdout (<paramref name="Control"/>), for uplift measurement in Insights. Sent in chunks
/// (<paramref name="Chunk"/> of <paramref name="ChunkCount"/>, from 1) for large audiences.
/// </summary>
public sealed record CampaignAudienceAssigned(
    string CampaignCode,
    string BranchCode,
    DateOnly StartsOn,
    int Chunk,
    int ChunkCount,
    IReadOnlyList<Guid> Treated,
    IReadOnlyList<Guid> Control);
