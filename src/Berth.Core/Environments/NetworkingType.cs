namespace Berth.Core.Environments;

/// <summary>The egress policy of an environment's sandboxes.</summary>
public enum NetworkingType
{
    /// <summary>Any public host on any port.</summary>
    Unrestricted,

    /// <summary>Only the allowed hosts, plus package registries and MCP servers when enabled.</summary>
    Limited,

    /// <summary>Only the allowed hosts.</summary>
    AllowedHosts,
}
