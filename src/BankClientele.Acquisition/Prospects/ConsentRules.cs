using BankClientele.Hosting.Refusals;

namespace BankClientele.Acquisition.Prospects;

/// <summary>Why a marketing contact is refused, or null when it may go ahead.</summary>
public sealed record ContactRefusal(string Code, string Title, string Detail);

/// <summary>
/// PIPL's rules for marketing contact: only with current marketing consent, never to a phone on the
/// do-not-contact list; a withdrawal stops further marketing at once (it clears the consent).
/// </summary>
public static class ConsentRules
{
    public static ContactRefusal? CheckContact(Prospect prospect, bool onDoNotContactList)
    {
        if (onDoNotContactList)
        {
            return new(ProblemCodes.DoNotContact, "On the do-not-contact list", "This person asked not to be contacted; no marketing contact may be made.");
        }
        if (prospect.IsConverted)
        {
            return new(ProblemCodes.AlreadyACustomer, "Already a customer", "The prospect opened an account; they are served by CustomerCare now.");
        }
        if (!prospect.MarketingConsent)
        {
            return new(ProblemCodes.NoMarketingConsent, "No marketing consent", "Record the person's marketing consent (time, channel, wording) before contacting them.");
        }
        return null;
    }

    /// <summary>Applies a consent given or withdrawn to the prospect's current state.</summary>
    public static void Apply(Prospect prospect, ProspectConsent consent)
    {
        switch (consent.Kind)
        {
            case ConsentKinds.Marketing:
                prospect.MarketingConsent = consent.Given;
                break;
            case ConsentKinds.FinancialData:
                prospect.FinancialDataConsent = consent.Given;
                break;
            default:
                throw new ArgumentException($"Unknown consent kind '{consent.Kind}'.", nameof(consent));
        }
    }
}
