using System.CommandLine;
using Berth.Bench.Api;

var root = new RootCommand(
    "Measures the Berth environments API (create, get, list) against a bare Kestrel endpoint, " +
    "with servers and client on this machine. Run it through bench/api/run.sh.")
{
    BareCommand.Create(),
};
BenchCommand.Configure(root);

return await root.Parse(args).InvokeAsync();
