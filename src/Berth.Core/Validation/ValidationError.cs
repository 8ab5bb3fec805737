namespace Berth.Core.Validation;

/// <summary>One reason a request was refused, with the field at fault when there is one.</summary>
/// <param name="Param">The field's path with dots and array indexes, or null when no single field is at fault.</param>
/// <param name="Message">What was wrong and what is accepted.</param>
public sealed record ValidationError(string? Param, string Message);
