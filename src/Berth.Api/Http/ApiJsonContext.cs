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
[JsonSerializable(typeof(Builds.BuildResponse))]
[JsonSerializable(typeof(Sessions.SessionResponse))]
[JsonSerializable(typeof(ListResponse<Sessions.SessionResponse>))]
[JsonSerializable(typeof(Sessions.SessionDeleted))]
[JsonSerializable(typeof(Sessions.ExecResponse))]
[JsonSerializable(typeof(Sessions.EventResponse))]
[JsonSerializable(typeof(ListResponse<Sessions.EventResponse>))]
[JsonSerializable(typeof(ListResponse<Sessions.EgressEntry>))]
[JsonSerializable(typeof(Sessions.FileWritten))]
[JsonSerializable(typeof(Sessions.FileDeleted))]
[JsonSerializable(typeof(Sessions.DirectoryListing))]
[JsonSerializable(typeof(Sessions.OutputChunk))]
public sealed partial class ApiJsonContext : JsonSerializerContext;
