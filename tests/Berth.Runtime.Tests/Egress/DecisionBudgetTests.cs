using System.Globalization;
using Berth.Core.Environments;
using Berth.Runtime.Tests.Egress.Support;
using Berth.Runtime.Tests.Support;

namespace Berth.Runtime.Tests.Egress;

/// <summary>A sandbox that asks for endless names can neither fill the store with its decisions nor hog the resolver.</summary>
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
        var seconds = double.Parse(result.Output, CultureInfo.InvariantCulture);
        await Task.Delay(TimeSpan.FromSeconds(2), timeout.Token);

        // The default budget: 50 a second, 1,000 at once.
        var recorded = fixture.Decisions.For(sandbox.SessionId).Count;
        Assert.InRange(recorded, 100, 1_000 + (50 * (seconds + 3)));
    }

    [Fact]
    public async Task FloodOfLookups_IsRefusedPastTheSandboxsBudget_WhileAnotherSandboxIsAnswered()
    {
        using var timeout = Bounded.Quick();
        var limited = new NetworkingConfig(NetworkingType.Limited, [EgressFixture.AllowedHost], null, null);
        var flooding = await fixture.StartSandboxAsync(limited, timeout.Token);
        var other = await fixture.StartSandboxAsync(limited, timeout.Token);

        // 4,000 lookups in batches of 100 as fast as they are answered, and the answers' return
        // codes counted (5 is REFUSED).
        var flood = await flooding.RunAsync(
            "python3 - <<'EOF'\n"
            + "import socket, struct, collections, time\n"
            + "s = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)\n"
            + "s.settimeout(1)\n"
            + "start = time.monotonic()\n"
            + "name = b'\\7allowed\\4test\\0'\n"
            + "codes = collections.Counter()\n"
            + "for batch in range(40):\n"
            + "    for i in range(100):\n"
            + $"        s.sendto(struct.pack('>HHHHHH', i, 0x100, 1, 0, 0, 0) + name + b'\\0\\1\\0\\1', ('{flooding.Gateway}', 53))\n"
            + "    try:\n"
            + "        for i in range(100):\n"
            + "            codes[s.recv(512)[3] & 15] += 1\n"
            + "    except socket.timeout:\n"
            + "        pass\n"
            + "print(codes[0], codes[5], time.monotonic() - start)\n"
            + "EOF",
            timeout.Token);
        var lookup = await other.RunAsync($"getent hosts {EgressFixture.AllowedHost}", timeout.Token);

        var (answered, refused, seconds) = flood.Output.Split(' ') is [var a, var r, var t]
            ? (int.Parse(a, CultureInfo.InvariantCulture), int.Parse(r, CultureInfo.InvariantCulture),
                double.Parse(t, CultureInfo.InvariantCulture))
            : throw new InvalidOperationException(flood.Output);

        // The default budget: 200 a second, 2,000 at once.
        Assert.True(refused > 0, flood.Output);
        Assert.InRange(answered, 1_000, 2_000 + (200 * (seconds + 1)));
        Assert.Equal(0, lookup.ExitCode);
    }
}
