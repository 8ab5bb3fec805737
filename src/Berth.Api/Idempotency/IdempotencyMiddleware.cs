using System.Security.Cryptography;
using System.Text;
using Berth.Api.Auth;
using Berth.Api.Errors;
using Berth.Api.Http;
using Berth.Storage;

namespace Berth.Api.Idempotency;

/// <summary>Marks endpoints whose JSON requests may carry an idempotency key; the nearest mark decides.</summary>
/// <param name="enabled">False for routes whose bodies are streamed, such as file uploads, which are never buffered.</param>
public sealed class IdempotentEndpointMetadata(bool enabled = true)
{
    public bool Enabled => enabled;
}

/// <summary>Replays the stored response of a request already made with the same idempotency key.</summary>
public static class IdempotencyMiddleware
{
    private const int MaxKeyLength = 255;
    private static readonly string[] KeyHeaders = ["Idempotency-Key", "X-Idempotency-Key"];

    // Two copies of a request arriving together must run once: the second waits for the first
    // and then finds its stored response. Only requests with the same key ever wait.
    private static readonly KeyedLocks Locks = new();

    public static IApplicationBuilder UseIdempotencyKeys(this IApplicationBuilder app) =>
        app.Use(async (httpContext, next) =>
        {
            var key = ReadKey(httpContext.Request);
            if (key is null
                || HttpMethods.IsGet(httpContext.Request.Method)

                // A stream is answered as it is produced and cannot be stored to replay.
                || ServerSentEvents.IsRequested(httpContext.Request)
                || httpContext.GetEndpoint()?.Metadata.GetMetadata<IdempotentEndpointMetadata>() is not { Enabled: true })
            {
                await next(httpContext);
                return;
            }

            if (key.Length > MaxKeyLength || key.Any(c => c is < ' ' or > '~'))
            {
                await ErrorWriter.WriteAsync(httpContext, 400,
                    $"The Idempotency-Key header must be 1 to {MaxKeyLength} printable ASCII characters.");
                return;
            }

            await HandleAsync(httpContext, next, key);
        });

    private static string? ReadKey(HttpRequest request)
    {
        foreach (var header in KeyHeaders)
        {
            var value = request.Headers[header].ToString();
            if (value.Length > 0)
            {
                return value;
            }
        }

        return null;
    }

    private static async Task HandleAsync(HttpContext httpContext, RequestDelegate next, string key)
    {
        var caller = httpContext.GetCaller();
        var cancellationToken = httpContext.RequestAborted;
        var body = await JsonBody.ReadBytesAsync(httpContext.Request, cancellationToken);
        if (!body.IsValid)
        {
            await ErrorWriter.WriteAsync(httpContext, 400, body.Error.Message);
            return;
        }

        var fingerprint = Fingerprint(httpContext.Request, body.Value);
        using (await Locks.AcquireAsync($"{caller.Account}\n{key}", cancellationToken))
        {
            var store = httpContext.RequestServices.GetRequiredService<IdempotencyStore>();
            var stored = await store.FindAsync(caller.Account, key, cancellationToken);
            if (stored is not null)
            {
                await ReplayAsync(httpContext, stored, fingerprint);
                return;
            }

            var response = await RunCapturedAsync(httpContext, next, body.Value);
            if (response.Status is >= 200 and < 300)
            {
                var time = httpContext.RequestServices.GetRequiredService<TimeProvider>();
                var record = new IdempotencyRecord(fingerprint, response.Status, response.Body, response.Location, time.GetUtcNow());
                await store.SaveAsync(caller.Account, key, record, CancellationToken.None);
            }
        }
    }

    private static async Task ReplayAsync(HttpContext httpContext, IdempotencyRecord stored, byte[] fingerprint)
    {
        if (!CryptographicOperations.FixedTimeEquals(stored.Fingerprint, fingerprint))
        {
            await ErrorWriter.WriteAsync(httpContext, 409,
                "This idempotency key was already used with a different request; use a new key for a new request.");
            return;
        }

        var response = httpContext.Response;
        response.StatusCode = stored.Status;
        response.ContentType = "application/json";
        response.Headers["Idempotent-Replayed"] = "true";
        if (stored.Location is not null)
        {
            response.Headers.Location = stored.Location;
        }

        await response.Body.WriteAsync(stored.Body, httpContext.RequestAborted);
    }

    private static async Task<(int Status, byte[] Body, string? Location)> RunCapturedAsync(
        HttpContext httpContext, RequestDelegate next, byte[] requestBody)
    {
        httpContext.Request.Body = new MemoryStream(requestBody, writable: false);
        var original = httpContext.Response.Body;
        using var captured = new MemoryStream();
        httpContext.Response.Body = captured;
        try
        {
            await next(httpContext);
        }
        finally
        {
            httpContext.Response.Body = original;
        }

        captured.Position = 0;
        await captured.CopyToAsync(original, httpContext.RequestAborted);

        return (httpContext.Response.StatusCode, captured.ToArray(), httpContext.Response.Headers.Location.ToString() is { Length: > 0 } l ? l : null);
    }

    /// <summary>A digest of method, route and body: the request a key stands for.</summary>
    private static byte[] Fingerprint(HttpRequest request, byte[] body)
    {
        using var hash = IncrementalHash.CreateHash(HashAlgorithmName.SHA256);
        hash.AppendData(Encoding.UTF8.GetBytes($"{request.Method.ToUpperInvariant()} {request.Path}\n"));
        hash.AppendData(body);

        return hash.GetHashAndReset();
    }
}
