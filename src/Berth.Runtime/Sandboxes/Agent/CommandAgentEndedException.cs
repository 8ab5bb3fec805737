namespace Berth.Runtime.Sandboxes.Agent;

/// <summary>A sandbox's command agent has ended, or did not become ready, so it takes no more frames.</summary>
internal sealed class CommandAgentEndedException(string message, Exception? inner = null) : Exception(message, inner);
