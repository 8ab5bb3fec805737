using System.Text.Json;
using System.Text.Json.Serialization;
using Berth.Api.Environments;
using Berth.Api.Errors;
using Berth.Api.Health;

namespace Berth.Api.Http;

/// <summary>Source-generated JSON for every body the API writes, in the wire's snake_case.</summary>
[JsonSourceGenerationOptions(JsonSerializerDefaults.Web, PropertyNamingPolicy = JsonKnownNamingPolicy.SnakeCaseLower)]
[JsonSerializable(typeof(ErrorBody))]
[JsonSerializable(typeof(HealthReport))]
[JsonSerializable(typeof(EnvironmentResponse))]
[JsonSerializable(typeof(ListResponse<EnvironmentResponse>))]
[JsonSerializable(typeof(EnvironmentDeleted))]
public sealed partial class ApiJsonContext : JsonSerializerContext;
