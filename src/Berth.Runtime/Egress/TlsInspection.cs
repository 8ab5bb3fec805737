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
            // Of what the client sends, only this request goes upstream: its head, and its body
            // as far as its length says. Bytes after it (a pipelined request) are dropped.
            var body = start.Bytes[start.HeadLength..];
            long? bodyLeft = null;
            if (head.BodyLength is { } length)
            {
                body = body[..(int)Math.Min(body.Length, length)];
                bodyLeft = length - body.Length;
            }

            byte[] request = head.AsksToUpgrade ? start.Bytes.ToArray() : [.. head.ToSingleRequestForm(), .. body.Span];
            await RelayAsync(client, sandboxSide, upstreamSide, request, bodyLeft, cancellationToken)
                .ConfigureAwait(false);
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
        if (otherName is null || otherName == host)
        {
            return false;
        }

        var (verdict, reason) = forwarder.Decide(session, otherName, port);
        if (verdict.IsAllowed)
        {
            return false;
        }

        decisions.Record(session, otherName, port, EgressProtocols.Tls, verdict);
        var response = RefusalResponses.Forbidden(
            otherName, port, verdict.Rule, $"{reason}, though the TLS server name is {host}");
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
        var socket = new Socket(upstream.AddressFamily, SocketType.Stream, ProtocolType.Tcp) { NoDelay = true };
        SslStream? stream = null;
        using var deadline = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        deadline.CancelAfter(options.ConnectTimeout);
        try
        {
            await socket.ConnectAsync(upstream, deadline.Token).ConfigureAwait(false);
            stream = new SslStream(new NetworkStream(socket, ownsSocket: true), false, ValidateUpstream);
            var settings = new SslClientAuthenticationOptions
            {
                TargetHost = host,
                ApplicationProtocols = [SslApplicationProtocol.Http11],
            };
            await stream.AuthenticateAsClientAsync(settings, deadline.Token).ConfigureAwait(false);

            return (stream, null);
        }
        catch (Exception e) when (e is SocketException or AuthenticationException or IOException
            or OperationCanceledException)
        {
            if (stream is not null)
            {
                await stream.DisposeAsync().ConfigureAwait(false);
            }

            socket.Dispose();
            var problem = e switch
            {
                AuthenticationException => $"its TLS certificate is not valid for {host} ({e.Message})",
                SocketException refused =>
                    $"connecting to {upstream.Address}:{upstream.Port} failed ({refused.SocketErrorCode})",
                OperationCanceledException when !cancellationToken.IsCancellationRequested =>
                    $"it did not answer within {options.ConnectTimeout.TotalSeconds:0.#} s",
                _ => e.Message,
            };

            return (null, problem);
        }
    }

    // The machine's trust store first; then, for a chain it does not accept, the roots that
    // Egress:TrustedUpstreamCertificates adds. A certificate for another name is never accepted.
    private bool ValidateUpstream(object sender, X509Certificate? certificate, X509Chain? chain, SslPolicyErrors errors)
    {
        if (errors == SslPolicyErrors.None)
        {
            return true;
        }

        if (errors != SslPolicyErrors.RemoteCertificateChainErrors || certificate is null
            || trustedUpstreamRoots.Count == 0)
        {
            return false;
        }

        using var custom = new X509Chain();
        custom.ChainPolicy.TrustMode = X509ChainTrustMode.CustomRootTrust;
        custom.ChainPolicy.CustomTrustStore.AddRange(trustedUpstreamRoots);
        custom.ChainPolicy.RevocationMode = X509RevocationMode.NoCheck;
        using var presented = new X509Certificate2(certificate);

        return custom.Build(presented);
    }

    // Each way until it ends. The upstream's end ends the connection; the sandbox's end is passed
    // on, and the answer may then take until the half-closed idle timeout. A reset or failure on
    // either side resets the other. Towards the upstream, at most bodyLeft more bytes go (null: all).
    private async Task RelayAsync(
        Socket client, SslStream sandboxSide, SslStream upstreamSide, byte[] request, long? bodyLeft,
        CancellationToken cancellationToken)
    {
        using var relay = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        var halfClosed = false;
        var failed = false;

        async Task PumpAsync(Stream from, Stream to, bool towardsUpstream)
        {
            var buffer = new byte[64 * 1024];
            try
            {
                int read;
                while ((read = await from.ReadAsync(buffer, relay.Token).ConfigureAwait(false)) > 0)
                {
                    var forward = towardsUpstream && bodyLeft is { } left ? (int)Math.Min(read, left) : read;
                    if (towardsUpstream && bodyLeft is not null)
                    {
                        bodyLeft -= forward;
                    }

                    if (forward > 0)
                    {
                        await to.WriteAsync(buffer.AsMemory(0, forward), relay.Token).ConfigureAwait(false);
                    }

                    if (Volatile.Read(ref halfClosed))
                    {
                        relay.CancelAfter(options.HalfClosedIdleTimeout);
                    }
                }

                if (towardsUpstream)
                {
                    Volatile.Write(ref halfClosed, true);
                    relay.CancelAfter(options.HalfClosedIdleTimeout);
                    await upstreamSide.ShutdownAsync().ConfigureAwait(false);
                }
                else
                {
                    await sandboxSide.ShutdownAsync().ConfigureAwait(false);
                    await relay.CancelAsync().ConfigureAwait(false);
                }
            }
            catch (Exception e) when (e is IOException or OperationCanceledException or ObjectDisposedException)
            {
                if (!relay.IsCancellationRequested)
                {
                    Volatile.Write(ref failed, true);
                    await relay.CancelAsync().ConfigureAwait(false);
                }
            }
        }

        try
        {
            await upstreamSide.WriteAsync(request, cancellationToken).ConfigureAwait(false);
        }
        catch (Exception e) when (e is IOException or OperationCanceledException)
        {
            EgressForwarder.Reset(client);
            return;
        }

        await Task.WhenAll(
            PumpAsync(sandboxSide, upstreamSide, towardsUpstream: true),
            PumpAsync(upstreamSide, sandboxSide, towardsUpstream: false)).ConfigureAwait(false);
        if (Volatile.Read(ref failed))
        {
            EgressForwarder.Reset(client);
        }
    }
}

/// <summary>
/// The host and port a TLS connection is for, and the address the gateway resolved for the host,
/// or why it has none.
/// </summary>
internal sealed record InspectedTarget(string Host, int Port, IPAddress? Address, string? Problem);
