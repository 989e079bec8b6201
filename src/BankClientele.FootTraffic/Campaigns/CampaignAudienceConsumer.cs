using BankClientele.Hosting.Customers;

namespace BankClientele.FootTraffic.Campaigns;

/// <summary>FootTraffic's copy of each targeted campaign's audience (ids only), so a lobby event held for a campaign never invites its holdout.</summary>
public sealed class CampaignAudienceConsumer(FootTrafficDbContext db) : CampaignAudienceConsumer<FootTrafficDbContext>(db);
