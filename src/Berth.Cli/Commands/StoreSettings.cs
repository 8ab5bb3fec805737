using System.CommandLine;
using Berth.Storage;
using Microsoft.Extensions.Configuration;

namespace Berth.Cli.Commands;

/// <summary>Finds the store the way the server does: appsettings.json, BERTH__ variables, then --data-dir.</summary>
internal static class StoreSettings
{
    public static Option<string?> DataDirectoryOption() => new("--data-dir")
    {
        Description = "Folder of the store (default .berth, or Store:DataDirectory in settings).",
    };

    public static StoreOptions Resolve(string? dataDirectory)
    {
        var configuration = new ConfigurationBuilder()
            .SetBasePath(AppContext.BaseDirectory)
            .AddJsonFile("appsettings.json", optional: true)
            .AddEnvironmentVariables("BERTH__")
            .Build();
        var options = configuration.GetSection("Store").Get<StoreOptions>() ?? new StoreOptions();
        if (dataDirectory is not null)
        {
            options.DataDirectory = dataDirectory;
        }

        return options;
    }
}
