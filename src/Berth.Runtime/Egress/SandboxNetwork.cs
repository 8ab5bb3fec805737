using System.Net;

namespace Berth.Runtime.Egress;

/// <summary>
/// A Docker network for sandboxes: the confined one, whose only way out is the gateway, or the
/// open one for <c>unrestricted</c> sandboxes.
/// </summary>
internal sealed record SandboxNetwork(
    string Name, string Bridge, IPAddress Gateway, IPNetwork Subnet, bool IsConfined);
