namespace BankClientele.Hosting.Privacy;

/// <summary>
/// Masks personal data for display the way JR/T 0171-2020 asks: keep just enough to recognise it.
/// </summary>
public static class PersonalData
{
    /// <summary>13812345678 → 138****5678.</summary>
    public static string MaskPhone(string phone) =>
        phone.Length < 7 ? new string('*', phone.Length) : $"{phone[..3]}****{phone[^4..]}";

    /// <summary>张三丰 → 张**; keeps the family name only.</summary>
    public static string MaskName(string name) =>
        name.Length <= 1 ? name : name[0] + new string('*', name.Length - 1);

    /// <summary>Account or ID numbers: last four digits only.</summary>
    public static string MaskNumber(string number) =>
        number.Length <= 4 ? new string('*', number.Length) : new string('*', number.Length - 4) + number[^4..];
}
