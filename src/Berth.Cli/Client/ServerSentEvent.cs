namespace Berth.Cli.Client;

/// <summary>One event of a <c>text/event-stream</c> response.</summary>
internal sealed record ServerSentEvent(string? Id, string Name, string Data);
