using System.CommandLine;
using Berth.Cli.Client;
using Berth.Cli.Configuration;
using Berth.Cli.Output;

namespace Berth.Cli.Invocation;

/// <summary>What a client command works with: its parsed line, the console, the API and where its settings came from.</summary>
internal sealed class ClientContext(ParseResult parse, CliConsole console, BerthApi api, ClientSettings settings)
{
    public ParseResult Parse => parse;

    public CliConsole Console => console;

    public BerthApi Api => api;

    public ClientSettings Settings => settings;

    public T? Value<T>(Option<T> option) => parse.GetValue(option);

    public T? Value<T>(Argument<T> argument) => parse.GetValue(argument);

    // Options with a default value (flags) have a result even when not given; that one is implicit.
    public bool Has(Option option) => parse.GetResult(option) is { Implicit: false };

    /// <summary>Shows an API error with a hint for the mistakes a new user makes, and returns its exit code.</summary>
    public int Fail(ApiError error) => console.Fail(error, HintFor(error));

    private string? HintFor(ApiError error) => error.Status switch
    {
        401 when settings.Token is null =>
            $"No token is configured: run berth login, set {ClientSettings.TokenVariable}, or pass --token.",
        401 => $"The token from {settings.TokenSource} was refused: run berth login with a valid one.",
        403 => "The token's role does not allow this call; ask for a token with a wider role.",
        _ => null,
    };
}
