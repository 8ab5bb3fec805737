using System.CommandLine;
using System.Globalization;
using Berth.Core;
using Berth.Core.Accounts;
using Berth.Storage;
using Berth.Storage.Sqlite;
using Spectre.Console;

namespace Berth.Cli.Commands;

/// <summary><c>berth token</c>: create, list and revoke personal access tokens in the local store.</summary>
internal static class TokenCommand
{
    public static Command Create() => new("token", "Manage personal access tokens in the local store.")
    {
        CreateToken(),
        ListTokens(),
        RevokeToken(),
    };

    private static Command CreateToken()
    {
        var account = new Option<string>("--account") { Description = "Account the token belongs to.", Required = true };
        var role = new Option<string>("--role") { Description = "admin, member or reader.", Required = true };
        var name = new Option<string>("--name") { Description = "A name to recognise the token by.", Required = true };
        var expiresIn = new Option<string?>("--expires-in") { Description = "Lifetime such as 30d, 12h or 45m; never expires when omitted." };
        var dataDirectory = StoreSettings.DataDirectoryOption();
        var command = new Command("create", "Create a token and print it once.") { account, role, name, expiresIn, dataDirectory };
        command.SetAction(async (parse, cancellationToken) =>
        {
            if (!Roles.TryParse(parse.GetValue(role), out var parsedRole))
            {
                await Console.Error.WriteLineAsync("--role must be admin, member or reader.");
                return ExitCodes.Usage;
            }

            var lifetime = parse.GetValue(expiresIn);
            TimeSpan? duration = null;
            if (lifetime is not null)
            {
                if (!TryParseDuration(lifetime, out var parsed))
                {
                    await Console.Error.WriteLineAsync("--expires-in must be a number followed by d, h or m, such as 30d.");
                    return ExitCodes.Usage;
                }

                duration = parsed;
            }

            using var database = await OpenAsync(parse.GetValue(dataDirectory), cancellationToken);
            var tokens = new TokenStore(database, TimeProvider.System);
            var (token, secret) = await tokens.CreateAsync(
                parse.GetValue(account)!.Trim(), parsedRole, parse.GetValue(name)!,
                duration is { } d ? DateTimeOffset.UtcNow + d : null, cancellationToken);
            await Console.Error.WriteLineAsync($"Created {token.Role.ToWire()} token {token.Id} for account '{token.Account}'. It is shown only now:");
            await Console.Out.WriteLineAsync(secret);

            return ExitCodes.Success;
        });

        return command;
    }

    private static Command ListTokens()
    {
        var account = new Option<string?>("--account") { Description = "Only this account's tokens." };
        var dataDirectory = StoreSettings.DataDirectoryOption();
        var command = new Command("list", "List tokens (never their secrets).") { account, dataDirectory };
        command.SetAction(async (parse, cancellationToken) =>
        {
            using var database = await OpenAsync(parse.GetValue(dataDirectory), cancellationToken);
            var tokens = await new TokenStore(database, TimeProvider.System).ListAsync(parse.GetValue(account), cancellationToken);
            var table = new Table().Border(TableBorder.Simple)
                .AddColumns("ID", "ACCOUNT", "ROLE", "NAME", "CREATED", "EXPIRES", "STATE");
            var now = DateTimeOffset.UtcNow;
            foreach (var token in tokens)
            {
                table.AddRow(
                    Markup.Escape(token.Id), Markup.Escape(token.Account), token.Role.ToWire(), Markup.Escape(token.Name),
                    Timestamps.Format6(token.CreatedAt),
                    token.ExpiresAt is { } e ? Timestamps.Format6(e) : "never",
                    token.RevokedAt is not null ? "revoked" : token.IsActive(now) ? "active" : "expired");
            }

            AnsiConsole.Write(table);

            return ExitCodes.Success;
        });

        return command;
    }

    private static Command RevokeToken()
    {
        var token = new Argument<string>("token") { Description = "The token's id (tok_...) or its name when unique." };
        var dataDirectory = StoreSettings.DataDirectoryOption();
        var command = new Command("revoke", "Revoke a token; it stops working within seconds.") { token, dataDirectory };
        command.SetAction(async (parse, cancellationToken) =>
        {
            using var database = await OpenAsync(parse.GetValue(dataDirectory), cancellationToken);
            var revoked = await new TokenStore(database, TimeProvider.System).RevokeAsync(parse.GetValue(token)!, cancellationToken);
            if (!revoked)
            {
                await Console.Error.WriteLineAsync($"No active token has the id or unique name '{parse.GetValue(token)}'.");
                return ExitCodes.NotFound;
            }

            await Console.Error.WriteLineAsync("Revoked.");

            return ExitCodes.Success;
        });

        return command;
    }

    private static async Task<SqliteDatabase> OpenAsync(string? dataDirectory, CancellationToken cancellationToken)
    {
        var database = new SqliteDatabase(StoreSettings.Resolve(dataDirectory));
        await database.MigrateAsync(cancellationToken);

        return database;
    }

    private static bool TryParseDuration(string text, out TimeSpan duration)
    {
        duration = default;
        if (text.Length < 2 || !int.TryParse(text[..^1], NumberStyles.None, CultureInfo.InvariantCulture, out var amount) || amount <= 0)
        {
            return false;
        }

        duration = char.ToLowerInvariant(text[^1]) switch
        {
            'd' => TimeSpan.FromDays(amount),
            'h' => TimeSpan.FromHours(amount),
            'm' => TimeSpan.FromMinutes(amount),
            _ => default,
        };

        return duration > TimeSpan.Zero;
    }
}
