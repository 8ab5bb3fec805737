using System.Text.Json;
using System.Text.Json.Nodes;

namespace Berth.Cli.Configuration;

/// <summary>
/// The user's saved server URL and token, in <c>$XDG_CONFIG_HOME/berth/config.json</c>
/// (<c>~/.config/berth/config.json</c> when unset). The file holds a secret, so it is written
/// readable by its owner only.
/// </summary>
internal sealed record UserConfig(string? Url, string? Token)
{
    private const UnixFileMode OwnerOnlyFile = UnixFileMode.UserRead | UnixFileMode.UserWrite;
    private const UnixFileMode OwnerOnlyDirectory = OwnerOnlyFile | UnixFileMode.UserExecute;

    public static string FilePath => Path.Combine(Directory(), "berth", "config.json");

    public static async Task<UserConfig> LoadAsync(CancellationToken cancellationToken)
    {
        if (!File.Exists(FilePath))
        {
            return new UserConfig(null, null);
        }

        try
        {
            await using var file = File.OpenRead(FilePath);
            var node = await JsonNode.ParseAsync(file, cancellationToken: cancellationToken);

            return new UserConfig(Text(node, "url"), Text(node, "token"));
        }
        catch (JsonException error)
        {
            throw new InvalidDataException($"{FilePath} is not valid JSON ({error.Message}); fix it or run berth login again.", error);
        }
    }

    public async Task SaveAsync(CancellationToken cancellationToken)
    {
        var folder = Path.GetDirectoryName(FilePath)!;
        if (OperatingSystem.IsWindows())
        {
            System.IO.Directory.CreateDirectory(folder);
        }
        else
        {
            System.IO.Directory.CreateDirectory(folder, OwnerOnlyDirectory);
        }

        var json = new JsonObject { ["url"] = Url, ["token"] = Token }.ToJsonString(new JsonSerializerOptions { WriteIndented = true });

        // Written beside the file and moved over it, so that a crash never leaves half a config,
        // and created owner-only, so that the token is never readable by others even for a moment.
        var temporary = FilePath + ".tmp";
        var options = new FileStreamOptions { Mode = FileMode.Create, Access = FileAccess.Write };
        if (!OperatingSystem.IsWindows())
        {
            options.UnixCreateMode = OwnerOnlyFile;
        }

        await using (var file = new FileStream(temporary, options))
        await using (var writer = new StreamWriter(file))
        {
            await writer.WriteLineAsync(json.AsMemory(), cancellationToken);
        }

        if (!OperatingSystem.IsWindows())
        {
            File.SetUnixFileMode(temporary, OwnerOnlyFile);
        }

        File.Move(temporary, FilePath, overwrite: true);
    }

    private static string Directory()
    {
        var xdg = Environment.GetEnvironmentVariable("XDG_CONFIG_HOME");
        if (!string.IsNullOrEmpty(xdg) && Path.IsPathRooted(xdg))
        {
            return xdg;
        }

        return OperatingSystem.IsWindows()
            ? Environment.GetFolderPath(Environment.SpecialFolder.ApplicationData)
            : Path.Combine(Environment.GetFolderPath(Environment.SpecialFolder.UserProfile), ".config");
    }

    private static string? Text(JsonNode? node, string name) =>
        node is JsonObject root && root[name] is JsonValue value && value.TryGetValue<string>(out var text)
            && !string.IsNullOrWhiteSpace(text) ? text.Trim() : null;
}
