using System.Diagnostics;
using Berth.Runtime.Sandboxes;
using Berth.Runtime.Tests.Support;

namespace Berth.Runtime.Tests.Sandboxes;

/// <summary>Runs alone, after the parallel tests, so that the memory it measures is its own.</summary>
[CollectionDefinition(Name, DisableParallelization = true)]
public sealed class MeasuredAloneGroup
{
    public const string Name = "Measured alone";
}

[Collection(MeasuredAloneGroup.Name)]
public sealed class LargeFileTests(SandboxFixture sandbox) : IClassFixture<SandboxFixture>
{
    private const long OneGiB = 1024L * 1024 * 1024;

    // Far below the file's size: what a transfer may hold at once (buffers, the client's pools).
    private const long MemoryAllowance = 96 * 1024 * 1024;

    [Fact]
    public async Task WriteThenRead_Of1GiB_RoundTripsWithoutMemoryGrowingWithSize()
    {
        using var timeout = Bounded.Build();
        var path = $"/tmp/large-{Guid.NewGuid():N}.bin";
        var expectedSha256 = FileContent.Sha256Of(OneGiB);
        using var peak = new PeakMemory();

        using var content = new FileContent(OneGiB);
        var written = await sandbox.Runtime.WriteFileAsync(sandbox.SharedContainerId, path, content, OneGiB, timeout.Token);
        var read = await sandbox.Runtime.ReadFileAsync(sandbox.SharedContainerId, path, timeout.Token);
        var file = Assert.IsType<FileReadResult.File>(read);
        (long Size, string Sha256) readBack;
        await using (file.Content)
        {
            readBack = await FileContent.HashAsync(file.Content, timeout.Token);
        }

        var growth = peak.Stop();
        Assert.Equal(new FileWriteResult.Written(path, OneGiB, expectedSha256), written);
        Assert.Equal(OneGiB, file.Size);
        Assert.Equal((OneGiB, expectedSha256), readBack);
        Assert.True(growth.ManagedBytes < MemoryAllowance, $"The managed heap grew by {growth.ManagedBytes} bytes.");
        Assert.True(growth.WorkingSetBytes < MemoryAllowance, $"The working set grew by {growth.WorkingSetBytes} bytes.");
    }

    /// <summary>Samples the managed heap and the working set while a test runs; reports their peak growth.</summary>
    private sealed class PeakMemory : IDisposable
    {
        private readonly long _managedBefore;
        private readonly long _workingSetBefore;
        private readonly CancellationTokenSource _stop = new();
        private readonly Task _sampling;
        private long _managedPeak;
        private long _workingSetPeak;

        public PeakMemory()
        {
            _managedBefore = GC.GetTotalMemory(forceFullCollection: true);
            _workingSetBefore = WorkingSet();
            _sampling = Task.Run(SampleAsync);
        }

        public (long ManagedBytes, long WorkingSetBytes) Stop()
        {
            _stop.Cancel();
            _sampling.Wait();
            Sample();

            return (_managedPeak - _managedBefore, _workingSetPeak - _workingSetBefore);
        }

        public void Dispose() => _stop.Dispose();

        private static long WorkingSet()
        {
            using var process = Process.GetCurrentProcess();

            return process.WorkingSet64;
        }

        private async Task SampleAsync()
        {
            while (!_stop.IsCancellationRequested)
            {
                Sample();
                await Task.Delay(50, CancellationToken.None);
            }
        }

        private void Sample()
        {
            _managedPeak = Math.Max(_managedPeak, GC.GetTotalMemory(forceFullCollection: false));
            _workingSetPeak = Math.Max(_workingSetPeak, WorkingSet());
        }
    }
}
