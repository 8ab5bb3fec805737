using System.CommandLine;
using Berth.Bench.Build;

var root = new RootCommand(
    "Times cold Berth image builds against docker build of the equivalent Dockerfile, and the " +
    "answer to a cache hit, on this machine's Docker engine. Run it through bench/build/run.sh.");
BenchCommand.Configure(root);

// On Ctrl+C or SIGTERM the run stops its server and removes its images, which takes longer than
// the two seconds System.CommandLine waits by default before it ends the process.
var invocation = new InvocationConfiguration { ProcessTerminationTimeout = TimeSpan.FromMinutes(3) };

return await root.Parse(args).InvokeAsync(invocation);
