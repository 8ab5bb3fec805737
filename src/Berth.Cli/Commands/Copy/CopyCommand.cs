using System.CommandLine;
using Berth.Cli.Invocation;

namespace Berth.Cli.Commands.Copy;

/// <summary>
/// <c>berth cp</c>: copies one file into or out of a sandbox, streamed both ways, with progress
/// on stderr when a person is watching and a SHA-256 of what was copied.
/// </summary>
internal static class CopyCommand
{
    public static Command Create()
    {
        var source = new Argument<string>("source") { Description = "A local file (- for stdin) or SESSION:/path." };
        var destination = new Argument<string>("destination") { Description = "SESSION:/path, or a local file or folder (- for stdout)." };
        var command = new Command("cp", "Copy a file into a session (berth cp ./a sess_...:/workspace/) or out of one.")
        {
            source, destination,
        };
        command.SetClientAction((context, cancellationToken) =>
        {
            var from = context.Value(source)!;
            var to = context.Value(destination)!;

            return (SessionPath.TryParse(from), SessionPath.TryParse(to)) switch
            {
                (null, { } remote) => FileCopy.UploadAsync(context, from, remote, cancellationToken),
                ({ } remote, null) => FileCopy.DownloadAsync(context, remote, to, cancellationToken),
                (null, null) => throw new UsageException(
                    "One side must be in a session, written SESSION:/path, such as sess_0190...:/workspace/a.txt."),
                _ => throw new UsageException("Copying from one session to another is not supported; copy through a local file."),
            };
        });

        return command.WithClientOptions();
    }
}
