using System.Net;
using System.Net.Http.Json;
using BankClientele.CustomerCare.Book;
using BankClientele.Hosting.Privacy;
using Microsoft.AspNetCore.Mvc;

namespace BankClientele.Hosting.Tests.Auth;

public sealed class PersonalDataTests
{
    [Test]
    public async Task Unmasked_data_is_for_the_customers_own_manager_with_a_reason_and_every_view_is_audited()
    {
        var branch = TestServers.UniqueBranch();
        await TestSystem.Services.AddRelationshipManagerAsync($"{branch}-RM", branch);
        await TestSystem.Services.AddRelationshipManagerAsync($"{branch}-FULL", branch, capacity: 0);
        var customerId = await TestSystem.Services.NewCustomerAsync(branch, "司马光", "13812345678");
        using var manager = TestSystem.CustomerCare.ClientFor(Tokens.RelationshipManager($"{branch}-RM", branch));
        await Poll.UntilAsync(() => ServiceSystem.GetAsync<CustomerView>(manager, $"/api/customers/{customerId}"), c => c is not null, "the customer to be assigned");
        var path = $"/api/customers/{customerId}/personal-data";

        var withoutReason = await manager.GetAsync(path);
        Assert.That(withoutReason.StatusCode, Is.EqualTo(HttpStatusCode.BadRequest));
        Assert.That((await withoutReason.Content.ReadFromJsonAsync<ValidationProblemDetails>())!.Errors.Keys, Does.Contain("reason"));

        var shown = await manager.GetFromJsonAsync<CustomerPersonalData>($"{path}?reason=回访确认联系方式");
        // Name and phone from the core-banking feed; the account number comes with its holdings file, not the conversion.
        Assert.That(shown, Is.EqualTo(new CustomerPersonalData(customerId, "司马光", "13812345678", "")));

        using var otherManager = TestSystem.CustomerCare.ClientFor(Tokens.RelationshipManager($"{branch}-FULL", branch));
        Assert.That((await otherManager.GetAsync($"{path}?reason=curious")).StatusCode, Is.EqualTo(HttpStatusCode.NotFound));
        using var headOffice = TestSystem.CustomerCare.ClientFor(Tokens.HeadOffice);
        Assert.That((await headOffice.GetAsync($"{path}?reason=analysis")).StatusCode, Is.EqualTo(HttpStatusCode.Forbidden));

        // Only the one view that showed data is on record, with who and why.
        using var administrator = TestSystem.CustomerCare.ClientFor(Tokens.Administrator);
        var audit = await administrator.GetFromJsonAsync<List<PersonalDataViewRecord>>($"/api/personal-data-views?subjectId={customerId}");
        Assert.That(audit, Has.Count.EqualTo(1));
        Assert.That(audit![0], Has.Property(nameof(PersonalDataViewRecord.StaffId)).EqualTo($"{branch}-RM")
            .And.Property(nameof(PersonalDataViewRecord.Reason)).EqualTo("回访确认联系方式")
            .And.Property(nameof(PersonalDataViewRecord.Fields)).Contains("Phone"));
        Assert.That((await manager.GetAsync("/api/personal-data-views")).StatusCode, Is.EqualTo(HttpStatusCode.Forbidden), "the trail is for administrators");
    }
}
