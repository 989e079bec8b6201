using System.CommandLine;

namespace BankClientele.Cli.Infrastructure;

public static class CommonOptions
{
    /// <summary><c>--service all|customer-care|acquisition|foot-traffic|insights|portal</c>, repeatable.</summary>
    public static Option<string[]> Service(string description)
    {
        var option = new Option<string[]>("--service", "-s")
        {
            Description = description,
            HelpName = string.Join("|", ServiceCatalog.SelectorValues),
            DefaultValueFactory = _ => [ServiceCatalog.AllKey],
            Arity = ArgumentArity.OneOrMore,
        };
        option.AcceptOnlyFromAmong(ServiceCatalog.SelectorValues);
        return option;
    }
}
