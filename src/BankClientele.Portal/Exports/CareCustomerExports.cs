using System.Globalization;
using BankClientele.Portal.Localization;
using BankClientele.Portal.Services;
using static BankClientele.Portal.Localization.Text;

namespace BankClientele.Portal.Exports;

/// <summary>The customer list and the customer 360's tables, fetched again as the user.</summary>
internal static class CareCustomerExports
{
    /// <summary>Enough for a branch's whole book; the service pages at 500 at most.</summary>
    private const int MaxRows = 20_000;
    private const int PageSize = 500;

    public static async Task<ExportTable> CustomersAsync(ServiceApi api, IQueryCollection query, CancellationToken ct)
    {
        var filter = CareCustomerFilter.From(query) with { PageSize = PageSize };
        var rows = new List<object?[]>();
        for (var page = 1; rows.Count < MaxRows; page++)
        {
            var answer = await api.CustomerPageAsync(filter with { Page = page }, ct);
            if (!answer.Ok)
            {
                return new ExportTable("customers", [], [], answer.Problem);
            }
            rows.AddRange(answer.Value!.Rows.Select(c => new object?[]
            {
                c.CustomerNumber, c.FullName, T("Care.Tier." + c.Tier), c.AverageAssets, c.DepositBalance, c.WealthBalance,
                c.PhoneMasked, c.RelationshipManagerName ?? c.RelationshipManagerId, c.BranchCode,
            }));
            if (page * PageSize >= answer.Value.Total)
            {
                break;
            }
        }
        string[] columns = [T("Care.CustomerNumber"), T("Care.Customer"), T("Care.Tier"), T("Care.Aum"), T("Care.Deposit"), T("Care.WealthBalance"), T("Care.Phone"), T("Care.Manager"), T("Care.Branch")];
        return new ExportTable("customers", columns, rows);
    }

    public static async Task<ExportTable> HoldingsAsync(ServiceApi api, IQueryCollection query, CancellationToken ct)
    {
        string[] columns = [T("Care.Account"), T("Care.Product"), T("Care.OpenedOn"), T("Care.MaturesOn"), T("Care.Balance")];
        if (!Guid.TryParse(query["id"], out var id))
        {
            return new ExportTable("holdings", columns, [], "id: a customer id");
        }
        var holdings = await api.HoldingsAsync(id, ct);
        var names = await api.ProductNamesAsync(ct);
        var rows = holdings.Ok
            ? holdings.Value!.Select(h => new object?[] { h.AccountNumberMasked, names.NameAndCode(h.ProductCode), Day(h.OpenedOn), h.MaturesOn is { } m ? Day(m) : null, h.Balance }).ToList()
            : [];
        return new ExportTable("holdings", columns, rows, holdings.Problem);
    }

    public static async Task<ExportTable> VisitsAsync(ServiceApi api, IQueryCollection query, CancellationToken ct)
    {
        string[] columns = [T("Care.Status"), T("Care.Reason"), T("Care.Detail"), T("Care.DueOn"), T("Care.CompletedAt"), T("Care.Channel"), T("Care.Outcome"), T("Care.Notes"), T("Care.Manager")];
        if (!Guid.TryParse(query["id"], out var id))
        {
            return new ExportTable("visits", columns, [], "id: a customer id");
        }
        var visits = await api.RevisitsAsync($"customerId={id}", ct);
        var names = await api.ProductNamesAsync(ct);
        var rows = visits.Ok
            ? visits.Value!.Select(r => new object?[]
            {
                T("Care.Status." + r.Status), T("Care.Reason." + r.Reason), RevisitDetails.Word(r.Detail, names), Day(r.DueOn), r.CompletedAt is { } at ? Time(at) : null,
                r.Channel is null ? null : T("Care.Channel." + r.Channel), r.Outcome, r.Notes, r.RelationshipManagerId,
            }).ToList()
            : [];
        return new ExportTable("visits", columns, rows, visits.Problem);
    }

    public static async Task<ExportTable> OffersAsync(ServiceApi api, IQueryCollection query, CancellationToken ct)
    {
        string[] columns = [T("Care.Bundle"), T("Care.Amount"), T("Care.Status"), T("Care.ProposedAt"), T("Care.ExpiresOn"), T("Care.Manager")];
        if (!Guid.TryParse(query["id"], out var id))
        {
            return new ExportTable("offers", columns, [], "id: a customer id");
        }
        var offers = await api.OffersAsync(id, ct);
        var rows = offers.Ok
            ? offers.Value!.Select(o => new object?[] { o.BundleCode, o.Amount, T("Care.Offer." + o.Status), Time(o.ProposedAt), Day(o.ExpiresOn), o.RelationshipManagerId }).ToList()
            : [];
        return new ExportTable("offers", columns, rows, offers.Problem);
    }

    private static string Day(DateOnly day) => day.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture);
}
