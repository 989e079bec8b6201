using AutoMapper;
using BankClientele.CustomerCare.Managers;

namespace BankClientele.CustomerCare.Book;

/// <summary>
/// Projections of the book into its API views, translated to SQL by <c>ProjectTo</c>. Personal
/// data is selected plain and masked by the views' <c>Masked()</c> once read.
/// </summary>
public sealed class BookProfile : Profile
{
    public BookProfile()
    {
        // A ProjectTo parameter: the caller passes db.RelationshipManagers, so the manager's name
        // becomes a correlated subquery of the same SQL statement.
        IQueryable<RelationshipManager> managers = null!;
        CreateProjection<Customer, CustomerView>()
            .ForMember(v => v.PhoneMasked, o => o.MapFrom(c => c.Phone))
            .ForMember(v => v.IdNumberMasked, o => o.MapFrom(c => c.IdNumber))
            .ForMember(v => v.AccountNumberMasked, o => o.MapFrom(c => c.AccountNumber))
            .ForMember(v => v.BirthYear, o => o.MapFrom(c => c.BirthDate == null ? (int?)null : c.BirthDate.Value.Year))
            .ForMember(v => v.RelationshipManagerName, o => o.MapFrom(c =>
                managers.Where(m => m.StaffId == c.RelationshipManagerId).Select(m => m.Name).FirstOrDefault()))
            .ForMember(v => v.RiskAssessmentExpired, o => o.Ignore());
        CreateProjection<Holding, HoldingView>()
            .ForMember(v => v.AccountNumberMasked, o => o.MapFrom(h => h.AccountNumber));
        CreateProjection<DailyBalance, DailyBalanceView>();
    }
}
