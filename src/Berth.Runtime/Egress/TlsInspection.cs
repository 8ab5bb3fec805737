using System.Net;
using System.Net.Security;
using System.Net.Sockets;
using System.Security.Authentication;
using System.Security.Cryptography.X509Certificates;
using Microsoft.Extensions.Logging;

namespace Berth.Runtime.Egress;

/// <summary>
/// TLS from a confined sandbox to a host its policy allows, answered by the gateway itself with a
/// certificate of its own authority, which confined sandboxes trust. The gateway then reads the
/// HTTP request inside, and a request whose Host header or target names a host the policy denies
/// is refused with a 403 inside the TLS; one it allows goes upstream over a TLS connection of the
/// gateway's own, which checks the upstream's certificate for the server name, with
/// <c>Connection: close</c> so that the connection carries that one request.
/// </summary>
internal sealed class TlsInspection(
    GatewayCertificates certificates, X509Certificate2Collection trustedUpstreamRoots,
    EgressForwarder forwarder, DecisionRecorder decisions, EgressOptions options, ILogger logger)
{
    private static readonly TimeSpan HandshakeTimeout = TimeSpan.FromSeconds(10);
    private static readonly TimeSpan ReadTimeout = TimeSpan.FromSeconds(10);

    /// <summary>
    /// Serves one connection whose ClientHello, in <paramref name="clientHello"/>, named
    /// <paramref name="target"/>'s host, which the policy allows.
    /// </summary>
    public async Task RunAsync(
        Socket client, SandboxSession session, InspectedTarget target, ReadOnlyMemory<byte> clientHello,
        CancellationToken cancellationToken)
    {
        using var open = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken, session.Ended);
        var sandboxSide = new SslStream(new ReplayedStream(clientHello, new NetworkStream(client, ownsSocket: true)));
        await using (sandboxSide.ConfigureAwait(false))
        {
            try
            {
                await ServeAsync(client, sandboxSide, session, target, open.Token).ConfigureAwait(false);
            }
            catch (Exception e) when (e is OperationCanceledException or IOException && open.IsCancellationRequested)
            {
                // The session ended or the gateway is stopping.
                EgressForwarder.Reset(client);
            }
        }
    }

    private async Task ServeAsync(
        Socket client, SslStream sandboxSide, SandboxSession session, InspectedTarget target,
        CancellationToken cancellationToken)
    {
        var (host, port) = (target.Host, target.Port);
        if (!await AcceptAsync(sandboxSide, host, cancellationToken).ConfigureAwait(false))
        {
            EgressForwarder.Reset(client);
            return;
        }

        var start = await ConnectionStart.ReadAsync(
            sandboxSide, ReadOnlyMemory<byte>.Empty, ReadTimeout, cancellationToken).ConfigureAwait(false);
        if (start.Kind == StartKind.MalformedHttp || start.Http?.NotForwardedBecause is not null)
        {
            // A request whose hosts cannot be read for sure is answered, not forwarded.
            var reason = start.Http?.NotForwardedBecause ?? "the request is not well-formed HTTP/1.1";
            await AnswerAsync(sandboxSide, RefusalResponses.BadRequest(reason), cancellationToken)
                .ConfigureAwait(false);
            return;
        }

        if (start.Http is not { } head)
        {
            // Only HTTP inside TLS can be checked; anything else might name any host.
            decisions.Record(session, host, port, EgressProtocols.Tls,
                new PolicyVerdict(false, EgressRules.DefaultDeny));
            EgressForwarder.Reset(client);
            return;
        }

        foreach (var other in new[] { start.Host, head.TargetHost })
        {
            if (await RefuseOtherNameAsync(sandboxSide, session, host, port, other, cancellationToken)
                .ConfigureAwait(false))
            {
                return;
            }
        }

        var (upstreamSide, problem) = target.Address is { } address
            ? await ConnectAsync(host, new IPEndPoint(address, port), cancellationToken).ConfigureAwait(false)
            : (null, target.Problem ?? "it has no address");
        if (upstreamSide is null)
        {
            logger.UpstreamFailed(session.SessionId, host, port, problem!);
            var response = RefusalResponses.BadGateway(host, port, problem!);
            await AnswerAsync(sandboxSide, response, cancellationToken)
                .ConfigureAwait(false);
            return;
        }

        await using (upstreamSide.ConfigureAwait(false))
        {
            var (request, body) = RequestRelay.FirstBytes(head, start);
            var relay = new RequestRelay(
                (sandboxSide, () => new ValueTask(sandboxSide.ShutdownAsync())),
                (upstreamSide, () => new ValueTask(upstreamSide.ShutdownAsync())),
                body, head.AsksToUpgrade, options.HalfClosedIdleTimeout);
            if (!await relay.RunAsync(request, cancellationToken).ConfigureAwait(false))
            {
                EgressForwarder.Reset(client);
            }
        }
    }

    private async Task<bool> AcceptAsync(SslStream sandboxSide, string host, CancellationToken cancellationToken)
    {
        using var deadline = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        deadline.CancelAfter(HandshakeTimeout);
        try
        {
            var settings = new SslServerAuthenticationOptions
            {
                ServerCertificateContext = certificates.For(host),
                ApplicationProtocols = [SslApplicationProtocol.Http11],
            };
            await sandboxSide.AuthenticateAsServerAsync(settings, deadline.Token).ConfigureAwait(false);

            return true;
        }
        catch (Exception e) when (e is AuthenticationException or IOException or OperationCanceledException)
        {
            // A client that does not trust the gateway's authority ends here, with its own error.
            logger.InspectionHandshakeFailed(host, e.Message);
            return false;
        }
    }

    private async Task<bool> RefuseOtherNameAsync(
        SslStream sandboxSide, SandboxSession session, string host, int port, string? otherName,
        CancellationToken cancellationToken)
    {
        if (forwarder.DenyOtherName(session, EgressProtocols.Tls, host, port, otherName) is not var (verdict, reason))
        {
            return false;
        }

        var response = RefusalResponses.Forbidden(
            otherName!, port, verdict.Rule, $"{reason}, though the TLS server name is {host}");
        await AnswerAsync(sandboxSide, response, cancellationToken).ConfigureAwait(false);

        return true;
    }

    private static async Task AnswerAsync(SslStream sandboxSide, byte[] response, CancellationToken cancellationToken)
    {
        try
        {
            await sandboxSide.WriteAsync(response, cancellationToken).ConfigureAwait(false);
            await sandboxSide.ShutdownAsync().ConfigureAwait(false);
        }
        catch (Exception e) when (e is IOException or OperationCanceledException)
        {
            // The client went away before it read why.
        }
    }

    private async Task<(SslStream? Stream, string? Problem)> ConnectAsync(
        string host, IPEndPoint upstream, CancellationToken cancellationToken)
    {
        var (socket, refused) = await UpstreamSockets.ConnectAsync(upstream, options.ConnectTimeout, cancellationToken)
            .ConfigureAwait(false);
        if (socket is null)
        {
            return (null, refused);
        }

        string? rejection = null;
        var stream = new SslStream(new NetworkStream(socket, ownsSocket: true), false,
            (_, certificate, chain, errors) => (rejection = Rejection(certificate, chain, errors)) is null);
        using var deadline = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        deadline.CancelAfter(options.ConnectTimeout);
        try
        {
            var settings = new SslClientAuthenticationOptions
            {
                TargetHost = host,
                ApplicationProtocols = [SslApplicationProtocol.Http11],
            };
            await stream.AuthenticateAsClientAsync(settings, deadline.Token).ConfigureAwait(false);

            return (stream, null);
        }
        catch (Exception e) when (e is AuthenticationException or IOException or OperationCanceledException)
        {
            await stream.DisposeAsync().ConfigureAwait(false);
            var problem = e switch
            {
                AuthenticationException => rejection is null
                    ? $"TLS with it failed ({e.Message})"
                    : $"its TLS certificate {rejection}",
                OperationCanceledException when !cancellationToken.IsCancellationRequested =>
                    UpstreamSockets.Silent(upstream, options.ConnectTimeout),
                _ => e.Message,
            };

            return (null, problem);
        }
    }

    // Null when the upstream's certificate is accepted: by the machine's trust store or, for a
    // chain that store does not accept, by the roots Egress:TrustedUpstreamCertificates adds. A
    // certificate for another name is never accepted. Otherwise, what is wrong with it.
    private string? Rejection(X509Certificate? certificate, X509Chain? chain, SslPolicyErrors errors)
    {
        if (errors == SslPolicyErrors.None)
        {
            return null;
        }

        if (certificate is null || errors.HasFlag(SslPolicyErrors.RemoteCertificateNotAvailable))
        {
            return "was not sent";
        }

        if (errors.HasFlag(SslPolicyErrors.RemoteCertificateNameMismatch))
        {
            return "is for another name";
        }

        var problems = string.Join(", ", (chain?.ChainStatus ?? []).Select(s => s.Status).Distinct());
        if (trustedUpstreamRoots.Count > 0)
        {
            using var custom = new X509Chain();
            custom.ChainPolicy.TrustMode = X509ChainTrustMode.CustomRootTrust;
            custom.ChainPolicy.CustomTrustStore.AddRange(trustedUpstreamRoots);
            custom.ChainPolicy.RevocationMode = X509RevocationMode.NoCheck;
            using var presented = new X509Certificate2(certificate);
            if (custom.Build(presented))
            {
                return null;
            }

            problems = string.Join(", ", custom.ChainStatus.Select(s => s.Status).Distinct());
        }

        return $"is not trusted ({problems})";
    }
}

/// <summary>
/// The host and port a TLS connection is for, and the address the gateway resolved for the host,
/// or why it has none.
/// </summary>
internal sealed record InspectedTarget(string Host, int Port, IPAddress? Address, string? Problem);
