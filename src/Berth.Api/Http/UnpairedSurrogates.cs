using System.Text.Json;
using Berth.Core.Validation;

namespace Berth.Api.Http;

/// <summary>Finds escaped lone surrogates (<c>"\ud800"</c>) anywhere in a request body.</summary>
/// <remarks>
/// JSON's grammar allows them, but they are not text: System.Text.Json throws as soon as such a
/// member name or string is decoded or compared, which would turn a client's malformed body into
/// a 500 wherever a field is looked up. Refusing the whole body once, up front, keeps every
/// reader below free of that trap.
/// </remarks>
internal static class UnpairedSurrogates
{
    /// <summary>The refusal naming the first field at fault, or null when the body is clean.</summary>
    public static ValidationError? Find(ReadOnlySpan<byte> json, JsonElement root)
    {
        return MayContainSurrogateEscape(json) ? Walk(root, "") : null;
    }

    // Only a "\uD800"–"\uDFFF" escape can make a lone surrogate, so most bodies skip the walk.
    private static bool MayContainSurrogateEscape(ReadOnlySpan<byte> json)
    {
        for (var i = json.IndexOf("\\u"u8); i >= 0 && i + 3 < json.Length; i = Next(json, i))
        {
            if (json[i + 2] is (byte)'d' or (byte)'D' && IsHighHalfDigit(json[i + 3]))
            {
                return true;
            }
        }

        return false;
    }

    private static int Next(ReadOnlySpan<byte> json, int at)
    {
        var found = json[(at + 2)..].IndexOf("\\u"u8);

        return found < 0 ? -1 : at + 2 + found;
    }

    private static bool IsHighHalfDigit(byte digit) => digit is (>= (byte)'8' and <= (byte)'9')
        or (>= (byte)'a' and <= (byte)'f') or (>= (byte)'A' and <= (byte)'F');

    private static ValidationError? Walk(JsonElement element, string path)
    {
        return element.ValueKind switch
        {
            JsonValueKind.Object => WalkObject(element, path),
            JsonValueKind.Array => WalkArray(element, path),
            JsonValueKind.String => CheckString(element, path),
            _ => null,
        };
    }

    private static ValidationError? WalkObject(JsonElement element, string path)
    {
        foreach (var property in element.EnumerateObject())
        {
            string name;
            try
            {
                name = property.Name;
            }
            catch (InvalidOperationException)
            {
                return Refuse(path, "a member name");
            }

            var error = Walk(property.Value, path.Length == 0 ? name : $"{path}.{name}");
            if (error is not null)
            {
                return error;
            }
        }

        return null;
    }

    private static ValidationError? WalkArray(JsonElement element, string path)
    {
        var index = 0;
        foreach (var item in element.EnumerateArray())
        {
            var error = Walk(item, $"{path}[{index}]");
            if (error is not null)
            {
                return error;
            }

            index++;
        }

        return null;
    }

    private static ValidationError? CheckString(JsonElement element, string path)
    {
        try
        {
            _ = element.GetString();

            return null;
        }
        catch (InvalidOperationException)
        {
            return Refuse(path, "a string");
        }
    }

    private static ValidationError Refuse(string path, string what)
    {
        var where = path.Length == 0 ? "The request body" : path;

        return new ValidationError(
            path.Length == 0 ? null : path,
            $"{where} holds {what} with an unpaired surrogate escape (\\uD800 to \\uDFFF); send valid Unicode text.");
    }
}
