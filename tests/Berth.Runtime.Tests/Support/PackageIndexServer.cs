using System.Net;
using System.Net.Sockets;
using System.Text;

namespace Berth.Runtime.Tests.Support;

/// <summary>
/// A PEP 503 simple package index over HTTP, serving the wheels it is given, on an address of
/// this machine that build containers reach (the Docker bridge's gateway).
/// </summary>
internal sealed class PackageIndexServer : IDisposable
{
    private readonly HttpListener _listener = new();
    private readonly Dictionary<string, Wheel> _wheelsByProject;
    private readonly Task _serving;

    public PackageIndexServer(string address, IEnumerable<(string Project, Wheel Wheel)> wheels)
    {
        _wheelsByProject = wheels.ToDictionary(w => w.Project, w => w.Wheel, StringComparer.Ordinal);
        var port = FreePort(address);
        Url = $"http://{address}:{port}/simple/";
        _listener.Prefixes.Add($"http://{address}:{port}/");
        _listener.Start();
        _serving = Task.Run(ServeAsync);
    }

    public string Url { get; }

    public void Dispose()
    {
        if (!_listener.IsListening)
        {
            return;
        }

        _listener.Stop();
        _listener.Close();
        _serving.Wait(TimeSpan.FromSeconds(5));
    }

    private static int FreePort(string address)
    {
        using var probe = new TcpListener(IPAddress.Parse(address), 0);
        probe.Start();

        return ((IPEndPoint)probe.LocalEndpoint).Port;
    }

    private async Task ServeAsync()
    {
        while (_listener.IsListening)
        {
            HttpListenerContext context;
            try
            {
                context = await _listener.GetContextAsync();
            }
            catch (Exception e) when (e is HttpListenerException or ObjectDisposedException
                or InvalidOperationException)
            {
                return;
            }

            await AnswerAsync(context);
        }
    }

    private async Task AnswerAsync(HttpListenerContext context)
    {
        var path = context.Request.Url?.AbsolutePath ?? "/";
        var (status, contentType, body) = Route(path);
        context.Response.StatusCode = status;
        context.Response.ContentType = contentType;
        context.Response.ContentLength64 = body.Length;
        await context.Response.OutputStream.WriteAsync(body);
        context.Response.Close();
    }

    private (int Status, string ContentType, byte[] Body) Route(string path)
    {
        var parts = path.Trim('/').Split('/');
        if (parts is ["simple", var project] && _wheelsByProject.TryGetValue(project, out var wheel))
        {
            var html = $"<!DOCTYPE html><html><body><a href=\"/files/{wheel.FileName}#sha256={wheel.Sha256}\">"
                + $"{wheel.FileName}</a></body></html>";
            return (200, "text/html", Encoding.UTF8.GetBytes(html));
        }

        var file = _wheelsByProject.Values.FirstOrDefault(w => parts is ["files", var name] && name == w.FileName);
        if (file is not null)
        {
            return (200, "application/octet-stream", file.Content);
        }

        return (404, "text/plain", Encoding.UTF8.GetBytes("not found"));
    }
}
