using System.CommandLine;
using System.Globalization;
using Berth.Core;
using Berth.Core.Accounts;
using Berth.Storage;
using Berth.Cli.Output;
using Berth.Storage.Sqlite;

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
            var console = CliConsole.Create(json: false);
            if (!Roles.TryParse(parse.GetValue(role), out var parsedRole))
            {
                return console.Fail(ExitCodes.Usage, "--role must be admin, member or reader.");
            }

            var lifetime = parse.GetValue(expiresIn);
            TimeSpan? duration = null;
            if (lifetime is not null)
            {
                if (!TryParseDuration(lifetime, out var parsed))
                {
                    return console.Fail(ExitCodes.Usage, "--expires-in must be a number followed by d, h or m, such as 30d.");
                }

                duration = parsed;
            }

            using var database = await OpenAsync(parse.GetValue(dataDirectory), cancellationToken);
            var tokens = new TokenStore(database, TimeProvider.System);
            var (token, secret) = await tokens.CreateAsync(
                parse.GetValue(account)!.Trim(), parsedRole, parse.GetValue(name)!,
                duration is { } d ? DateTimeOffset.UtcNow + d : null, cancellationToken);
            console.WriteNote($"Created {token.Role.ToWire()} token {token.Id} for account '{token.Account}'. It is shown only now:");
            console.WriteLine(secret);

            return ExitCodes.Success;
        });

        return command;
    }

    private static Command ListTokens()
    {
        var account = new Option<string?>("--account") { Description = "Only this account's tokens." };
        var dataDirectory = StoreSettings.DataDirectoryOption();
        var json = new Option<bool>("--json") { Description = "Print only JSON on stdout." };
        var command = new Command("list", "List tokens (never their secrets).") { account, dataDirectory, json };
        command.SetAction(async (parse, cancellationToken) =>
        {
            var console = CliConsole.Create(parse.GetValue(json));
            using var database = await OpenAsync(parse.GetValue(dataDirectory), cancellationToken);
            var tokens = await new TokenStore(database, TimeProvider.System).ListAsync(parse.GetValue(account), cancellationToken);
            var now = DateTimeOffset.UtcNow;
            var rows = tokens.Select(token => new
            {
                token.Id,
                token.Account,
                Role = token.Role.ToWire(),
                token.Name,
                Created = Timestamps.Format6(token.CreatedAt),
                Expires = token.ExpiresAt is { } e ? Timestamps.Format6(e) : null,
                State = token.RevokedAt is not null ? "revoked" : token.IsActive(now) ? "active" : "expired",
            }).ToList();
            if (console.IsJson)
            {
                var array = new System.Text.Json.Nodes.JsonArray([.. rows.Select(r => new System.Text.Json.Nodes.JsonObject
                {
                    ["id"] = r.Id, ["account"] = r.Account, ["role"] = r.Role, ["name"] = r.Name,
                    ["created_at"] = r.Created, ["expires_at"] = r.Expires, ["state"] = r.State,
                })]);
                console.WriteJson(array);
                return ExitCodes.Success;
            }

            var table = new TextTable("ID", "ACCOUNT", "ROLE", "NAME", "CREATED", "EXPIRES", "STATE");
            foreach (var row in rows)
            {
                table.AddRow(row.Id, row.Account, row.Role, row.Name, row.Created, row.Expires ?? "never", row.State);
            }

            console.WriteTable(table);

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
            var console = CliConsole.Create(json: false);
            using var database = await OpenAsync(parse.GetValue(dataDirectory), cancellationToken);
            var revoked = await new TokenStore(database, TimeProvider.System).RevokeAsync(parse.GetValue(token)!, cancellationToken);
            if (!revoked)
            {
                return console.Fail(ExitCodes.NotFound, $"No active token has the id or unique name '{parse.GetValue(token)}'.");
            }

            console.WriteNote("Revoked.");

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
