using System.CommandLine;
using Berth.Bench.Sessions;

var berth = new Option<string>("--berth") { Description = "Path of the built berth.dll.", Required = true };
var sessions = new Option<int>("--sessions") { Description = "Sessions measured one after another.", DefaultValueFactory = _ => 50 };
var burst = new Option<int>("--burst") { Description = "Sessions created at once in each burst.", DefaultValueFactory = _ => 20 };
var bursts = new Option<int>("--bursts") { Description = "How many bursts.", DefaultValueFactory = _ => 3 };
var execs = new Option<int>("--execs") { Description = "Commands timed for the exec round trip.", DefaultValueFactory = _ => 200 };
var root = new RootCommand("Time from POST /v1/sessions to the first command, against the raw Docker engine.")
{
    berth, sessions, burst, bursts, execs,
};
root.SetAction(async (parse, cancellationToken) =>
{
    var settings = new BenchSettings(
        parse.GetValue(berth)!, parse.GetValue(sessions), parse.GetValue(burst), parse.GetValue(bursts), parse.GetValue(execs));
    try
    {
        var report = await SessionBench.RunAsync(settings, cancellationToken);
        report.Print(Console.Out);

        return report.AllTargetsMet ? 0 : 1;
    }
    catch (Exception e) when (e is InvalidOperationException or TimeoutException or HttpRequestException
        or Docker.DotNet.DockerApiException)
    {
        await Console.Error.WriteLineAsync($"bench: could not measure: {e.Message}");
        return 2;
    }
});

return await root.Parse(args).InvokeAsync();
