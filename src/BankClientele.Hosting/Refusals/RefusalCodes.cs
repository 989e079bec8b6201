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
/// Why one field is refused, in a request (a validation problem's <c>errorCodes</c>, see <see cref="FieldErrors"/>)
/// or an import row (each row error's <c>code</c>), beside the English message API users and the CLI read. The portal
/// words it (resx <c>Reason.{code}</c>) after the field's label; a reason with numbers (<c>errorArguments</c>: a
/// maximum length, a range's bounds) is worded by <c>Reason.{code}.{names}</c>, the numbers' names sorted and joined
/// by dots (<c>Reason.out-of-range.max.min</c>), with the numbers in its <c>{name}</c> placeholders.
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
    public const string TooShort = "too-short";
    public const string LengthBetween = "length-between";
    public const string TooMany = "too-many";
    public const string TooFew = "too-few";
    /// <summary>A code of upper-case letters, digits and dashes (a campaign's, a partner's).</summary>
    public const string CodeFormat = "code-format";
    public const string UpperCaseAndDigits = "upper-case-and-digits";
    /// <summary>A start (from) after its end (to).</summary>
    public const string AfterEnd = "after-end";
    /// <summary>An end (to) before its start (from).</summary>
    public const string BeforeStart = "before-start";
    /// <summary>Not a day after today within the coming year (a next follow-up).</summary>
    public const string NotInComingYear = "not-in-coming-year";
    /// <summary>Only administrators backdate, and never into the future.</summary>
    public const string NoBackdating = "no-backdating";
    /// <summary>Taken by another record (a referral code, a ticket number).</summary>
    public const string Taken = "taken";
    public const string NotOfThisBranch = "not-of-this-branch";
    /// <summary>Customer numbers that are no known customers: <c>{count}</c> of them.</summary>
    public const string UnknownCustomers = "unknown-customers";
    public const string NotAnHttpsUrl = "not-an-https-url";
    /// <summary>An address the service will not call (a private or loopback one, say).</summary>
    public const string AddressNotAllowed = "address-not-allowed";
    public const string AtLeastOne = "at-least-one";
    public const string ExactlyOne = "exactly-one";
    public const string NoMatchingCustomer = "no-matching-customer";
    public const string AlreadyACustomer = "already-a-customer";
    public const string ConsentRequired = "consent-required";
    public const string NotAWeek = "not-a-week";
    public const string Overlaps = "overlaps";
    /// <summary>The same value given twice in one request.</summary>
    public const string GivenTwice = "given-twice";
    /// <summary>More customers than an event may invite: at most <c>{max}</c>.</summary>
    public const string TooManyInvitations = "too-many-invitations";
    public const string NoRiskAssessment = "no-risk-assessment";
    public const string RiskAssessmentExpired = "risk-assessment-expired";
    /// <summary>A product rated above the customer's risk level.</summary>
    public const string AboveRiskLevel = "above-risk-level";
    public const string NotInCatalogue = "not-in-catalogue";
    /// <summary>Less than <c>{min}</c>.</summary>
    public const string BelowMinimum = "below-minimum";
    public const string InThePast = "in-the-past";
    /// <summary>Not after the start, or more than <c>{days}</c> days after it.</summary>
    public const string NotWithinDays = "not-within-days";
    public const string TicketClosed = "ticket-closed";
    public const string ServiceNotStarted = "service-not-started";
    /// <summary>A period longer than <c>{days}</c> days.</summary>
    public const string SpanTooLong = "span-too-long";
    public const string NotAMonth = "not-a-month";

    /// <summary>Every code above, for the test that each has its words in both languages.</summary>
    public static IReadOnlyList<string> All { get; } = ProblemCodes.Constants(typeof(FieldReasons));
}
