using System.CommandLine;
using System.Runtime.InteropServices;
using Berth.Bench.Api;

// SIGTERM (from timeout(1), a CI runner or kill) must stop the servers the bench started, like
// Ctrl+C does: it cancels the run, and the run's cleanup then stops them and removes its folders.
using var terminated = new CancellationTokenSource();
using var onTerminate = PosixSignalRegistration.Create(PosixSignal.SIGTERM, StopGracefully);
using var onHangUp = PosixSignalRegistration.Create(PosixSignal.SIGHUP, StopGracefully);

var root = new RootCommand(
    "Measures the Berth environments API (create, get, list) against a bare Kestrel endpoint, " +
    "with servers and client on this machine. Run it through bench/api/run.sh.")
{
    BareCommand.Create(),
};
BenchCommand.Configure(root, terminated.Token);

var parse = root.Parse(args);
var status = await parse.InvokeAsync();

// A command line the bench cannot run is a failed run, not a missed target (which is 1).
return parse.Errors.Count > 0 ? ExitCodes.BenchFailed : status;

void StopGracefully(PosixSignalContext context)
{
    context.Cancel = true;
    terminated.Cancel();
}
