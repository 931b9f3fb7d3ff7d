using System.Text.Json.Serialization;

namespace SiteCraft.Ml.Inference.Routing;

[JsonSerializable(typeof(IReadOnlyDictionary<string, object>))]
[JsonSerializable(typeof(int))]
[JsonSerializable(typeof(long))]
[JsonSerializable(typeof(double))]
[JsonSerializable(typeof(string))]
internal sealed partial class RoutingJson : JsonSerializerContext;
