namespace Berth.Runtime.Sandboxes.Agent;

/// <summary>The kinds of frame the server and a sandbox's command agent exchange.</summary>
internal enum AgentFrame : byte
{
    /// <summary>To the agent: start a command (JSON: argv, cwd, env, stdin).</summary>
    Run = (byte)'R',

    /// <summary>To the agent: bytes for a command's stdin.</summary>
    Input = (byte)'I',

    /// <summary>To the agent: the end of a command's stdin.</summary>
    CloseInput = (byte)'C',

    /// <summary>To the agent: kill a command's process group.</summary>
    Kill = (byte)'K',

    /// <summary>To the agent: this many more output bytes (4, big-endian) of a command were taken.</summary>
    Acknowledge = (byte)'A',

    /// <summary>From a container's main process, instead of the agent: there is no python3 to run it.</summary>
    NoAgent = (byte)'N',

    /// <summary>From the agent: it is ready for commands.</summary>
    Ready = (byte)'H',

    /// <summary>From the agent: stdout bytes of a command.</summary>
    Stdout = (byte)'O',

    /// <summary>From the agent: stderr bytes of a command.</summary>
    Stderr = (byte)'E',

    /// <summary>From the agent: a command's exit code (4 bytes, big-endian, signed), after all its output.</summary>
    Exit = (byte)'X',
}
