using System.Collections.Concurrent;
using System.Text;
using Berth.Runtime.Sandboxes;

namespace Berth.Runtime.Tests.Sandboxes;

/// <summary>Keeps every piece of streamed output, in order, for assertions.</summary>
internal sealed class RecordingExecOutput : IExecOutput
{
    private readonly ConcurrentQueue<(ExecStream Stream, string Text)> _pieces = new();

    public IReadOnlyList<(ExecStream Stream, string Text)> Pieces => _pieces.ToList();

    /// <summary>Completes when the first piece arrives.</summary>
    public TaskCompletionSource FirstPiece { get; } = new(TaskCreationOptions.RunContinuationsAsynchronously);

    public string TextOf(ExecStream stream) =>
        string.Concat(_pieces.Where(p => p.Stream == stream).Select(p => p.Text));

    public ValueTask WriteAsync(ExecStream stream, string text, CancellationToken cancellationToken)
    {
        _pieces.Enqueue((stream, text));
        FirstPiece.TrySetResult();

        return ValueTask.CompletedTask;
    }

    public static byte[] Utf8(string text) => Encoding.UTF8.GetBytes(text);
}
