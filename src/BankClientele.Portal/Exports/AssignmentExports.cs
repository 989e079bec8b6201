using BankClientele.Portal.Services;
using static BankClientele.Portal.Localization.Text;

namespace BankClientele.Portal.Exports;

/// <summary>
/// The assignment page's tables (<c>/care/assignment</c>): the managers' books and load, the rebalance preview
/// and a reassignment's what-if, fetched again as the user (CustomerCare scopes them: a lead their branch).
/// </summary>
internal static class AssignmentExports
{
    private static string? Query(IQueryCollection query, string name) => query[name].ToString() is { Length: > 0 } v ? v.Trim() : null;

    public static async Task<ExportTable> BooksAsync(ServiceApi api, IQueryCollection query, CancellationToken ct)
    {
        var books = await api.ManagerBooksAsync(Query(query, "branch"), ct);
        var rows = books.Ok ? books.Value!.Select(m => new object?[]
        {
            m.Name, m.StaffId, m.BranchCode, T($"Assign.Status.{m.Status}"), m.Senior ? T("Assign.Senior") : "", m.Customers, m.Assets, m.Load, m.Capacity,
        }).ToList() : [];
        return new ExportTable("managers-books",
            [T("Manager"), T("Staff.StaffId"), T("Branch"), T("Assign.Status"), T("Assign.Senior"), T("Assign.Customers"), T("Assign.Assets"), T("Assign.Load"), T("Assign.Capacity")],
            rows, books.Problem);
    }

    public static async Task<ExportTable> RebalanceAsync(ServiceApi api, IQueryCollection query, CancellationToken ct)
    {
        string[] columns = [T("Customer"), T("Assign.Tier"), T("Assign.From"), T("Assign.To"), T("Assign.Reason")];
        if (Query(query, "branch") is not { } branch)
        {
            return new ExportTable("rebalance-preview", columns, [], "branch: a branch code");
        }
        var preview = await api.AssignmentPreviewAsync(branch, ct);
        var rows = preview.Ok ? preview.Value!.Moves.Select(m => new object?[]
        {
            m.CustomerNumber ?? m.CustomerId.ToString(), T("Care.Tier." + m.Tier), m.FromManagerId, m.ToManagerId, T($"Assign.Reason.{m.Reason}"),
        }).ToList() : [];
        return new ExportTable("rebalance-preview", columns, rows, preview.Problem);
    }

    public static async Task<ExportTable> WhatIfAsync(ServiceApi api, IQueryCollection query, CancellationToken ct)
    {
        string[] columns = [T("Manager"), T("Staff.StaffId"), T("Lead.Assign.Before"), T("Lead.Assign.After"), T("Assign.Capacity")];
        if (!Guid.TryParse(Query(query, "customer"), out var customer) || Query(query, "manager") is not { } manager)
        {
            return new ExportTable("what-if", columns, [], "customer, manager: the customer's id and the manager's staff id");
        }
        var whatIf = await api.ReassignmentWhatIfAsync(customer, manager, ct);
        var rows = whatIf.Ok ? whatIf.Value!.Managers.Select(m => new object?[] { m.Name, m.StaffId, m.LoadBefore, m.LoadAfter, m.Capacity }).ToList() : [];
        return new ExportTable("what-if", columns, rows, whatIf.Problem);
    }
}
