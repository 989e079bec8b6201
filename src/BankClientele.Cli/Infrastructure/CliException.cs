namespace BankClientele.Cli.Infrastructure;

/// <summary>
/// An expected failure (a service answering with an error, a missing setting, a server not
/// reachable): printed in red as its message alone, without a stack trace, and exit code 1.
/// </summary>
public class CliException : Exception
{
    public CliException(string message)
        : base(message)
    {
    }

    public CliException(string message, Exception innerException)
        : base(message, innerException)
    {
    }
}
