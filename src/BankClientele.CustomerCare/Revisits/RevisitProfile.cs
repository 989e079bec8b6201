using AutoMapper;
using BankClientele.CustomerCare.Book;

namespace BankClientele.CustomerCare.Revisits;

/// <summary>
/// Projections of revisits and lobby alerts into their API views, translated to SQL by <c>ProjectTo</c>.
/// The customer's name and tier come from the book through a <c>customers</c> parameter (the caller
/// passes <c>db.Customers</c>), so they are subqueries of the same statement; the name is masked and
/// the priority computed (it depends on today) once read.
/// </summary>
public sealed class RevisitProfile : Profile
{
    public RevisitProfile()
    {
        IQueryable<Customer> customers = null!;
        CreateProjection<Revisit, RevisitView>()
            .ForCtorParam(nameof(RevisitView.CustomerName), o => o.MapFrom(r =>
                customers.Where(c => c.Id == r.CustomerId).Select(c => c.FullName).FirstOrDefault() ?? ""))
            .ForCtorParam(nameof(RevisitView.Tier), o => o.MapFrom(r =>
                customers.Where(c => c.Id == r.CustomerId).Select(c => c.Tier).FirstOrDefault() ?? CustomerTiers.Mass))
            .ForCtorParam(nameof(RevisitView.Priority), o => o.MapFrom(r => 0));
        CreateProjection<LobbyAlert, LobbyAlertView>()
            .ForCtorParam(nameof(LobbyAlertView.CustomerName), o => o.MapFrom(a =>
                customers.Where(c => c.Id == a.CustomerId).Select(c => c.FullName).FirstOrDefault() ?? ""));
    }
}
