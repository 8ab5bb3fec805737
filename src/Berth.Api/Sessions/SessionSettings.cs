namespace Berth.Api.Sessions;

/// <summary>Settings of session bookkeeping.</summary>
public sealed class SessionSettings
{
    public const string SectionName = "Sessions";

    /// <summary>How often sessions past their idle deadline are looked for.</summary>
    public TimeSpan IdleCheckInterval { get; set; } = TimeSpan.FromSeconds(2);

    /// <summary>The largest file one upload may write.</summary>
    public long MaxFileBytes { get; set; } = 5L * 1024 * 1024 * 1024;

    /// <summary>How often a live event stream sends a comment to keep the connection open.</summary>
    public TimeSpan EventHeartbeat { get; set; } = TimeSpan.FromSeconds(15);
}
