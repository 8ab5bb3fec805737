namespace Berth.Core.Validation;

/// <summary>Echoes client values in error messages without letting a huge value swamp the message.</summary>
internal static class Quoting
{
    private const int MaxEchoed = 64;

    public static string Quote(string text) =>
        text.Length <= MaxEchoed ? $"\"{text}\"" : $"\"{text[..MaxEchoed]}…\"";
}
