namespace BankClientele.Portal.Localization;

/// <summary>
/// A refused staff or password change in the reader's language: the portal's own codes (<see cref="Accounts.FieldProblem"/>)
/// and ASP.NET Identity's error codes (PasswordRequiresDigit...), whose descriptions are English only.
/// </summary>
public static class StaffWords
{
    public static string Problem(string code) =>
        Text.Word("Staff.Problem.", code) is var worded && worded != code ? worded : Text.T("Staff.Problem.Other");
}
