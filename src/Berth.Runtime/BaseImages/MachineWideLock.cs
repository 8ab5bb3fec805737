namespace Berth.Runtime.BaseImages;

/// <summary>
/// An exclusive lock shared by every process on this machine (a server and a test run, say),
/// held as an open lock file: on Linux .NET takes an advisory <c>flock</c> for
/// <see cref="FileShare.None"/>, and the kernel lets it go when the process dies.
/// </summary>
internal sealed class MachineWideLock : IDisposable
{
    private static readonly TimeSpan RetryInterval = TimeSpan.FromSeconds(1);

    private readonly FileStream _file;

    private MachineWideLock(FileStream file)
    {
        _file = file;
    }

    public static async Task<MachineWideLock> AcquireAsync(string name, CancellationToken cancellationToken)
    {
        var path = Path.Combine(Path.GetTempPath(), $"{name}.lock");
        while (true)
        {
            try
            {
                var file = new FileStream(path, FileMode.OpenOrCreate, FileAccess.ReadWrite, FileShare.None);
                return new MachineWideLock(file);
            }
            catch (IOException)
            {
                await Task.Delay(RetryInterval, cancellationToken).ConfigureAwait(false);
            }
        }
    }

    public void Dispose() => _file.Dispose();
}
