using System.Buffers;
using System.Text;
using System.Text.Encodings.Web;
using System.Text.Json;

namespace Berth.Core.Environments;

/// <summary>An environment's validated config, holding only the fields the client sent.</summary>
/// <remarks>
/// The API returns config as it was accepted, with nothing added, so omitted fields stay null
/// here. Code that acts on the config reads the <c>Effective…</c> members, which apply the
/// documented defaults.
/// </remarks>
public sealed record EnvironmentConfig(
    NetworkingConfig? Networking,
    PackagesConfig? Packages,
    string? SetupScript)
{
    /// <summary>The only environment type, and the value of <c>config.type</c>.</summary>
    public const string CloudType = "cloud";

    // Stored config is never embedded in HTML, so only what JSON itself requires is escaped;
    // that keeps setup scripts and specs such as "g++" readable in the database.
    private static readonly JsonWriterOptions StorageOptions =
        new() { Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping };

    public NetworkingConfig EffectiveNetworking => Networking ?? NetworkingConfig.Unrestricted;

    public PackagesConfig EffectivePackages => Packages ?? PackagesConfig.None;

    public string EffectiveSetupScript => SetupScript ?? "";

    /// <summary>
    /// Writes the config as one JSON object: <c>"type":"cloud"</c>, then the fields that were
    /// sent, in the order networking, packages, setup_script.
    /// </summary>
    public void WriteTo(Utf8JsonWriter writer)
    {
        ArgumentNullException.ThrowIfNull(writer);

        EnvironmentConfigWriter.Write(writer, this);
    }

    /// <summary>The stored form; <see cref="FromJson"/> reads it back.</summary>
    public string ToJson()
    {
        var buffer = new ArrayBufferWriter<byte>();
        using (var writer = new Utf8JsonWriter(buffer, StorageOptions))
        {
            WriteTo(writer);
        }

        return Encoding.UTF8.GetString(buffer.WrittenSpan);
    }

    /// <summary>Reads the stored form written by <see cref="ToJson"/>.</summary>
    /// <exception cref="FormatException">The text is not a stored config.</exception>
    public static EnvironmentConfig FromJson(string json)
    {
        ArgumentNullException.ThrowIfNull(json);

        return StoredConfigReader.Read(json);
    }
}
