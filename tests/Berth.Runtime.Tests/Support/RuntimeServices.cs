using Microsoft.Extensions.DependencyInjection;

namespace Berth.Runtime.Tests.Support;

/// <summary>A service provider with the runtime registered as the server registers it.</summary>
internal static class RuntimeServices
{
    public static ServiceProvider Create(Action<RuntimeOptions> configure) =>
        new ServiceCollection()
            .AddBerthRuntime(configure)
            .BuildServiceProvider(new ServiceProviderOptions { ValidateOnBuild = true });
}
