namespace Berth.Api.Tests.Fixtures;

/// <summary>The API host with the machine's real Docker engine, for builds and sessions.</summary>
public sealed class DockerApiServer : ApiServer
{
    protected override IEnumerable<string> RuntimeSettings(string dataDirectory) =>
        [$"--Builds:RuntimeRetryInterval=00:00:00.500"];
}
