using System.Reflection;

namespace BankClientele.Hosting.Refusals;

/// <summary>
/// The stable <c>code</c> extension of a 4xx problem a portal form can meet: the services keep their English
/// title and detail for API users, the portal words the code in the reader's language (resx <c>Problem.{code}</c>,
/// with the problem's string extensions, such as <c>campaignCode</c>, as its <c>{name}</c> placeholders).
/// </summary>
public static class ProblemCodes
{
    /// <summary>A 400 whose <c>errors</c> name the fields at fault (every validation problem without a code of its own).</summary>
    public const string InvalidFields = "invalid-fields";
    public const string BranchOutOfScope = "branch-out-of-scope";
    public const string CustomersOfAnotherBranch = "customers-of-another-branch";
    public const string ProspectsOfAnotherBranch = "prospects-of-another-branch";
    public const string CampaignOfAnotherBranch = "campaign-of-another-branch";
    public const string MaskedForRole = "masked-for-role";
    public const string ApprovalNeedsBranchLead = "approval-needs-branch-lead";
    public const string CampaignExists = "campaign-exists";
    public const string CampaignNotUnsubmittedDraft = "campaign-not-unsubmitted-draft";
    public const string CampaignWrongStatus = "campaign-wrong-status";
    public const string CampaignNotApproved = "campaign-not-approved";
    public const string CampaignNotTargeted = "campaign-not-targeted";
    public const string AudienceAlreadyAssigned = "audience-already-assigned";
    public const string SegmentExists = "segment-exists";
    public const string PartnerNotFound = "partner-not-found";
    public const string AlreadyACustomer = "already-a-customer";
    public const string NoMarketingConsent = "no-marketing-consent";
    public const string DoNotContact = "on-do-not-contact-list";
    public const string AnotherBranch = "another-branch";
    public const string Deactivated = "deactivated";
    public const string ManagerNotTakingCustomers = "manager-not-taking-customers";
    public const string AlreadyAssigned = "already-assigned";
    public const string ManagerAtCapacity = "manager-at-capacity";
    public const string RevisitAlreadyClosed = "revisit-already-closed";
    public const string OfferNotSuitable = "offer-not-suitable";
    public const string OfferAlreadyDecided = "offer-already-decided";
    public const string OfferExpired = "offer-expired";
    public const string HeldOutOfCampaign = "held-out-of-campaign";
    public const string NotInCampaignAudience = "not-in-campaign-audience";
    public const string CampaignAudienceUnknown = "campaign-audience-unknown";
    public const string ImportBadRows = "import-bad-rows";
    public const string ImportTooLarge = "import-too-large";
    public const string ImportUnreadable = "import-unreadable";

    /// <summary>Every code above, for the test that each has its words in both languages.</summary>
    public static IReadOnlyList<string> All { get; } = Constants(typeof(ProblemCodes));

    internal static IReadOnlyList<string> Constants(Type type) =>
        [.. type.GetFields(BindingFlags.Public | BindingFlags.Static).Where(f => f.IsLiteral).Select(f => (string)f.GetRawConstantValue()!)];
}

/// <summary>
/// Why one field of an import row is refused: each row error carries one of these as its <c>code</c> (beside the
/// English message the CLI prints), and the portal words it (resx <c>Reason.{code}</c>) after the field's label.
/// </summary>
public static class FieldReasons
{
    public const string Required = "required";
    public const string TooLong = "too-long";
    public const string MissingColumn = "missing-column";
    public const string NotADate = "not-a-date";
    public const string NotATime = "not-a-time";
    public const string NotAnAmount = "not-an-amount";
    public const string OutOfRange = "out-of-range";
    public const string InTheFuture = "in-the-future";
    public const string BeforeEarlierEvent = "before-earlier-event";
    public const string LettersAndDigitsOnly = "letters-and-digits-only";
    public const string DigitsOnly = "digits-only";
    public const string NotAPhone = "not-a-phone";
    public const string NotAnIdNumber = "not-an-id-number";
    public const string ImplausibleBirthDate = "implausible-birth-date";
    public const string NotOneOf = "not-one-of";
    public const string OutOfScope = "out-of-scope";
    public const string ServedNotAbandoned = "served-not-abandoned";
    public const string ConsentIncomplete = "consent-incomplete";
    public const string FinancialConsentNeedsMarketing = "financial-consent-needs-marketing";
    public const string Duplicate = "duplicate";
    public const string Unknown = "unknown";
    public const string NotAfterOpening = "not-after-opening";

    /// <summary>Every code above, for the test that each has its words in both languages.</summary>
    public static IReadOnlyList<string> All { get; } = ProblemCodes.Constants(typeof(FieldReasons));
}
