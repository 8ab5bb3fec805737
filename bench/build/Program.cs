using System.CommandLine;
using Berth.Bench.Build;

var root = new RootCommand(
    "Times cold Berth image builds against docker build of the equivalent Dockerfile, and the " +
    "answer to a cache hit, on this machine's Docker engine. Run it through bench/build/run.sh.");
BenchCommand.Configure(root);

return await root.Parse(args).InvokeAsync();
