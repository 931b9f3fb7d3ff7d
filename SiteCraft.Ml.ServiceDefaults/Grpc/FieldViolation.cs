namespace SiteCraft.Ml.ServiceDefaults.Grpc;

/// <summary>One problem with a request: <see cref="Field"/> names where (a proto field or a JSON path such as "arms[1].weight").</summary>
public sealed record FieldViolation(string Field, string Description);
