using Berth.Core.Validation;

namespace Berth.Core.Tests.Validation;

public sealed class ValidatedTests
{
    [Fact]
    public void FromValue_IsValid_AndHoldsTheValue()
    {
        Validated<string> result = "ok";

        Assert.True(result.IsValid);
        Assert.Equal("ok", result.Value);
        Assert.Null(result.Error);
    }

    [Fact]
    public void FromError_IsInvalid_AndHoldsTheError()
    {
        var error = new ValidationError("name", "bad");

        Validated<string> result = error;

        Assert.False(result.IsValid);
        Assert.Same(error, result.Error);
    }

    [Fact]
    public void Value_OfARefusal_ThrowsWithTheReason()
    {
        Validated<string> result = new ValidationError("name", "Name is bad.");

        var exception = Assert.Throws<InvalidOperationException>(() => result.Value);

        Assert.Contains("Name is bad.", exception.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Success_WithNull_IsValid()
    {
        var result = Validated<string?>.Success(null);

        Assert.True(result.IsValid);
        Assert.Null(result.Value);
    }

    [Fact]
    public void Default_IsInvalid()
    {
        var result = default(Validated<int>);

        Assert.False(result.IsValid);
        Assert.NotNull(result.Error);
    }

    [Fact]
    public void ToString_OfARefusal_DoesNotThrow()
    {
        Validated<int> result = new ValidationError("x", "bad");

        var text = result.ToString();

        Assert.Contains("bad", text, StringComparison.Ordinal);
    }
}
