namespace Berth.Cli.Configuration;

/// <summary>
/// Which server the client commands talk to and with which token, and where each came from.
/// Flags win over environment variables, which win over <c>berth login</c>'s saved config.
/// </summary>
internal sealed record ClientSettings(Uri Url, string? Token, string UrlSource, string TokenSource)
{
    public const string DefaultUrl = "http://127.0.0.1:8080";
    public const string UrlVariable = "BERTH_URL";
    public const string TokenVariable = "BERTH_TOKEN";

    /// <summary>The token that <c>berth serve</c> writes for its first admin, relative to the current folder.</summary>
    public static readonly string LocalAdminTokenPath = Path.Combine(".berth", "admin-token");

    public static async Task<ClientSettings> ResolveAsync(string? urlFlag, string? tokenFlag, CancellationToken cancellationToken)
    {
        var saved = await UserConfig.LoadAsync(cancellationToken);
        var (url, urlSource) = First(
            (urlFlag, "--url"),
            (Environment.GetEnvironmentVariable(UrlVariable), UrlVariable),
            (saved.Url, UserConfig.FilePath),
            (DefaultUrl, "default"));
        var (token, tokenSource) = First(
            (tokenFlag, "--token"),
            (Environment.GetEnvironmentVariable(TokenVariable), TokenVariable),
            (saved.Token, UserConfig.FilePath),
            (await ReadLocalAdminTokenAsync(cancellationToken), LocalAdminTokenPath));

        return new ClientSettings(ParseUrl(url!, urlSource), token, urlSource, tokenSource);
    }

    /// <summary>
    /// The admin token of a server started in this folder by <c>./run.sh</c>, so that a new user
    /// can try every command before learning about tokens.
    /// </summary>
    public static async Task<string?> ReadLocalAdminTokenAsync(CancellationToken cancellationToken)
    {
        if (!File.Exists(LocalAdminTokenPath))
        {
            return null;
        }

        try
        {
            var text = (await File.ReadAllTextAsync(LocalAdminTokenPath, cancellationToken)).Trim();

            return text.Length > 0 ? text : null;
        }
        catch (UnauthorizedAccessException)
        {
            // Another user's server: its token is not ours to use.
            return null;
        }
    }

    public static Uri ParseUrl(string text, string source)
    {
        var trimmed = text.Trim().TrimEnd('/');
        if (!Uri.TryCreate(trimmed, UriKind.Absolute, out var url) || url.Scheme is not ("http" or "https"))
        {
            throw new UsageException($"The server URL from {source} must be an http:// or https:// address, not '{text}'.");
        }

        return url;
    }

    private static (string? Value, string Source) First(params (string? Value, string Source)[] candidates)
    {
        foreach (var (value, source) in candidates)
        {
            if (!string.IsNullOrWhiteSpace(value))
            {
                return (value.Trim(), source);
            }
        }

        return (null, "none");
    }
}
