using System.Text.Json.Serialization;

namespace SiteCraft.Ml.Inference.Generation;

/// <summary>Source-generated JSON for what generations write (no reflection on the request path).</summary>
[JsonSerializable(typeof(IDictionary<string, string>))]
internal sealed partial class GenerationJson : JsonSerializerContext;
