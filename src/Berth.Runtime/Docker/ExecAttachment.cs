using Docker.DotNet;

namespace Berth.Runtime.Docker;

/// <summary>One chunk read from a running exec: how many bytes, from which stream, or the end.</summary>
internal readonly record struct ExecChunk(int Count, bool IsStderr, bool Ended);

/// <summary>
/// The connection to a started exec, or to an attached container's main process: its stdout and
/// stderr, demultiplexed, and its stdin.
/// Disposing it abandons the connection, which also ends a pending read.
/// </summary>
internal sealed class ExecAttachment(MultiplexedStream stream, string endpoint) : IDisposable
{
    public async Task<ExecChunk> ReadAsync(byte[] buffer, CancellationToken cancellationToken)
    {
        try
        {
            var read = await stream.ReadOutputAsync(buffer, 0, buffer.Length, cancellationToken).ConfigureAwait(false);

            return read.EOF
                ? new ExecChunk(0, false, true)
                : new ExecChunk(read.Count, read.Target == MultiplexedStream.TargetStream.StandardError, false);
        }
        catch (IOException e) when (!cancellationToken.IsCancellationRequested)
        {
            throw new RuntimeUnavailableException(endpoint, e);
        }
    }

    public async Task WriteInputAsync(byte[] buffer, int offset, int count, CancellationToken cancellationToken)
    {
        try
        {
            await stream.WriteAsync(buffer, offset, count, cancellationToken).ConfigureAwait(false);
        }
        catch (IOException e) when (!cancellationToken.IsCancellationRequested)
        {
            throw new RuntimeUnavailableException(endpoint, e);
        }
    }

    /// <summary>Ends the process's stdin; it reads end-of-file.</summary>
    public void CloseInput() => stream.CloseWrite();

    public void Dispose() => stream.Dispose();
}
