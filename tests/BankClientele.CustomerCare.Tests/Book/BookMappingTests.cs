using AutoMapper;
using AutoMapper.Internal;
using BankClientele.CustomerCare.Book;
using BankClientele.CustomerCare.Revisits;

namespace BankClientele.CustomerCare.Tests.Book;

public sealed class BookMappingTests
{
    [Test]
    public void The_services_AutoMapper_configuration_is_valid()
    {
        // The configuration the service registered (every profile of its assembly), not a copy of it.
        var mapping = TestSystem.CustomerCare.Get<IConfigurationProvider>();
        Assert.DoesNotThrow(mapping.AssertConfigurationIsValid);
        Assert.That(mapping.Internal().GetAllTypeMaps().Select(m => m.DestinationType),
            Is.SupersetOf(new[] { typeof(CustomerView), typeof(HoldingView), typeof(DailyBalanceView), typeof(RevisitView), typeof(LobbyAlertView) }));
    }
}
