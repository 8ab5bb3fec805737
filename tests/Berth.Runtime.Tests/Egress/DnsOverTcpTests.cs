using System.Globalization;
using Berth.Core.Environments;
using Berth.Runtime.Tests.Egress.Support;
using Berth.Runtime.Tests.Support;
using static Berth.Runtime.Tests.Egress.Support.EgressFixture;

namespace Berth.Runtime.Tests.Egress;

/// <summary>The gateway's name server over TCP answers, and closes every connection its client is done with.</summary>
[Collection(EgressTestGroup.Name)]
public sealed class DnsOverTcpTests(EgressFixture fixture)
{
    private static readonly NetworkingConfig Limited =
        new(NetworkingType.Limited, [AllowedHost], null, null);

    [Fact]
    public async Task Connections_ThatAskedOrNot_AreClosedOnceTheClientHangsUp()
    {
        using var timeout = Bounded.Quick();
        var sandbox = await fixture.StartSandboxAsync(Limited, timeout.Token);

        // Twenty connections ask for allowed.test's address and hang up; twenty hang up at once.
        var result = await sandbox.RunAsync(
            "python3 - <<'EOF'\n"
            + "import socket, struct\n"
            + "question = b'\\x12\\x34\\x01\\x00\\x00\\x01\\x00\\x00\\x00\\x00\\x00\\x00' + b''.join(bytes([len(l)]) + l for l in b'"
            + AllowedHost + "'.split(b'.')) + b'\\x00\\x00\\x01\\x00\\x01'\n"
            + "answers = set()\n"
            + "for _ in range(20):\n"
            + $"    s = socket.create_connection(('{sandbox.Gateway}', 53), timeout=10)\n"
            + "    s.sendall(struct.pack('>H', len(question)) + question)\n"
            + "    length = struct.unpack('>H', s.recv(2))[0]\n"
            + "    answer = s.recv(length)\n"
            + "    answers.add(socket.inet_ntoa(answer[-4:]))\n"
            + "    s.close()\n"
            + "for _ in range(20):\n"
            + $"    socket.create_connection(('{sandbox.Gateway}', 53), timeout=10).close()\n"
            + "print(' '.join(sorted(answers)))\n"
            + "EOF",
            timeout.Token);
        Assert.Equal(sandbox.Gateway.ToString(), result.Output.Trim());

        var deadline = DateTime.UtcNow + TimeSpan.FromSeconds(5);
        while (HalfClosedOnPort53(sandbox) > 0 && DateTime.UtcNow < deadline)
        {
            await Task.Delay(100, timeout.Token);
        }

        Assert.Equal(0, HalfClosedOnPort53(sandbox));
    }

    // Sockets of this machine at the gateway's port 53 whose client has closed its side (CLOSE-WAIT).
    private static int HalfClosedOnPort53(TestSandbox sandbox)
    {
        var bytes = sandbox.Gateway.GetAddressBytes();
        Array.Reverse(bytes);
        var local = $"{Convert.ToHexString(bytes)}:{53.ToString("X4", CultureInfo.InvariantCulture)}";

        return File.ReadLines("/proc/net/tcp")
            .Select(line => line.Split(' ', StringSplitOptions.RemoveEmptyEntries))
            .Count(fields => fields[1] == local && fields[3] == "08");
    }
}
