using System.Text.Encodings.Web;
using System.Text.Json;
using System.Text.Json.Nodes;
using Berth.Cli.Client;

namespace Berth.Cli.Output;

/// <summary>
/// Everything the berth command shows a person or a script goes through here. With
/// <c>--json</c>, stdout carries nothing but JSON: human messages are dropped, logs move to
/// stderr, and errors are on stderr in either mode.
/// </summary>
internal sealed class CliConsole
{
    private static readonly JsonWriterOptions JsonOptions = new()
    {
        Indented = true,
        Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping,
    };

    private readonly TextWriter _output;
    private readonly TextWriter _error;
    private readonly bool _errorIsTerminal;
    private readonly bool _color;

    public CliConsole(bool json, TextWriter output, TextWriter error, bool errorIsTerminal)
    {
        IsJson = json;
        _output = output;
        _error = error;
        _errorIsTerminal = errorIsTerminal;
        _color = errorIsTerminal
            && string.IsNullOrEmpty(Environment.GetEnvironmentVariable("NO_COLOR"))
            && Environment.GetEnvironmentVariable("TERM") != "dumb";
    }

    public bool IsJson { get; }

    /// <summary>Where progress goes: stderr when a person watches it, nowhere otherwise.</summary>
    public TextWriter? ProgressWriter => _errorIsTerminal ? _error : null;

    public static CliConsole Create(bool json) => new(json, Console.Out, Console.Error, !Console.IsErrorRedirected);

    public void WriteJson(JsonElement value) => WriteJson(value.WriteTo);

    public void WriteJson(JsonNode value) => WriteJson(writer => value.WriteTo(writer));

    /// <summary>One JSON value on one line, for streams of objects (NDJSON).</summary>
    public void WriteJsonLine(JsonElement value)
    {
        _output.WriteLine(value.GetRawText().ReplaceLineEndings(""));
        _output.Flush();
    }

    /// <summary>A message for a person; <c>--json</c> drops it.</summary>
    public void WriteLine(string text = "")
    {
        if (!IsJson)
        {
            _output.WriteLine(text);
        }
    }

    public void WriteTable(TextTable table)
    {
        if (!IsJson)
        {
            table.WriteTo(_output);
        }
    }

    /// <summary>Label and value pairs, one a line, values aligned; empty values are left out.</summary>
    public void WriteDetails(IEnumerable<(string Label, string? Value)> rows)
    {
        var shown = rows.Where(r => !string.IsNullOrEmpty(r.Value)).ToList();
        var width = shown.Count == 0 ? 0 : shown.Max(r => r.Label.Length);
        foreach (var (label, value) in shown)
        {
            WriteLine($"{label.PadRight(width)}   {value}");
        }
    }

    /// <summary>Text that is the command's output stream, such as a build log: stdout, or stderr with <c>--json</c>.</summary>
    public void WriteLog(string line)
    {
        var target = IsJson ? _error : _output;
        target.WriteLine(line);
        target.Flush();
    }

    /// <summary>A remark about what is happening, on stderr, in either mode.</summary>
    public void WriteNote(string text) => _error.WriteLine(text);

    /// <summary>Raw output of a remote command, passed through as it arrives.</summary>
    public void WriteOutput(bool toError, string text)
    {
        var target = toError ? _error : _output;
        target.Write(text);
        target.Flush();
    }

    public int Fail(ApiError error, string? hint = null)
    {
        WriteErrorLine(error.Message);
        if (error.Param is not null)
        {
            _error.WriteLine($"  param:      {error.Param}");
        }

        if (error.RequestId is not null)
        {
            _error.WriteLine($"  request id: {error.RequestId}");
        }

        if (hint is not null)
        {
            _error.WriteLine($"  hint:       {hint}");
        }

        return error.ExitCode;
    }

    public int Fail(int exitCode, string message)
    {
        WriteErrorLine(message);

        return exitCode;
    }

    public static Stream OpenStandardOutput() => Console.OpenStandardOutput();

    private void WriteJson(Action<Utf8JsonWriter> write)
    {
        using var stream = new MemoryStream();
        using (var writer = new Utf8JsonWriter(stream, JsonOptions))
        {
            write(writer);
        }

        _output.WriteLine(System.Text.Encoding.UTF8.GetString(stream.ToArray()));
    }

    private void WriteErrorLine(string message)
    {
        var prefix = _color ? "\u001b[1;31merror:\u001b[0m" : "error:";
        _error.WriteLine($"{prefix} {message}");
    }
}
