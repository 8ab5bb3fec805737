using System.CommandLine;
using Berth.Cli.Commands;

var root = new RootCommand("Berth: environments and sandboxes for AI agents, on your own machines.")
{
    ServeCommand.Create(),
    TokenCommand.Create(),
};

return await root.Parse(args).InvokeAsync();
