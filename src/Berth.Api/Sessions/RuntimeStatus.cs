using Berth.Runtime;

namespace Berth.Api.Sessions;

/// <summary>Whether a container runtime answers, asked at most every couple of seconds.</summary>
/// <remarks>Session routes check this on every call; asking the engine each time would double their cost.</remarks>
public sealed class RuntimeStatus(RuntimeProbe probe, TimeProvider time) : IDisposable
{
    private static readonly TimeSpan Freshness = TimeSpan.FromSeconds(2);
    private readonly SemaphoreSlim _asking = new(1, 1);
    private (bool Available, DateTimeOffset At) _last = (false, DateTimeOffset.MinValue);

    public const string UnavailableMessage =
        "No sandbox runtime is available: the container engine does not answer. Sessions work again once it is back; the environments API works meanwhile.";

    public async Task<bool> IsAvailableAsync(CancellationToken cancellationToken)
    {
        var last = _last;
        if (time.GetUtcNow() - last.At < Freshness)
        {
            return last.Available;
        }

        await _asking.WaitAsync(cancellationToken);
        try
        {
            if (time.GetUtcNow() - _last.At >= Freshness)
            {
                var answer = await probe.PingAsync(cancellationToken);
                _last = (answer.IsAvailable, time.GetUtcNow());
            }

            return _last.Available;
        }
        finally
        {
            _asking.Release();
        }
    }

    public void Dispose() => _asking.Dispose();
}
