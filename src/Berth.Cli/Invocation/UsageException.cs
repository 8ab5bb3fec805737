namespace Berth.Cli;

/// <summary>
/// A command line that parsed but cannot be carried out as written: a bad URL, a file that is
/// not JSON or YAML, two flags that contradict each other. The command ends with exit code 2.
/// </summary>
internal sealed class UsageException(string message) : Exception(message);
