using BankClientele.Hosting.Customers;

namespace BankClientele.CustomerCare.Campaigns;

/// <summary>CustomerCare's copy of each targeted campaign's audience (ids only), so offers and reminders made for a campaign skip its holdout.</summary>
public sealed class CampaignAudienceConsumer(CustomerCareDbContext db) : CampaignAudienceConsumer<CustomerCareDbContext>(db);
