using System.CommandLine;
using System.Text;
using BankClientele.Cli;
using BankClientele.Cli.Infrastructure;

Console.OutputEncoding = Encoding.UTF8;
return await CliApp.Build(CliContext.CreateDefault()).Parse(args).InvokeAsync();
