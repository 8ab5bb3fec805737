using Docker.DotNet.Models;

namespace Berth.Runtime.Docker;

/// <summary>
/// Collects the error that a streamed Engine API response (pull, import) reports in-band:
/// the HTTP status of such a response is 200 even when the operation fails.
/// </summary>
/// <remarks>
/// Implemented directly instead of with <see cref="Progress{T}"/>, which posts reports to the
/// thread pool and could see them after the call has returned.
/// </remarks>
internal sealed class JsonMessageErrors : IProgress<JSONMessage>
{
    private string? _error;

    public void Report(JSONMessage value)
    {
        var message = value.Error?.Message ?? value.ErrorMessage;
        if (!string.IsNullOrEmpty(message))
        {
            _error ??= message;
        }
    }

    public void ThrowIfFailed(string operation)
    {
        if (_error is not null)
        {
            throw new RuntimeOperationException(operation, _error);
        }
    }
}
