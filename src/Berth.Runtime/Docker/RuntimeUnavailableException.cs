namespace Berth.Runtime.Docker;

/// <summary>
/// The Docker engine did not answer. Thrown by the operations layer only; the public
/// surface of this project turns it into a value.
/// </summary>
internal sealed class RuntimeUnavailableException(string endpoint, Exception inner)
    : Exception(
        $"The Docker engine at {endpoint} did not answer ({inner.Message}). "
        + "Start it (scripts/ensure-docker.sh) or set Runtime:DockerEndpoint.",
        inner);
