namespace Berth.Runtime.Docker;

/// <summary>
/// The Docker engine answered but refused an operation (for example a full disk during a
/// commit). Thrown by the operations layer only; the public surface turns it into a value.
/// </summary>
internal sealed class RuntimeOperationException : Exception
{
    public RuntimeOperationException(string operation, string detail, Exception? inner = null)
        : base($"Docker could not {operation}: {detail}", inner)
    {
        Operation = operation;
    }

    public string Operation { get; }
}
