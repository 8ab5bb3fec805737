using System.Collections.Concurrent;

namespace Berth.Runtime.Egress;

/// <summary>
/// Dedicated threads for work that blocks for as long as a connection lasts, kept for a while
/// once idle, so that a new connection is not held up by starting threads for it.
/// </summary>
/// <remarks>
/// Starting a thread took about 0.2 ms here, twice per forwarded connection, on the way to its
/// first byte. Blocking work stays off the thread pool, which would starve the server's
/// other work while many connections are open.
/// </remarks>
internal sealed class BlockingThreads(TimeSpan idleLife)
{
    // The work is a loop around a system call; the default of 8 MiB per thread is far more.
    private const int StackBytes = 256 * 1024;

    private readonly BlockingCollection<Action> _work = [];

    private int _idle;
    private int _started;

    /// <summary>The threads of the gateway's forwarded connections.</summary>
    public static BlockingThreads Connections { get; } = new(TimeSpan.FromSeconds(30));

    /// <summary>How many threads were started so far, idle ones reused not counted.</summary>
    public int Started => Volatile.Read(ref _started);

    /// <summary>Threads waiting for work now, less the work handed to them and not yet taken.</summary>
    public int Idle => Volatile.Read(ref _idle);

    public void Run(Action work)
    {
        while (true)
        {
            var idle = Volatile.Read(ref _idle);
            if (idle == 0)
            {
                Start(work);
                return;
            }

            if (Interlocked.CompareExchange(ref _idle, idle - 1, idle) == idle)
            {
                _work.Add(work);
                return;
            }
        }
    }

    private void Start(Action first)
    {
        Interlocked.Increment(ref _started);
        var thread = new Thread(() => Serve(first), StackBytes)
        {
            IsBackground = true,
            Name = "berth-blocking",
        };
        thread.Start();
    }

    private void Serve(Action first)
    {
        for (var work = first; ; )
        {
            work();
            Interlocked.Increment(ref _idle);
            if (_work.TryTake(out var next, idleLife))
            {
                work = next;
                continue;
            }

            if (TryRetire())
            {
                return;
            }

            // Work was handed over as this thread gave up waiting; it is on its way.
            work = _work.Take();
        }
    }

    private bool TryRetire()
    {
        while (true)
        {
            var idle = Volatile.Read(ref _idle);
            if (idle == 0)
            {
                return false;
            }

            if (Interlocked.CompareExchange(ref _idle, idle - 1, idle) == idle)
            {
                return true;
            }
        }
    }
}
