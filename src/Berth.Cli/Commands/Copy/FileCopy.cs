using System.Text.Json.Nodes;
using Berth.Cli.Client;
using Berth.Cli.Invocation;
using Berth.Cli.Output;

namespace Berth.Cli.Commands.Copy;

/// <summary>The two directions of <c>berth cp</c>.</summary>
internal static class FileCopy
{
    private const string StandardStream = "-";

    public static async Task<int> UploadAsync(ClientContext context, string local, SessionPath remote, CancellationToken cancellationToken)
    {
        var fromStdin = local == StandardStream;
        if (!fromStdin && Directory.Exists(local))
        {
            throw new UsageException($"{local} is a folder; berth cp copies one file at a time.");
        }

        if (fromStdin && (remote.Path.Length == 0 || remote.Path.EndsWith('/')))
        {
            throw new UsageException("Name the file to write in the session when copying from stdin.");
        }

        var target = remote.WithFileName(Path.GetFileName(local));
        long? length = fromStdin ? null : new FileInfo(local).Length;
        var progress = new TransferProgress(context.Console.ProgressWriter, $"{local} -> {target}", length);
        await using var content = new ProgressStream(fromStdin ? Console.OpenStandardInput() : File.OpenRead(local), progress);
        var uploaded = await context.Api.UploadFileAsync(target.SessionId, target.Path, content, length, cancellationToken);
        if (!uploaded.TryGetValue(out var written))
        {
            return context.Fail(uploaded.Error);
        }

        progress.Complete();
        if (written.Text("sha256") is { } remoteHash && remoteHash != content.Sha256)
        {
            return context.Console.Fail(ExitCodes.Failure,
                $"The copy in the session differs from {local}: SHA-256 {remoteHash} there, {content.Sha256} here.");
        }

        if (context.Console.IsJson)
        {
            context.Console.WriteJson(written);
            return ExitCodes.Success;
        }

        var size = written.Number("size") ?? 0;
        context.Console.WriteLine($"Copied {local} to {target.SessionId}:{written.Text("path")} ({ByteSize.Format(size)}, sha256 {written.Text("sha256")}).");

        return ExitCodes.Success;
    }

    public static async Task<int> DownloadAsync(ClientContext context, SessionPath remote, string local, CancellationToken cancellationToken)
    {
        var toStdout = local == StandardStream;
        if (toStdout && context.Console.IsJson)
        {
            throw new UsageException("--json cannot go with - as the destination: stdout carries the file.");
        }

        var opened = await context.Api.OpenDownloadAsync(remote.SessionId, remote.Path, cancellationToken);
        if (!opened.TryGetValue(out var download))
        {
            return context.Fail(opened.Error);
        }

        await using (download)
        {
            if (download.IsDirectoryListing)
            {
                throw new UsageException($"{remote} is a folder; berth cp copies one file at a time.");
            }

            var target = toStdout ? local : LocalTarget(local, remote.Path);
            var progress = new TransferProgress(context.Console.ProgressWriter, $"{remote} -> {target}", download.Length);
            await using var content = new ProgressStream(await download.OpenAsync(cancellationToken), progress);
            if (toStdout)
            {
                await using var stdout = CliConsole.OpenStandardOutput();
                await content.CopyToAsync(stdout, cancellationToken);
            }
            else
            {
                await CopyToFileAsync(content, target, cancellationToken);
            }

            progress.Complete();

            return Report(context, remote, target, content.BytesRead, content.Sha256);
        }
    }

    private static int Report(ClientContext context, SessionPath remote, string target, long size, string sha256)
    {
        if (target == StandardStream)
        {
            return ExitCodes.Success;
        }

        if (context.Console.IsJson)
        {
            context.Console.WriteJson(new JsonObject { ["path"] = Path.GetFullPath(target), ["size"] = size, ["sha256"] = sha256 });
            return ExitCodes.Success;
        }

        context.Console.WriteLine($"Copied {remote} to {target} ({ByteSize.Format(size)}, sha256 {sha256}).");

        return ExitCodes.Success;
    }

    /// <summary>A local folder (existing, or written with a trailing slash) receives the remote file's name.</summary>
    private static string LocalTarget(string local, string remotePath)
    {
        var isFolder = Directory.Exists(local) || local.EndsWith('/') || local.EndsWith(Path.DirectorySeparatorChar);

        return isFolder ? Path.Combine(local, Path.GetFileName(remotePath.TrimEnd('/'))) : local;
    }

    private static async Task CopyToFileAsync(Stream content, string target, CancellationToken cancellationToken)
    {
        var folder = Path.GetDirectoryName(Path.GetFullPath(target))!;
        Directory.CreateDirectory(folder);

        // Written beside the target and renamed at the end, so that an interrupted copy never
        // leaves a truncated file under the real name.
        var partial = Path.Combine(folder, $".{Path.GetFileName(target)}.berth-partial");
        try
        {
            await using (var file = File.Create(partial))
            {
                await content.CopyToAsync(file, cancellationToken);
            }

            File.Move(partial, target, overwrite: true);
        }
        finally
        {
            File.Delete(partial);
        }
    }
}
