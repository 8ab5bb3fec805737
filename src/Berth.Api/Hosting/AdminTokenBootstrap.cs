using Berth.Core.Accounts;
using Berth.Storage;

namespace Berth.Api.Hosting;

/// <summary>Makes the first admin token of a new store and leaves it where its owner can read it.</summary>
public sealed class AdminTokenBootstrap(TokenStore tokens, StoreOptions options)
{
    public const string DefaultAccount = "default";
    public const string FileName = "admin-token";

    public string TokenPath => Path.Combine(options.DataDirectory, FileName);

    public async Task<string?> RunAsync(CancellationToken cancellationToken)
    {
        if (await tokens.AnyAsync(cancellationToken))
        {
            return null;
        }

        var (_, secret) = await tokens.CreateAsync(DefaultAccount, Role.Admin, "bootstrap admin", null, cancellationToken);
        await WriteOwnerOnlyAsync(TokenPath, secret + "\n", cancellationToken);

        return secret;
    }

    private static async Task WriteOwnerOnlyAsync(string path, string text, CancellationToken cancellationToken)
    {
        const UnixFileMode ownerOnly = UnixFileMode.UserRead | UnixFileMode.UserWrite;
        var file = new FileStreamOptions { Mode = FileMode.Create, Access = FileAccess.Write };
        if (!OperatingSystem.IsWindows())
        {
            // Created with 0600 from the start, so there is no moment when others could read it.
            file.UnixCreateMode = ownerOnly;
        }

        await using (var stream = new FileStream(path, file))
        await using (var writer = new StreamWriter(stream))
        {
            await writer.WriteAsync(text.AsMemory(), cancellationToken);
        }

        if (!OperatingSystem.IsWindows())
        {
            // An older file of the same name keeps its mode on truncation; set it again.
            File.SetUnixFileMode(path, ownerOnly);
        }
    }
}
