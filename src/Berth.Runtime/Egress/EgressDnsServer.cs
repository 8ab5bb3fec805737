using System.Collections.Concurrent;
using System.Net;
using ARSoft.Tools.Net.Dns;
using Microsoft.Extensions.Logging;

namespace Berth.Runtime.Egress;

/// <summary>
/// The DNS server on a sandbox network's gateway address (UDP and TCP 53). On the confined
/// network it answers every allowed name with the gateway's own address, so that whatever
/// the client, its connection comes to the gateway; on the open network it answers with the
/// real address. Denied names get NXDOMAIN at once, and every question is a decision.
/// </summary>
internal sealed class EgressDnsServer : IDisposable
{
    private const int DnsPort = 53;
    private const int AnswerTimeToLiveSeconds = 30;
    private const int TransportTimeoutMs = 5000;

    // Resolvers ask over TCP only when an answer over UDP was cut short, which these never are.
    private const int MaxTcpConnections = 64;

    // A resolver asks for a name's IPv4 and IPv6 addresses together: one lookup to whoever reads
    // the decisions. The same name from the same sandbox within this time is not recorded again.
    private const long SameLookupMs = 1000;

    private static readonly TimeSpan LookupTimeout = TimeSpan.FromSeconds(5);

    private readonly ConcurrentDictionary<IPAddress, Lookup> _lastLookups = new();

    private readonly DnsServer _server;
    private readonly SandboxNetwork _network;
    private readonly SandboxRegistry _registry;
    private readonly UpstreamResolver _upstream;
    private readonly DecisionRecorder _decisions;
    private readonly ILogger _logger;

    public EgressDnsServer(
        SandboxNetwork network, SandboxRegistry registry, UpstreamResolver upstream,
        DecisionRecorder decisions, ILogger logger)
    {
        _network = network;
        _registry = registry;
        _upstream = upstream;
        _decisions = decisions;
        _logger = logger;

        var endpoint = new IPEndPoint(network.Gateway, DnsPort);
        _server = new DnsServer(
            new UdpServerTransport(endpoint, TransportTimeoutMs),
            new DnsTcpTransport(endpoint, TransportTimeoutMs, MaxTcpConnections));
        _server.QueryReceived += OnQueryReceivedAsync;
        _server.ExceptionThrown += OnExceptionThrownAsync;
    }

    public void Start() => _server.Start();

    public void Dispose() => _server.Stop();

    private async Task OnQueryReceivedAsync(object sender, QueryReceivedEventArgs e)
    {
        if (e.Query is DnsMessage query)
        {
            e.Response = await AnswerAsync(query, e.RemoteEndpoint.Address).ConfigureAwait(false);
        }
    }

    private Task OnExceptionThrownAsync(object sender, ExceptionEventArgs e)
    {
        _logger.DnsServerFailed(e.Exception);

        return Task.CompletedTask;
    }

    private async Task<DnsMessage> AnswerAsync(DnsMessage query, IPAddress source)
    {
        var response = query.CreateResponseInstance();
        var session = _registry.Find(source);
        if (session is null)
        {
            _logger.UnknownSource(source.ToString());
            response.ReturnCode = ReturnCode.Refused;
            return response;
        }

        // A sandbox that asks faster than any resolver would is told no, at no cost to the others.
        if (session.LookupBudget is { } budget && !budget.TryTake(Environment.TickCount64))
        {
            response.ReturnCode = ReturnCode.Refused;
            return response;
        }

        // Resolvers ask one question per message; several would each need a decision.
        if (query.Questions.Count != 1)
        {
            response.ReturnCode = ReturnCode.FormatError;
            return response;
        }

        var question = query.Questions[0];
        var name = question.Name.ToString().TrimEnd('.').ToLowerInvariant();
        var verdict = session.Policy.Decide(name);
        if (!IsRepeat(source, new Lookup(session.SessionId, name, verdict.IsAllowed, Environment.TickCount64)))
        {
            _decisions.Record(session, name, DnsPort, EgressProtocols.Dns, verdict);
        }

        response.IsRecursionAllowed = true;
        if (!verdict.IsAllowed)
        {
            response.ReturnCode = ReturnCode.NxDomain;
            return response;
        }

        // Sandboxes have no IPv6 and other record types carry no address to confine: an allowed
        // name answers them with no records, so that clients go on to their A query.
        if (question.RecordType != RecordType.A || question.RecordClass != RecordClass.INet)
        {
            return response;
        }

        var address = await AddressForAsync(name).ConfigureAwait(false);
        if (address is null)
        {
            response.ReturnCode = ReturnCode.NxDomain;
            return response;
        }

        response.AnswerRecords.Add(new ARecord(question.Name, AnswerTimeToLiveSeconds, address));

        return response;
    }

    private async Task<IPAddress?> AddressForAsync(string name)
    {
        if (_network.IsConfined)
        {
            return _network.Gateway;
        }

        using var timeout = new CancellationTokenSource(LookupTimeout);
        try
        {
            var lookup = await _upstream.ResolveAsync(name, timeout.Token).ConfigureAwait(false);
            return lookup.Address;
        }
        catch (OperationCanceledException)
        {
            return null;
        }
    }

    private bool IsRepeat(IPAddress source, Lookup lookup)
    {
        // The factory that ran last is the one whose swap took effect, so exactly one of two
        // questions that race sees the other's.
        Lookup? previous = null;
        _lastLookups.AddOrUpdate(
            source,
            _ =>
            {
                previous = null;
                return lookup;
            },
            (_, existing) =>
            {
                previous = existing;
                return lookup;
            });

        return previous is { } p && p.SessionId == lookup.SessionId && p.Name == lookup.Name
            && p.Allowed == lookup.Allowed && lookup.AtMs - p.AtMs < SameLookupMs;
    }

    private sealed record Lookup(string SessionId, string Name, bool Allowed, long AtMs);
}
