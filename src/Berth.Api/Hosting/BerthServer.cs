using Berth.Api.Auth;
using Berth.Api.Builds;
using Berth.Api.Environments;
using Berth.Api.Errors;
using Berth.Api.Health;
using Berth.Api.Http;
using Berth.Api.Idempotency;
using Berth.Api.Sessions;
using Berth.Runtime;
using Berth.Storage;
using Berth.Storage.Sqlite;
using Microsoft.Extensions.Configuration.Memory;
using Scalar.AspNetCore;

namespace Berth.Api.Hosting;

/// <summary>Builds the Berth API host: services, middleware and routes.</summary>
public static class BerthServer
{
    public const string DefaultUrl = "http://127.0.0.1:8080";

    // ASP.NET Core logs several lines per request at Information, which costs more CPU than a
    // simple request itself. They stay off unless settings turn them on; the startup lines
    // ("Now listening on") come from Microsoft.Hosting.Lifetime and stay.
    private static readonly Dictionary<string, string?> DefaultLogLevels = new()
    {
        ["Logging:LogLevel:Microsoft.AspNetCore"] = "Warning",
        ["Logging:LogLevel:Microsoft.Hosting"] = "Warning",
        ["Logging:LogLevel:Microsoft.Hosting.Lifetime"] = "Information",
    };

    public static WebApplication Build(string[] args, Action<WebApplicationBuilder>? configure = null)
    {
        var builder = WebApplication.CreateBuilder(args);

        // First in line, so that every other source (appsettings.json, variables, arguments) wins.
        builder.Configuration.Sources.Insert(0, new MemoryConfigurationSource { InitialData = DefaultLogLevels });
        builder.Configuration.AddEnvironmentVariables("BERTH__");
        builder.WebHost.UseUrls(builder.Configuration["Urls"] ?? DefaultUrl);
        builder.WebHost.ConfigureKestrel(kestrel => kestrel.Limits.MaxRequestBodySize = null);
        builder.AddBerthStore();
        builder.AddBerthRuntime();
        builder.AddBerthApi();
        configure?.Invoke(builder);

        var app = builder.Build();
        app.UseBerthPipeline();
        app.MapHealthApi();
        app.MapBerthDocs();
        app.MapGroup("/v1")
            .WithMetadata(new ApiEndpointMetadata(), new IdempotentEndpointMetadata())
            .MapEnvironmentsApi()
            .MapBuildsApi()
            .MapSessionsApi();

        return app;
    }

    /// <summary>Creates or migrates the store; on a store with no tokens at all, makes the first admin token.</summary>
    /// <returns>The new admin token's secret when one was made, else null.</returns>
    public static async Task<string?> PrepareStoreAsync(this WebApplication app, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(app);
        var services = app.Services;
        await services.GetRequiredService<SqliteDatabase>().MigrateAsync(cancellationToken);

        return await services.GetRequiredService<AdminTokenBootstrap>().RunAsync(cancellationToken);
    }

    private static void AddBerthStore(this WebApplicationBuilder builder)
    {
        var options = builder.Configuration.GetSection("Store").Get<StoreOptions>() ?? new StoreOptions();
        builder.Services.AddSingleton(options);
        builder.Services.AddSingleton(TimeProvider.System);
        builder.Services.AddSingleton<SqliteDatabase>();
        builder.Services.AddSingleton<TokenStore>();
        builder.Services.AddSingleton<EnvironmentStore>();
        builder.Services.AddSingleton<IdempotencyStore>();
        builder.Services.AddSingleton<BuildStore>();
        builder.Services.AddSingleton<SessionStore>();
        builder.Services.AddSingleton<AdminTokenBootstrap>();
    }

    /// <summary>The runtime instance of a server on this data folder: <c>berth-</c> and a digest of its full path.</summary>
    public static string InstanceNameFor(string dataDirectory)
    {
        var path = System.Text.Encoding.UTF8.GetBytes(Path.GetFullPath(dataDirectory));

        return "berth-" + Convert.ToHexStringLower(System.Security.Cryptography.SHA256.HashData(path))[..10];
    }

    private static void AddBerthRuntime(this WebApplicationBuilder builder)
    {
        var dataDirectory = builder.Configuration["Store:DataDirectory"] ?? new StoreOptions().DataDirectory;
        builder.Services.AddBerthRuntime(
            runtime =>
            {
                // Two servers on one engine must never take each other's sandboxes for orphans:
                // unless an operator names the instance, each store is an instance of its own.
                runtime.InstanceName = InstanceNameFor(dataDirectory);
                builder.Configuration.GetSection(RuntimeOptions.SectionName).Bind(runtime);
            },
            sandboxes => builder.Configuration.GetSection(Runtime.Sandboxes.SandboxOptions.SectionName).Bind(sandboxes));
        builder.Services.Configure<Runtime.Egress.EgressOptions>(
            builder.Configuration.GetSection(Runtime.Egress.EgressOptions.SectionName));
        builder.Services.PostConfigure<Runtime.Egress.EgressOptions>(egress =>
            egress.CertificateDirectory ??= Path.Combine(Path.GetFullPath(dataDirectory), "egress-ca"));
        builder.Services.Configure<BuildOptions>(builder.Configuration.GetSection(BuildOptions.SectionName));
        builder.Services.AddSingleton<BuildCoordinator>();
        builder.Services.AddHostedService(services => services.GetRequiredService<BuildCoordinator>());
        builder.Services.AddSingleton<UnusedImageCollector>();
        builder.Services.AddHostedService(services => services.GetRequiredService<UnusedImageCollector>());
        builder.Services.Configure<SessionSettings>(builder.Configuration.GetSection(SessionSettings.SectionName));
        builder.Services.AddSingleton<RuntimeStatus>();
        builder.Services.AddSingleton<LiveSessions>();
        builder.Services.AddSingleton<SessionEvents>();

        // The egress gateway, made in AddBerthRuntime, finds its decision sink here.
        builder.Services.AddSingleton<SessionEgressLog>();
        builder.Services.AddSingleton<Runtime.Egress.IEgressDecisionSink>(services => services.GetRequiredService<SessionEgressLog>());
        builder.Services.AddHostedService(services => services.GetRequiredService<SessionEgressLog>());
        builder.Services.AddSingleton<SessionLifecycle>();
        builder.Services.AddSingleton<SessionCommands>();
        builder.Services.AddSingleton<SessionSupervisor>();
        builder.Services.AddHostedService(services => services.GetRequiredService<SessionSupervisor>());
    }

    private static void AddBerthApi(this WebApplicationBuilder builder)
    {
        builder.Services.ConfigureHttpJsonOptions(json =>
        {
            json.SerializerOptions.PropertyNamingPolicy = System.Text.Json.JsonNamingPolicy.SnakeCaseLower;
            json.SerializerOptions.TypeInfoResolverChain.Insert(0, ApiJsonContext.Default);
        });
        builder.Services.AddProblemDetails();
        builder.Services.AddOpenApi("v1", openApi => openApi.DescribeRawJson().AddDocumentTransformer((document, _, _) =>
        {
            document.Info.Title = "Berth API";
            document.Info.Description = "Environments and sandbox sessions for AI agents, on your own machines.";
            return Task.CompletedTask;
        }));
        builder.Services.AddSingleton<TokenValidator>();
        builder.Services.AddSingleton<EnvironmentService>();
    }

    private static void UseBerthPipeline(this WebApplication app)
    {
        app.UseRequestIds();
        app.UseApiErrors();
        app.UseCloudPrefixAlias();
        app.UseBearerTokens();
        app.UseRouting();
        app.UseRoles();
        app.UseIdempotencyKeys();
    }

    private static void MapBerthDocs(this WebApplication app)
    {
        app.MapOpenApi("/openapi/{documentName}.json");
        app.MapScalarApiReference("/docs", scalar => scalar
            .WithTitle("Berth API")
            .WithOpenApiRoutePattern("/openapi/{documentName}.json"));
    }
}
