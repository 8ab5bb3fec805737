using Berth.Runtime.Images;
using Berth.Storage;

namespace Berth.Api.Builds;

/// <summary>One build in progress: its log as it grows, kept in memory and on disk, and its end.</summary>
/// <remarks>Followers read the lines they have not seen and then wait for the next write or the end.</remarks>
public sealed class BuildRun : IBuildLog, IDisposable
{
    private readonly Lock _gate = new();
    private readonly List<string> _lines = [];
    private readonly StreamWriter _file;
    private readonly TaskCompletionSource<StoredBuild> _finished = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private readonly long _maxBytes;
    private TaskCompletionSource _changed = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private long _bytes;
    private bool _cut;

    public BuildRun(string configHash, string logPath, long maxBytes)
    {
        ConfigHash = configHash;
        _maxBytes = maxBytes;
        Directory.CreateDirectory(Path.GetDirectoryName(logPath)!);
        _file = new StreamWriter(logPath, append: false) { AutoFlush = true };
    }

    public string ConfigHash { get; }

    public Task<StoredBuild> Finished => _finished.Task;

    public void Write(BuildLogLine line)
    {
        ArgumentNullException.ThrowIfNull(line);
        var text = $"[{line.Step}] {line.Text}";
        TaskCompletionSource changed;
        lock (_gate)
        {
            if (_cut)
            {
                return;
            }

            _bytes += System.Text.Encoding.UTF8.GetByteCount(text) + 1;
            if (_bytes > _maxBytes)
            {
                // What comes after is dropped, so that no build can fill the memory or the disk.
                _cut = true;
                text = $"[{line.Step}] (The log is cut here, past {_maxBytes} bytes; the build goes on.)";
            }

            _lines.Add(text);
            _file.WriteLine(text);
            changed = _changed;
            _changed = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        }

        changed.TrySetResult();
    }

    /// <summary>
    /// Ends the run with <paramref name="build"/>, which everyone waiting for it then gets, even
    /// when the run was already disposed because its build stopped with an exception.
    /// </summary>
    public void Finish(StoredBuild build)
    {
        try
        {
            lock (_gate)
            {
                _file.Flush();
            }
        }
        catch (ObjectDisposedException)
        {
            // The log is closed and whole; only the waiters are left to tell.
        }
        finally
        {
            _finished.TrySetResult(build);
            _changed.TrySetResult();
        }
    }

    /// <summary>Every line from the first, then each new one as it is written, until the build ends.</summary>
    public async IAsyncEnumerable<string> FollowAsync(
        [System.Runtime.CompilerServices.EnumeratorCancellation] CancellationToken cancellationToken)
    {
        var next = 0;
        while (true)
        {
            string[] fresh;
            Task changed;
            lock (_gate)
            {
                fresh = _lines.Skip(next).ToArray();
                next = _lines.Count;
                changed = _changed.Task;
            }

            foreach (var line in fresh)
            {
                yield return line;
            }

            if (fresh.Length == 0 && Finished.IsCompleted)
            {
                yield break;
            }

            if (fresh.Length == 0)
            {
                await Task.WhenAny(changed, Finished).WaitAsync(cancellationToken);
            }
        }
    }

    public void Dispose() => _file.Dispose();
}
