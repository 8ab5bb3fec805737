using System.Net;
using System.Net.Sockets;
using Microsoft.Extensions.Logging;

namespace Berth.Runtime.Egress;

/// <summary>
/// Decides one connection of a sandbox by the host it names and the port it wants, records the
/// decision, and then either refuses it at once with the reason or connects the upstream and
/// splices the two in the kernel.
/// </summary>
internal sealed class EgressForwarder(
    UpstreamResolver resolver, DecisionRecorder decisions, EgressOptions options, ILogger logger)
{
    private static readonly TimeSpan DrainTimeout = TimeSpan.FromSeconds(1);

    private static readonly TimeSpan LimitWarningInterval = TimeSpan.FromSeconds(10);

    private readonly HashSet<int> _forwardedPorts = [.. options.ForwardedPorts];
    private readonly int _maxConnections = options.MaxConnections ?? DescriptorBudget.Connections();
    private int _open;
    private long _lastGatewayWarning = NeverWarned;

    /// <summary>
    /// Counts a sandbox's new connection to the gateway, or resets it at once when the sandbox
    /// or the gateway as a whole has as many open as allowed (each one read, forwarded or not).
    /// </summary>
    public bool TryAdmit(Socket client, SandboxSession session)
    {
        if (Interlocked.Increment(ref _open) > _maxConnections)
        {
            Interlocked.Decrement(ref _open);
            if (IsDue(ref _lastGatewayWarning))
            {
                logger.GatewayFull(_maxConnections);
            }
        }
        else if (session.TryOpenConnection(options.MaxConnectionsPerSandbox))
        {
            return true;
        }
        else
        {
            Interlocked.Decrement(ref _open);
            if (IsDue(ref session.LastLimitWarning))
            {
                logger.TooManyConnections(session.SessionId, options.MaxConnectionsPerSandbox);
            }
        }

        Reset(client);

        return false;
    }

    public void Release(SandboxSession session)
    {
        session.CloseConnection();
        Interlocked.Decrement(ref _open);
    }

    // A flood of refused connections is one line in the log every few seconds, not one each.
    private static bool IsDue(ref long lastWarning) => IsDue(ref lastWarning, Environment.TickCount64);

    /// <summary>
    /// Whether a warning last given at <paramref name="lastWarning"/> (<see cref="NeverWarned"/>
    /// at first) is due again at <paramref name="now"/>, in milliseconds; if so, it is now given.
    /// </summary>
    internal static bool IsDue(ref long lastWarning, long now)
    {
        var last = Volatile.Read(ref lastWarning);
        return (last == NeverWarned || now - last >= (long)LimitWarningInterval.TotalMilliseconds)
            && Interlocked.CompareExchange(ref lastWarning, now, last) == last;
    }

    public const long NeverWarned = long.MinValue;

    /// <summary>
    /// Answers the TLS of confined sandboxes, to check the HTTP inside; null when
    /// <c>Egress:InspectTls</c> is off, and TLS is then judged by its server name alone.
    /// </summary>
    public TlsInspection? Inspection { get; set; }

    /// <summary>Where the gateway would connect for <paramref name="host"/>, or why it would not.</summary>
    public Task<UpstreamLookup> ResolveAsync(string host, CancellationToken cancellationToken) =>
        resolver.ResolveAsync(host, cancellationToken);

    public bool IsForwarded(int port) => options.ForwardAllPorts || _forwardedPorts.Contains(port);

    /// <summary>The policy's verdict on a host and port, and what to tell the client when it is a denial.</summary>
    public (PolicyVerdict Verdict, string Reason) Decide(SandboxSession session, string host, int port)
    {
        if (!IsForwarded(port))
        {
            return (new PolicyVerdict(false, EgressRules.DefaultDeny), $"port {port} is not forwarded by the gateway");
        }

        var verdict = session.Policy.Decide(host);

        return (verdict, verdict.IsAllowed ? "" : $"{host} is not an allowed host");
    }

    /// <summary>Decides, records, and refuses or forwards; <paramref name="firstBytes"/> go upstream first.</summary>
    /// <remarks>
    /// With <paramref name="upgrade"/>, the connection is relayed in user space, so that what the
    /// sandbox sends after the request waits for the upstream to switch protocols; otherwise it is
    /// spliced in the kernel.
    /// </remarks>
    public async Task RunAsync(
        Socket client, SandboxSession session, string protocol, string host, int port,
        ReadOnlyMemory<byte> firstBytes, CancellationToken cancellationToken, UpgradeRequest? upgrade = null)
    {
        var speaksHttp = protocol == EgressProtocols.Http;
        var (verdict, reason) = Decide(session, host, port);
        if (!verdict.IsAllowed)
        {
            decisions.Record(session, host, port, protocol, verdict);
            await RefuseAsync(client, speaksHttp, host, port, verdict.Rule, reason, cancellationToken)
                .ConfigureAwait(false);
            return;
        }

        var lookup = await resolver.ResolveAsync(host, cancellationToken).ConfigureAwait(false);
        if (lookup.IsClosed)
        {
            var closed = new PolicyVerdict(false, EgressRules.DefaultDeny);
            decisions.Record(session, host, port, protocol, closed);
            await RefuseAsync(client, speaksHttp, host, port, closed.Rule, lookup.Problem!, cancellationToken)
                .ConfigureAwait(false);
            return;
        }

        decisions.Record(session, host, port, protocol, verdict);
        var problem = lookup.Problem;
        if (protocol == EgressProtocols.Tls && session.Policy.IsConfined && Inspection is { } inspection)
        {
            // Even without an upstream: inside the TLS the client can be told why.
            var target = new InspectedTarget(host, port, lookup.Address, lookup.Problem);
            await inspection.RunAsync(client, session, target, firstBytes, cancellationToken).ConfigureAwait(false);
            return;
        }

        if (lookup.Address is { } address)
        {
            using var open = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken, session.Ended);
            var endpoint = new IPEndPoint(address, port);
            problem = upgrade is null
                ? await KernelSplice.ConnectAndRunAsync(
                    client, endpoint, firstBytes, options.ConnectTimeout, options.HalfClosedIdleTimeout, open.Token)
                    .ConfigureAwait(false)
                : await RelayUpgradeAsync(client, endpoint, firstBytes, upgrade.Body, open.Token)
                    .ConfigureAwait(false);
            if (problem is null)
            {
                return;
            }
        }

        // The upstream cannot be reached: an HTTP client is told why, any other is reset.
        logger.UpstreamFailed(session.SessionId, host, port, problem ?? "unknown");
        if (speaksHttp)
        {
            await SendAndCloseAsync(client, RefusalResponses.BadGateway(host, port, problem ?? "unknown"),
                cancellationToken).ConfigureAwait(false);
        }
        else
        {
            Reset(client);
        }
    }

    // Null once the relay has run, or why the upstream could not be reached.
    private async Task<string?> RelayUpgradeAsync(
        Socket client, IPEndPoint upstream, ReadOnlyMemory<byte> request, RequestBody body,
        CancellationToken cancellationToken)
    {
        var (connected, problem) = await UpstreamSockets.ConnectAsync(
            upstream, options.ConnectTimeout, cancellationToken).ConfigureAwait(false);
        if (connected is null)
        {
            return problem;
        }

        using var socket = connected;
        await using var sandboxSide = new NetworkStream(client, ownsSocket: false);
        await using var upstreamSide = new NetworkStream(socket, ownsSocket: false);
        var relay = new RequestRelay(
            (sandboxSide, () => EndSending(client)), (upstreamSide, () => EndSending(socket)),
            body, upgrade: true, options.HalfClosedIdleTimeout);
        if (await relay.RunAsync(request, cancellationToken).ConfigureAwait(false))
        {
            client.Close();
        }
        else
        {
            Reset(client);
        }

        return null;
    }

    private static ValueTask EndSending(Socket socket)
    {
        socket.Shutdown(SocketShutdown.Send);
        return ValueTask.CompletedTask;
    }

    /// <summary>Refuses, and returns true, when <paramref name="otherName"/> names another, denied host.</summary>
    public async Task<bool> RefuseOtherNameAsync(
        Socket client, SandboxSession session, string protocol, string host, int port, string? otherName,
        CancellationToken cancellationToken)
    {
        if (DenyOtherName(session, protocol, host, port, otherName) is not var (verdict, reason))
        {
            return false;
        }

        await RefuseAsync(
            client, protocol == EgressProtocols.Http, otherName!, port, verdict.Rule,
            $"{reason}, though the request also names {host}", cancellationToken).ConfigureAwait(false);

        return true;
    }

    /// <summary>
    /// The verdict, recorded, when <paramref name="otherName"/> names a host other than
    /// <paramref name="host"/> that the policy denies; null when it names none or an allowed one.
    /// </summary>
    public (PolicyVerdict Verdict, string Reason)? DenyOtherName(
        SandboxSession session, string protocol, string host, int port, string? otherName)
    {
        if (otherName is null || otherName == host)
        {
            return null;
        }

        var (verdict, reason) = Decide(session, otherName, port);
        if (verdict.IsAllowed)
        {
            return null;
        }

        decisions.Record(session, otherName, port, protocol, verdict);

        return (verdict, reason);
    }

    /// <summary>
    /// Forwards a connection whose first bytes were read as <paramref name="start"/>, to
    /// <paramref name="host"/>. An HTTP request goes as one checked request: refused when it
    /// cannot be forwarded from a confined sandbox or its target names a denied host, sent with
    /// <c>Connection: close</c>, and relayed in user space when it asks to upgrade.
    /// </summary>
    public async Task ForwardAsync(
        Socket client, SandboxSession session, ConnectionStart start, string host, int port,
        CancellationToken cancellationToken)
    {
        if (start.Http is not { } head)
        {
            await RunAsync(client, session, start.Protocol, host, port, start.Bytes, cancellationToken)
                .ConfigureAwait(false);
            return;
        }

        // An unrestricted sandbox may reach the address whatever the request names.
        if (head.NotForwardedBecause is { } refusal && session.Policy.IsConfined)
        {
            await SendAndCloseAsync(client, RefusalResponses.BadRequest(refusal), cancellationToken)
                .ConfigureAwait(false);
            return;
        }

        if (await RefuseOtherNameAsync(client, session, start.Protocol, host, port, head.TargetHost, cancellationToken)
            .ConfigureAwait(false))
        {
            return;
        }

        var (request, body) = RequestRelay.FirstBytes(head, start);
        await RunAsync(
            client, session, start.Protocol, host, port, request, cancellationToken,
            head.AsksToUpgrade ? new UpgradeRequest(body) : null).ConfigureAwait(false);
    }

    public static async Task RefuseAsync(
        Socket client, bool speaksHttp, string host, int port, string rule, string reason,
        CancellationToken cancellationToken)
    {
        if (!speaksHttp)
        {
            Reset(client);
            return;
        }

        await SendAndCloseAsync(client, RefusalResponses.Forbidden(host, port, rule, reason), cancellationToken)
            .ConfigureAwait(false);
    }

    public static async Task SendAndCloseAsync(Socket client, byte[] response, CancellationToken cancellationToken)
    {
        await client.SendAsync(response, SocketFlags.None, cancellationToken).ConfigureAwait(false);
        client.Shutdown(SocketShutdown.Send);

        // Closing with unread bytes from the client would reset the connection and could destroy
        // the response before the client reads it; what the client still sends is read and dropped.
        using var drain = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        drain.CancelAfter(DrainTimeout);
        var buffer = new byte[4096];
        try
        {
            while (await client.ReceiveAsync(buffer, SocketFlags.None, drain.Token).ConfigureAwait(false) > 0)
            {
            }
        }
        catch (Exception e) when (e is OperationCanceledException or SocketException)
        {
            // The client has the response; whatever it does with the connection now is its own affair.
        }
    }

    /// <summary>Closes with a reset, so that a TLS or other client fails at once rather than waiting.</summary>
    public static void Reset(Socket client)
    {
        client.LingerState = new LingerOption(true, 0);
        client.Close();
    }
}

/// <summary>
/// A plain HTTP request that asks to upgrade the connection, with its body, by which the rest of
/// it is counted after the bytes read with its head.
/// </summary>
internal sealed record UpgradeRequest(RequestBody Body);
