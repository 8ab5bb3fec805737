using System.IO.Compression;
using System.Security.Cryptography;
using System.Text;

namespace Berth.Runtime.Tests.Support;

/// <summary>
/// A pure-Python wheel made in memory: a zip with the package, METADATA, WHEEL and a RECORD
/// whose hashes pip checks on install.
/// </summary>
internal sealed class Wheel
{
    private Wheel(string fileName, byte[] content)
    {
        FileName = fileName;
        Content = content;
        Sha256 = Convert.ToHexStringLower(SHA256.HashData(content));
    }

    public string FileName { get; }

    public byte[] Content { get; }

    public string Sha256 { get; }

    /// <summary>A wheel of module <paramref name="module"/> whose <c>VALUE</c> is <paramref name="value"/>.</summary>
    public static Wheel Create(string module, string version, int value)
    {
        var distInfo = $"{module}-{version}.dist-info";
        var files = new List<(string Path, byte[] Content)>
        {
            ($"{module}/__init__.py", Utf8($"VALUE = {value}\n")),
            ($"{distInfo}/METADATA", Utf8(
                $"Metadata-Version: 2.1\nName: {module.Replace('_', '-')}\nVersion: {version}\n")),
            ($"{distInfo}/WHEEL", Utf8(
                "Wheel-Version: 1.0\nGenerator: berth-tests\nRoot-Is-Purelib: true\nTag: py3-none-any\n")),
        };
        var record = new StringBuilder();
        foreach (var (path, content) in files)
        {
            record.Append(path).Append(",sha256=").Append(RecordHash(content)).Append(',')
                .Append(content.Length).Append('\n');
        }

        record.Append(distInfo).Append("/RECORD,,\n");
        files.Add(($"{distInfo}/RECORD", Utf8(record.ToString())));

        return new Wheel($"{module}-{version}-py3-none-any.whl", Zip(files));
    }

    private static byte[] Zip(List<(string Path, byte[] Content)> files)
    {
        using var buffer = new MemoryStream();
        using (var zip = new ZipArchive(buffer, ZipArchiveMode.Create, leaveOpen: true))
        {
            foreach (var (path, content) in files)
            {
                using var entry = zip.CreateEntry(path, CompressionLevel.Optimal).Open();
                entry.Write(content);
            }
        }

        return buffer.ToArray();
    }

    private static string RecordHash(byte[] content) =>
        Convert.ToBase64String(SHA256.HashData(content)).TrimEnd('=').Replace('+', '-').Replace('/', '_');

    private static byte[] Utf8(string text) => Encoding.UTF8.GetBytes(text);
}
