using System.Buffers.Binary;
using System.Security.Cryptography;
using System.Text;

namespace Berth.Runtime.Egress;

/// <summary>
/// Names of what the gateway creates on the machine, unique per Berth instance so that several
/// instances (and test runs) share a machine: Docker networks, bridge interfaces (15 characters
/// at most), iptables chains (28 at most) and an NFLOG group.
/// </summary>
internal sealed class InstanceNames
{
    private const int FirstLogGroup = 1000;
    private const int LogGroupCount = 60000;

    private readonly uint _hash;

    public InstanceNames(string instance)
    {
        _hash = BinaryPrimitives.ReadUInt32BigEndian(SHA256.HashData(Encoding.UTF8.GetBytes(instance)));
        Instance = instance;
    }

    public string Instance { get; }

    public string ConfinedNetwork => $"{Instance}-sandboxes-confined";

    public string OpenNetwork => $"{Instance}-sandboxes-open";

    public string ConfinedBridge => $"berth{Tag}c";

    public string OpenBridge => $"berth{Tag}o";

    public string ChainPrefix => $"BERTH-{Tag.ToUpperInvariant()}";

    public int LogGroup => FirstLogGroup + (int)(_hash % LogGroupCount);

    private string Tag => _hash.ToString("x8", System.Globalization.CultureInfo.InvariantCulture);
}
