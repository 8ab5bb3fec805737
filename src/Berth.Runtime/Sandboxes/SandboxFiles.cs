using Berth.Runtime.Docker;
using Microsoft.Extensions.Logging;

namespace Berth.Runtime.Sandboxes;

/// <summary>Files in sandboxes: written through a command's stdin, read through the engine's archive endpoint.</summary>
internal sealed class SandboxFiles(
    DockerExecOperations exec, DockerArchiveOperations archives, ILogger<SandboxFiles> logger)
{
    private const long MaxMessageBytes = 4096;

    // Symlinks to symlinks are followed this far, as the kernel does with a few more.
    private const int MaxSymlinkHops = 16;

    private const int DeleteNotFound = 3;
    private const int DeleteNotEmpty = 4;
    private const int DeleteDevice = 5;

    // $1 path. A symlink is removed itself, never what it points to. Devices (/dev/null and the
    // like, which every command relies on) are left alone.
    private const string DeleteScript =
        "if [ ! -e \"$1\" ] && [ ! -L \"$1\" ]; then exit 3; fi; "
        + "if [ ! -L \"$1\" ] && { [ -c \"$1\" ] || [ -b \"$1\" ]; }; then exit 5; fi; "
        + "if [ -d \"$1\" ] && [ ! -L \"$1\" ]; then "
        + "[ -z \"$(ls -A -- \"$1\")\" ] || exit 4; rmdir -- \"$1\"; "
        + "else rm -f -- \"$1\"; fi";

    public async Task<FileWriteResult> WriteAsync(
        string containerId, string path, Stream content, long maxBytes, CancellationToken cancellationToken)
    {
        var target = SandboxPaths.Resolve(path);
        var parent = SandboxPaths.Parent(target);
        var temporary = $"{parent}/.berth-upload-{Guid.NewGuid():N}";
        var stderr = new ExecOutputText(MaxMessageBytes);

        using var process = await SandboxProcess.StartAsync(exec, containerId, "/",
            FileUpload.Command(temporary, parent, target), [], withInput: true, cancellationToken).ConfigureAwait(false);
        using var abandon = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        var pump = process.PumpAsync((stream, bytes) => Collect(stderr, stream, bytes), abandon.Token);
        var settled = false;
        try
        {
            var sent = await SendAsync(process, content, maxBytes, pump, cancellationToken).ConfigureAwait(false);
            if (sent.Status == UploadStatus.TooLarge)
            {
                await KillAsync(process, temporary).ConfigureAwait(false);
                settled = true;

                return new FileWriteResult.TooLarge(target, maxBytes);
            }

            await pump.WaitAsync(cancellationToken).ConfigureAwait(false);
            var exitCode = await process.ExitCodeAsync(cancellationToken).ConfigureAwait(false);
            if (exitCode != 0 || sent.Status != UploadStatus.Sent)
            {
                settled = true;
                return new FileWriteResult.Failed(target, MessageOf(stderr, exitCode));
            }

            var commit = await SandboxCommand.RunAsync(exec, containerId,
                FileUpload.CommitCommand(target, temporary, sent.Size), cancellationToken).ConfigureAwait(false);
            settled = true;
            if (commit.ExitCode != 0)
            {
                var message = commit.Stderr.Trim();
                return new FileWriteResult.Failed(
                    target, message.Length > 0 ? message : $"Writing the file failed with exit code {commit.ExitCode}.");
            }

            logger.FileWritten(containerId, target, sent.Size);

            return new FileWriteResult.Written(target, sent.Size, sent.Sha256);
        }
        finally
        {
            // Cancelled, or the content stream failed: the half-written temporary file goes too.
            if (!settled)
            {
                await KillAsync(process, temporary).ConfigureAwait(false);
            }

            await abandon.CancelAsync().ConfigureAwait(false);
        }
    }

    public async Task<FileReadResult> ReadAsync(string containerId, string path, CancellationToken cancellationToken)
    {
        var requested = SandboxPaths.Resolve(path);
        var current = requested;
        for (var hop = 0; hop <= MaxSymlinkHops; hop++)
        {
            var archive = await archives.GetAsync(containerId, current, cancellationToken).ConfigureAwait(false);
            if (archive is null)
            {
                return new FileReadResult.NotFound(requested);
            }

            if (archive.Stat.Kind is ContainerPathKind.Symlink or ContainerPathKind.Directory or ContainerPathKind.Other)
            {
                // Only the stat was needed; closing the response stops the engine's tar early.
                await archive.Tar.DisposeAsync().ConfigureAwait(false);
            }

            switch (archive.Stat.Kind)
            {
                case ContainerPathKind.Symlink:
                    current = archive.Stat.LinkTarget;
                    continue;
                case ContainerPathKind.Directory:
                    return await ListAsync(containerId, requested, current, cancellationToken).ConfigureAwait(false);
                case ContainerPathKind.Other:
                    return new FileReadResult.NotAFile(requested);
                default:
                    var content = await ArchiveFileStream.OpenAsync(archive.Tar, cancellationToken).ConfigureAwait(false);
                    return new FileReadResult.File(requested, content, content.Length);
            }
        }

        return new FileReadResult.NotFound(requested);
    }

    public async Task<FileDeleteResult> DeleteAsync(string containerId, string path, CancellationToken cancellationToken)
    {
        var target = SandboxPaths.Resolve(path);

        var output = await SandboxCommand.RunAsync(exec, containerId, ["sh", "-c", DeleteScript, "sh", target],
            cancellationToken).ConfigureAwait(false);

        return output.ExitCode switch
        {
            0 => new FileDeleteResult.Deleted(target),
            DeleteNotFound => new FileDeleteResult.NotFound(target),
            DeleteNotEmpty => new FileDeleteResult.NotEmpty(target),
            DeleteDevice => new FileDeleteResult.Failed(target, $"{target} is a device; devices are not deleted."),
            _ => new FileDeleteResult.Failed(target, output.Stderr.Trim() is { Length: > 0 } reason
                ? reason
                : $"Deleting {target} failed with exit code {output.ExitCode}."),
        };
    }

    private async Task<FileReadResult> ListAsync(
        string containerId, string requested, string directory, CancellationToken cancellationToken)
    {
        var output = await SandboxCommand.RunAsync(exec, containerId, DirectoryListing.Command(directory),
            cancellationToken).ConfigureAwait(false);

        // The directory went away between the two calls.
        return output.ExitCode == 0
            ? new FileReadResult.Directory(requested, DirectoryListing.Parse(output.Stdout))
            : new FileReadResult.NotFound(requested);
    }

    // A command that ends early (say, the parent is a file) stops reading its stdin, and the
    // engine keeps taking bytes for a while before the write fails. So sending stops as soon as
    // the command is seen to have ended; its exit code and stderr then say why.
    private static async Task<UploadReport> SendAsync(
        SandboxProcess process, Stream content, long maxBytes, Task pump, CancellationToken cancellationToken)
    {
        using var sending = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        var send = FileUpload.SendAsync(process, content, maxBytes, sending.Token);
        if (await Task.WhenAny(send, pump).ConfigureAwait(false) == send)
        {
            return await send.ConfigureAwait(false);
        }

        // A command that succeeded read its input to the end, which it reaches only once every
        // byte was sent and the input closed: the send is finishing, not stuck.
        if (await process.ExitCodeAsync(cancellationToken).ConfigureAwait(false) == 0)
        {
            return await send.ConfigureAwait(false);
        }

        await sending.CancelAsync().ConfigureAwait(false);
        try
        {
            await send.ConfigureAwait(false);
        }
        catch (Exception e) when (e is OperationCanceledException or RuntimeUnavailableException)
        {
            cancellationToken.ThrowIfCancellationRequested();
        }

        return new UploadReport(UploadStatus.Interrupted, 0, "");
    }

    private static ValueTask Collect(ExecOutputText stderr, ExecStream stream, ReadOnlyMemory<byte> bytes)
    {
        if (stream == ExecStream.Stderr)
        {
            stderr.Append(bytes.Span);
        }

        return ValueTask.CompletedTask;
    }

    private static string MessageOf(ExecOutputText stderr, int exitCode)
    {
        stderr.Finish();
        var message = stderr.ToString().Trim();

        return message.Length > 0 ? message : $"Writing the file failed with exit code {exitCode}.";
    }

    private async Task KillAsync(SandboxProcess process, string temporary)
    {
        var problem = await process.KillAsync(temporary).ConfigureAwait(false);
        if (problem is not null)
        {
            logger.ProcessGroupNotKilled(process.ContainerId, problem);
        }
    }
}
