using System.Diagnostics;
using System.Net;
using Berth.Api.Tests.Fixtures;

namespace Berth.Api.Tests.Sessions;

/// <summary>Sessions whose sandbox dies, races between ends, and uploads cut short: clean answers, no lost data.</summary>
public sealed class SessionFailureTests(DockerApiServer server) : IClassFixture<DockerApiServer>
{
    [Fact]
    public async Task SignalsToTheSandboxsInitFromInside_LeaveTheSessionWorking()
    {
        using var client = await server.NewClientAsync();
        var id = await client.ReadySessionAsync(await client.CreateEnvironmentAsync());

        var killer = await client.ExecAsync(id, new { command = "kill -TERM 1; kill -INT 1; kill -HUP 1; sleep 1; echo sent" });
        var afterwards = await client.ExecAsync(id, new { command = "echo still here" });
        var session = await (await client.GetAsync($"/v1/sessions/{id}")).ReadJsonAsync();

        Assert.Equal("sent\n", killer.GetProperty("stdout").GetString());
        Assert.Equal("still here\n", afterwards.GetProperty("stdout").GetString());
        Assert.Equal("idle", session.GetProperty("status").GetString());
    }

    [Fact]
    public async Task SandboxKilledOutsideBerth_FailsTheSessionAndAnswers409()
    {
        using var client = await server.NewClientAsync();
        var id = await client.ReadySessionAsync(await client.CreateEnvironmentAsync());
        var container = (await server.Get<Runtime.Sandboxes.SandboxRuntime>().ListAsync(CancellationToken.None))!
            .Single(s => s.SessionId == id).ContainerId;
        using (var kill = Process.Start(new ProcessStartInfo("docker", $"kill {container}") { RedirectStandardOutput = true })!)
        {
            await kill.WaitForExitAsync();
            Assert.Equal(0, kill.ExitCode);
        }

        await WaitUntilStoppedAsync(id);

        var exec = await client.PostAsync($"/v1/sessions/{id}/exec", TestHttp.Json("""{"command":"true"}"""));
        var read = await client.GetAsync($"/v1/sessions/{id}/files?path=/etc/hostname");
        var session = await (await client.GetAsync($"/v1/sessions/{id}")).ReadJsonAsync();

        await exec.AssertErrorAsync(409, "conflict_error");
        await read.AssertErrorAsync(409, "conflict_error");
        Assert.Equal("failed", session.GetProperty("status").GetString());
        Assert.Contains("sandbox", session.GetProperty("error").GetProperty("message").GetString());
    }

    [Fact]
    public async Task StreamedExec_OnASandboxRemovedOutsideBerth_EndsWithAnErrorEventAndFailsTheSession()
    {
        using var client = await server.NewClientAsync();
        var id = await client.ReadySessionAsync(await client.CreateEnvironmentAsync());
        var container = (await server.Get<Runtime.Sandboxes.SandboxRuntime>().ListAsync(CancellationToken.None))!
            .Single(s => s.SessionId == id).ContainerId;
        await server.Get<Runtime.Sandboxes.SandboxRuntime>().RemoveAsync(container, CancellationToken.None);
        using var request = new HttpRequestMessage(HttpMethod.Post, $"/v1/sessions/{id}/exec") { Content = TestHttp.Json("""{"command":"echo hi"}""") };
        request.Headers.Accept.ParseAdd("text/event-stream");

        using var response = await client.SendAsync(request);
        var text = await response.Content.ReadAsStringAsync();
        var session = await (await client.GetAsync($"/v1/sessions/{id}")).ReadJsonAsync();

        Assert.Contains("event: error", text);
        Assert.Contains("conflict_error", text);
        Assert.Equal("failed", session.GetProperty("status").GetString());
    }

    [Fact]
    public async Task ConcurrentTerminatesAndDeletes_AllSucceed()
    {
        using var client = await server.NewClientAsync();
        var environment = await client.CreateEnvironmentAsync();
        var first = await client.ReadySessionAsync(environment);
        var second = await client.ReadySessionAsync(environment);

        var answers = await Task.WhenAll(
            client.PostAsync($"/v1/sessions/{first}/terminate", null),
            client.PostAsync($"/v1/sessions/{first}/terminate", null),
            client.PostAsync($"/v1/sessions/{first}/terminate", null),
            client.PostAsync($"/v1/sessions/{second}/terminate", null),
            client.DeleteAsync($"/v1/sessions/{second}"),
            client.DeleteAsync($"/v1/sessions/{second}"));

        Assert.All(answers.Take(4), a => Assert.Equal(HttpStatusCode.OK, a.StatusCode));
        Assert.Contains(answers.Skip(4), a => a.StatusCode == HttpStatusCode.OK);
        Assert.All(answers.Skip(4), a => Assert.True(a.StatusCode is HttpStatusCode.OK or HttpStatusCode.NotFound, $"{a.StatusCode}"));
        Assert.Equal(HttpStatusCode.NotFound, (await client.GetAsync($"/v1/sessions/{second}")).StatusCode);
    }

    [Fact]
    public async Task TerminateDuringExec_AnswersTheExecWith409()
    {
        using var client = await server.NewClientAsync();
        var id = await client.ReadySessionAsync(await client.CreateEnvironmentAsync());

        var exec = client.PostAsync($"/v1/sessions/{id}/exec", TestHttp.Json("""{"command":"sleep 30"}"""));
        await Task.Delay(TimeSpan.FromSeconds(1.5));
        var terminated = await client.PostAsync($"/v1/sessions/{id}/terminate", null);

        Assert.Equal(HttpStatusCode.OK, terminated.StatusCode);
        await (await exec).AssertErrorAsync(409, "conflict_error");
    }

    [Fact]
    public async Task SymlinkLoop_Returns404()
    {
        using var client = await server.NewClientAsync();
        var id = await client.ReadySessionAsync(await client.CreateEnvironmentAsync());
        await client.ExecAsync(id, new { command = "ln -s loop2 /workspace/loop1; ln -s loop1 /workspace/loop2" });

        var response = await client.GetAsync($"/v1/sessions/{id}/files?path=/workspace/loop1");

        await response.AssertErrorAsync(404, "not_found_error");
    }

    [Fact]
    public async Task UploadCutShort_LeavesTheFileAsItWas()
    {
        using var client = await server.NewClientAsync();
        var id = await client.ReadySessionAsync(await client.CreateEnvironmentAsync());
        await client.PutAsync($"/v1/sessions/{id}/files?path=keep.txt", new StringContent("original"));

        await Assert.ThrowsAnyAsync<Exception>(() => client.PutAsync(
            $"/v1/sessions/{id}/files?path=keep.txt", new StreamContent(new FailingStream(8 * 1024 * 1024))));
        await Task.Delay(TimeSpan.FromSeconds(2));
        var kept = await client.GetStringAsync($"/v1/sessions/{id}/files?path=keep.txt");
        var leftovers = await client.ExecAsync(id, new { command = "ls -A /workspace" });

        Assert.Equal("original", kept);
        Assert.Equal("keep.txt\n", leftovers.GetProperty("stdout").GetString());
    }

    private async Task WaitUntilStoppedAsync(string sessionId)
    {
        var sandboxes = server.Get<Runtime.Sandboxes.SandboxRuntime>();
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(30));
        while ((await sandboxes.ListAsync(timeout.Token))!.Any(s => s.SessionId == sessionId && s.Running))
        {
            await Task.Delay(100, timeout.Token);
        }
    }

    /// <summary>Gives <paramref name="failAfter"/> bytes, then fails as a client that goes away would.</summary>
    private sealed class FailingStream(long failAfter) : Stream
    {
        private long _given;

        public override bool CanRead => true;

        public override bool CanSeek => false;

        public override bool CanWrite => false;

        public override long Length => throw new NotSupportedException();

        public override long Position
        {
            get => _given;
            set => throw new NotSupportedException();
        }

        public override int Read(byte[] buffer, int offset, int count)
        {
            if (_given >= failAfter)
            {
                throw new IOException("The client went away.");
            }

            var n = (int)Math.Min(count, failAfter - _given);
            Array.Fill(buffer, (byte)'x', offset, n);
            _given += n;

            return n;
        }

        public override void Flush()
        {
        }

        public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();

        public override void SetLength(long value) => throw new NotSupportedException();

        public override void Write(byte[] buffer, int offset, int count) => throw new NotSupportedException();
    }
}
