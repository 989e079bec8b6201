namespace BankClientele.FootTraffic.Tests;

/// <summary>The four services for this project's tests, started once per run.</summary>
[SetUpFixture]
public sealed class ServicesFixture : TestSystemFixture
{
    protected override string DatabasePrefix => "bankclientele_test_traffic";
}
