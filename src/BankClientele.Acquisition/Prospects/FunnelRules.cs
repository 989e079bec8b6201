namespace BankClientele.Acquisition.Prospects;

/// <summary>How a lead moves through the funnel: forward only, each stage stamped with its time.</summary>
public static class FunnelRules
{
    /// <summary>The stage a contact attempt's outcome reaches (no-answer and declined still count as contacted).</summary>
    public static LeadStage StageOfOutcome(string outcome) => outcome switch
    {
        "interested" => LeadStage.Interested,
        "appointment" => LeadStage.Appointment,
        _ => LeadStage.Contacted,
    };

    public static readonly IReadOnlyList<string> Outcomes = ["reached", "no-answer", "interested", "appointment", "declined"];

    /// <summary>
    /// Moves <paramref name="prospect"/> to <paramref name="stage"/> if that is further on, stamping
    /// every stage passed on the way (an appointment implies a contact). Returns whether it moved.
    /// Account opened and first deposit come from conversion and balances, never from a contact.
    /// </summary>
    public static bool Advance(Prospect prospect, LeadStage stage, DateTimeOffset at)
    {
        if (stage <= prospect.Stage)
        {
            return false;
        }
        if (stage >= LeadStage.Contacted) { prospect.ContactedAt ??= at; }
        if (stage >= LeadStage.Interested) { prospect.InterestedAt ??= at; }
        if (stage >= LeadStage.Appointment) { prospect.AppointmentAt ??= at; }
        if (stage >= LeadStage.AccountOpened) { prospect.ConvertedAt ??= at; }
        if (stage >= LeadStage.FirstDeposit) { prospect.ActivatedAt ??= at; }
        prospect.Stage = stage;
        return true;
    }

    /// <summary>What the lead's owner should do next, from its stage.</summary>
    public static string NextAction(LeadStage stage, bool mayContact) => (stage, mayContact) switch
    {
        (LeadStage.AccountOpened or LeadStage.FirstDeposit, _) => "none",
        (_, false) => "ask-consent",
        (LeadStage.New, _) => "first-contact",
        (LeadStage.Contacted, _) => "follow-up",
        (LeadStage.Interested, _) => "book-appointment",
        (LeadStage.Appointment, _) => "open-account",
        _ => "none",
    };
}
