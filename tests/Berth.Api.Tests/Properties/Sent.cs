using CsCheck;

namespace Berth.Api.Tests.Properties;

internal enum Presence
{
    Absent,
    Null,
    Value,
}

/// <summary>An optional member of a body: left out, sent as <c>null</c>, or sent with a value.</summary>
internal sealed record Sent<T>(Presence Presence, T Value)
{
    public static Sent<T> Absent => new(Presence.Absent, default!);

    public bool IsValue => Presence == Presence.Value;

    public T? ValueOrDefault => IsValue ? Value : default;

    public static Sent<T> Of(T value) => new(Presence.Value, value);

    public void AddTo(List<(string, JsonPiece)> members, string name, Func<T, JsonPiece> toPiece)
    {
        if (Presence != Presence.Absent)
        {
            members.Add((name, IsValue ? toPiece(Value) : JsonLiteralPiece.Null));
        }
    }
}

internal static class Sent
{
    /// <summary>Left out, null or a value, weighted by <paramref name="absent"/>, <paramref name="nulls"/>, <paramref name="present"/>.</summary>
    public static Gen<Sent<T>> Optional<T>(Gen<T> value, int absent = 2, int nulls = 1, int present = 5)
    {
        var choices = new List<(int, IGen<Sent<T>>)>();
        if (absent > 0)
        {
            choices.Add((absent, Gen.Const(Sent<T>.Absent)));
        }

        if (nulls > 0)
        {
            choices.Add((nulls, Gen.Const(new Sent<T>(Presence.Null, default!))));
        }

        if (present > 0)
        {
            choices.Add((present, value.Select(Sent<T>.Of)));
        }

        return Gen.Frequency([.. choices]);
    }
}
