using System.Net;
using System.Text.Json;
using Berth.Api.Tests.Fixtures;

namespace Berth.Api.Tests.Sessions;

public sealed class SessionCommandTests(DockerApiServer server) : IClassFixture<DockerApiServer>
{
    private async Task<(HttpClient Client, string Session)> SessionAsync()
    {
        var client = await server.NewClientAsync();
        var id = await client.ReadySessionAsync(await client.CreateEnvironmentAsync());

        return (client, id);
    }

    [Fact]
    public async Task Exec_StringCommand_UnderALoginShell_HasTheVenvFirst()
    {
        var (client, id) = await SessionAsync();
        using var _ = client;

        var result = await client.ExecAsync(id, new { command = "python3 -c 'import sys; print(sys.prefix)'; command -v pip" });

        Assert.Equal("/opt/berth/venv\n/opt/berth/venv/bin/pip\n", result.GetProperty("stdout").GetString());
    }

    [Fact]
    public async Task Exec_StringCommand_WithAPathThatFindsNothing_StillRuns()
    {
        var (client, id) = await SessionAsync();
        using var _ = client;

        var result = await client.ExecAsync(id, new
        {
            command = "echo \"shell $BASH_VERSION\" | cut -c1-5",
            env = new Dictionary<string, string> { ["PATH"] = "/nonexistent" },
        });

        Assert.Equal(0, result.GetProperty("exit_code").GetInt32());
        Assert.Equal("shell\n", result.GetProperty("stdout").GetString());
    }

    [Fact]
    public async Task Exec_MissingCommand_Returns127AndNotFound()
    {
        var (client, id) = await SessionAsync();
        using var _ = client;

        var result = await client.ExecAsync(id, new { command = "nonexistent-cmd-xyz" });

        Assert.Equal(127, result.GetProperty("exit_code").GetInt32());
        Assert.Contains("not found", result.GetProperty("stderr").GetString());
        Assert.Matches("^exec_[0-9a-f]{32}$", result.GetProperty("id").GetString());
    }

    [Theory]
    [InlineData("exit 3", 3)]
    [InlineData("kill -9 $$", 137)]
    [InlineData("kill -TERM $$", 143)]
    [InlineData("true", 0)]
    public async Task Exec_ReturnsTheProcessesOwnExitCode(string command, int expected)
    {
        var (client, id) = await SessionAsync();
        using var _ = client;

        var result = await client.ExecAsync(id, new { command });

        Assert.Equal(expected, result.GetProperty("exit_code").GetInt32());
        Assert.False(result.GetProperty("timed_out").GetBoolean());
    }

    [Fact]
    public async Task Exec_Argv_RunsWithoutAShell()
    {
        var (client, id) = await SessionAsync();
        using var _ = client;

        var result = await client.ExecAsync(id, new { command = new[] { "echo", "$HOME", "a;b" }, cwd = "/tmp", stdin = "" });

        Assert.Equal("$HOME a;b\n", result.GetProperty("stdout").GetString());
    }

    [Fact]
    public async Task Exec_StdinAndCwd_AreUsed()
    {
        var (client, id) = await SessionAsync();
        using var _ = client;

        var result = await client.ExecAsync(id, new { command = "pwd; cat", cwd = "/etc", stdin = "from stdin" });

        Assert.Equal("/etc\nfrom stdin", result.GetProperty("stdout").GetString());
    }

    [Fact]
    public async Task Exec_Timeout_KillsTheWholeProcessTree()
    {
        var (client, id) = await SessionAsync();
        using var _ = client;

        var result = await client.ExecAsync(id, new { command = "sleep 30; touch /tmp/done", timeout_ms = 2000 });
        await Task.Delay(TimeSpan.FromSeconds(35));
        var check = await client.ExecAsync(id, new { command = "test -e /tmp/done && echo exists; ps -eo args | grep -qx 'sleep 30' && echo sleeping || echo no-sleep" });

        Assert.True(result.GetProperty("timed_out").GetBoolean());
        Assert.Equal(137, result.GetProperty("exit_code").GetInt32());
        Assert.Equal("no-sleep\n", check.GetProperty("stdout").GetString());
    }

    [Fact]
    public async Task Exec_MultiByteOutput_ArrivesByteIdenticalCollectedAndStreamed()
    {
        var (client, id) = await SessionAsync();
        using var _ = client;
        var expected = new string('é', 4095) + string.Concat(Enumerable.Repeat("😀", 3000));
        const string command = "python3 -c \"import sys; sys.stdout.buffer.write(('é'*4095 + '😀'*3000).encode())\"";

        var collected = await client.ExecAsync(id, new { command });
        var streamed = await StreamAsync(client, id, command);

        Assert.Equal(expected, collected.GetProperty("stdout").GetString());
        Assert.Equal(expected, string.Concat(streamed.Where(e => e.Event == "stdout").Select(e => e.Data)));
        Assert.Equal(expected, JsonDocument.Parse(streamed.Single(e => e.Event == "exit").Data).RootElement.GetProperty("stdout").GetString());
    }

    [Fact]
    public async Task Exec_LongOutput_ArrivesComplete()
    {
        var (client, id) = await SessionAsync();
        using var _ = client;
        var expected = string.Concat(Enumerable.Range(1, 200000).Select(i => $"{i}\n"));

        var collected = await client.ExecAsync(id, new { command = "seq 1 200000" });
        var streamed = await StreamAsync(client, id, "seq 1 200000");

        Assert.Equal(expected, collected.GetProperty("stdout").GetString());
        Assert.Equal(expected, string.Concat(streamed.Where(e => e.Event == "stdout").Select(e => e.Data)));
    }

    [Fact]
    public async Task Exec_OutputOverTheCap_IsTruncatedAndMarked()
    {
        var (client, id) = await SessionAsync();
        using var _ = client;

        var result = await client.ExecAsync(id, new { command = "head -c 11534336 /dev/zero | tr '\\0' 'a'; echo err >&2" });

        Assert.True(result.GetProperty("stdout_truncated").GetBoolean());
        Assert.Equal(10 * 1024 * 1024, result.GetProperty("stdout").GetString()!.Length);
        Assert.False(result.GetProperty("stderr_truncated").GetBoolean());
        Assert.Equal("err\n", result.GetProperty("stderr").GetString());
    }

    [Fact]
    public async Task Exec_SeveralAtOnceInOneSession_AllComplete()
    {
        var (client, id) = await SessionAsync();
        using var _ = client;

        var results = await Task.WhenAll(Enumerable.Range(0, 5).Select(i => client.ExecAsync(id, new { command = $"sleep 1; echo {i}" })));

        Assert.Equal(Enumerable.Range(0, 5).Select(i => $"{i}\n"), results.Select(r => r.GetProperty("stdout").GetString()));
    }

    [Fact]
    public async Task Exec_StatusIsRunningWhileACommandRuns()
    {
        var (client, id) = await SessionAsync();
        using var _ = client;

        var running = client.ExecAsync(id, new { command = "sleep 2" });
        await Task.Delay(800);
        var during = await (await client.GetAsync($"/v1/sessions/{id}")).ReadJsonAsync();
        await running;
        var after = await (await client.GetAsync($"/v1/sessions/{id}")).ReadJsonAsync();

        Assert.Equal("running", during.GetProperty("status").GetString());
        Assert.Equal("idle", after.GetProperty("status").GetString());
    }

    [Theory]
    [InlineData("""{}""", "command")]
    [InlineData("""{"command":""}""", "command")]
    [InlineData("""{"command":[]}""", "command")]
    [InlineData("""{"command":["ls",1]}""", "command[1]")]
    [InlineData("""{"command":"ls","timeout_ms":0}""", "timeout_ms")]
    [InlineData("""{"command":"ls","env":{"A":1}}""", "env.A")]
    [InlineData("""{"command":"ls","env":{"A B":"1"}}""", "env.A B")]
    [InlineData("""{"command":"ls","env":{"A;x":"1"}}""", "env.A;x")]
    [InlineData("""{"command":"ls","cwd":5}""", "cwd")]
    public async Task Exec_InvalidBody_Returns400(string body, string param)
    {
        var (client, id) = await SessionAsync();
        using var _ = client;

        var response = await client.PostAsync($"/v1/sessions/{id}/exec", TestHttp.Json(body));

        await response.AssertErrorAsync(400, "invalid_request_error", param);
    }

    [Theory]
    [InlineData("garbage")]
    [InlineData("evt_zzzz")]
    [InlineData("evt_EEEEEEEEEEEEEEEEEEEEEEEEEEEEEEEE")]
    public async Task EventStream_WithAMalformedLastEventId_Returns400(string lastId)
    {
        var (client, id) = await SessionAsync();
        using var _ = client;
        using var request = new HttpRequestMessage(HttpMethod.Get, $"/v1/sessions/{id}/events/stream");
        request.Headers.Add("Last-Event-ID", lastId);

        using var response = await client.SendAsync(request);

        await response.AssertErrorAsync(400, "invalid_request_error");
    }

    [Fact]
    public async Task Events_RecordStatusChangesAndCommands_AndStreamResumesAfterLastEventId()
    {
        var (client, id) = await SessionAsync();
        using var _ = client;
        await client.ExecAsync(id, new { command = "echo one" });

        var listed = await (await client.GetAsync($"/v1/sessions/{id}/events")).ReadJsonAsync();
        var events = listed.GetProperty("data").EnumerateArray().ToList();
        var types = events.Select(e => e.GetProperty("type").GetString()).ToList();
        var resumeAfter = events[1].GetProperty("id").GetString()!;
        using var request = new HttpRequestMessage(HttpMethod.Get, $"/v1/sessions/{id}/events/stream");
        request.Headers.Add("Last-Event-ID", resumeAfter);
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(30));
        using var response = await client.SendAsync(request, HttpCompletionOption.ResponseHeadersRead, timeout.Token);
        using var reader = new StreamReader(await response.Content.ReadAsStreamAsync(timeout.Token));
        var streamedIds = new List<string>();
        while (streamedIds.Count < events.Count - 2)
        {
            var line = await reader.ReadLineAsync(timeout.Token);
            if (line!.StartsWith("id: ", StringComparison.Ordinal))
            {
                streamedIds.Add(line[4..]);
            }
        }

        Assert.Equal(["session.status_changed", "session.status_changed", "exec.started", "session.status_changed", "exec.finished", "session.status_changed"], types);
        Assert.Equal(events.Skip(2).Select(e => e.GetProperty("id").GetString()), streamedIds);
        var descending = await (await client.GetAsync($"/v1/sessions/{id}/events?order=desc&limit=1")).ReadJsonAsync();
        Assert.Equal(events[^1].GetProperty("id").GetString(), descending.GetProperty("data")[0].GetProperty("id").GetString());
    }

    private static async Task<List<(string Event, string Data)>> StreamAsync(HttpClient client, string id, string command)
    {
        using var request = new HttpRequestMessage(HttpMethod.Post, $"/v1/sessions/{id}/exec")
        {
            Content = TestHttp.Json(JsonSerializer.Serialize(new { command })),
        };
        request.Headers.Accept.ParseAdd("text/event-stream");
        using var response = await client.SendAsync(request, HttpCompletionOption.ResponseHeadersRead);
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var text = await response.Content.ReadAsStringAsync();
        var events = new List<(string, string)>();
        foreach (var block in text.Split("\n\n", StringSplitOptions.RemoveEmptyEntries))
        {
            var lines = block.Split('\n');
            var name = lines.First(l => l.StartsWith("event: ", StringComparison.Ordinal))[7..];
            var data = lines.First(l => l.StartsWith("data: ", StringComparison.Ordinal))[6..];
            events.Add((name, name == "exit" ? data : JsonDocument.Parse(data).RootElement.GetProperty("data").GetString()!));
        }

        return events;
    }
}
