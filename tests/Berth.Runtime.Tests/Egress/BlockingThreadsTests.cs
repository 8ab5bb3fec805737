using Berth.Runtime.Egress;

namespace Berth.Runtime.Tests.Egress;

public sealed class BlockingThreadsTests
{
    private static readonly TimeSpan Patience = TimeSpan.FromSeconds(10);

    [Fact]
    public async Task WorkThatBlocksTogether_RunsTogether_EachOnAThreadOfItsOwn()
    {
        var threads = new BlockingThreads(TimeSpan.FromSeconds(30));

        await RunTogetherAsync(threads, 16);

        Assert.Equal(16, threads.Started);
    }

    [Fact]
    public async Task IdleThreads_TakeTheNextWork_InsteadOfNewThreads()
    {
        var threads = new BlockingThreads(TimeSpan.FromSeconds(30));
        await RunTogetherAsync(threads, 4);
        await WaitUntilAsync(() => threads.Idle == 4);

        await RunTogetherAsync(threads, 6);

        Assert.Equal(6, threads.Started);
    }

    [Fact]
    public async Task ThreadsIdleLongerThanTheirLife_Retire()
    {
        // A life long enough that a busy machine still sees the three idle before they retire.
        var threads = new BlockingThreads(TimeSpan.FromSeconds(1));
        await RunTogetherAsync(threads, 3);
        await WaitUntilAsync(() => threads.Idle == 3);

        await WaitUntilAsync(() => threads.Idle == 0);
        await RunTogetherAsync(threads, 1);

        Assert.Equal(4, threads.Started);
    }

    // Every piece of work waits for all the others, so none can finish unless all run at once.
    private static async Task RunTogetherAsync(BlockingThreads threads, int count)
    {
        using var barrier = new Barrier(count);
        var finished = Enumerable.Range(0, count).Select(_ =>
        {
            var done = new TaskCompletionSource<bool>(TaskCreationOptions.RunContinuationsAsynchronously);
            threads.Run(() => done.SetResult(barrier.SignalAndWait(Patience)));
            return done.Task;
        }).ToList();

        Assert.All(await Task.WhenAll(finished), Assert.True);
    }

    private static async Task WaitUntilAsync(Func<bool> condition)
    {
        var deadline = DateTime.UtcNow + Patience;
        while (!condition())
        {
            Assert.True(DateTime.UtcNow < deadline, "the threads did not reach the expected state in time");
            await Task.Delay(10);
        }
    }
}
