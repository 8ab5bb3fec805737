using Berth.Core.Environments;
using Berth.Runtime.Tests.Egress.Support;
using Berth.Runtime.Tests.Support;

namespace Berth.Runtime.Tests.Egress;

/// <summary>A sandbox that asks for endless names cannot fill the store with its decisions.</summary>
[Collection(EgressTestGroup.Name)]
public sealed class DecisionBudgetTests(EgressFixture fixture)
{
    [Fact]
    public async Task FloodOfLookups_IsRecordedOnlyUpToTheSandboxsBudget()
    {
        using var timeout = Bounded.Quick();
        var sandbox = await fixture.StartSandboxAsync(
            new NetworkingConfig(NetworkingType.Limited, [EgressFixture.AllowedHost], null, null), timeout.Token);

        // 3,000 lookups of names that are all different and all denied, as fast as they go.
        var result = await sandbox.RunAsync(
            "python3 - <<'EOF'\n"
            + "import socket, struct, time\n"
            + "s = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)\n"
            + "start = time.monotonic()\n"
            + "for i in range(3000):\n"
            + "    name = b''.join(bytes([len(p)]) + p for p in (b'x%d' % i, b'test')) + b'\\0'\n"
            + $"    s.sendto(struct.pack('>HHHHHH', i, 0x100, 1, 0, 0, 0) + name + b'\\0\\1\\0\\1', ('{sandbox.Gateway}', 53))\n"
            + "print(round(time.monotonic() - start, 1))\n"
            + "EOF",
            timeout.Token);
        var seconds = double.Parse(result.Output, System.Globalization.CultureInfo.InvariantCulture);
        await Task.Delay(TimeSpan.FromSeconds(2), timeout.Token);

        // The default budget: 50 a second, 500 at once.
        var recorded = fixture.Decisions.For(sandbox.SessionId).Count;
        Assert.InRange(recorded, 100, 500 + (50 * (seconds + 3)));
    }
}
