using Google.Protobuf.WellKnownTypes;
using Google.Rpc;
using Grpc.Core;
using RoutingViolation = SiteCraft.Ml.Inference.Routing.FieldViolation;

namespace SiteCraft.Ml.Inference.Generation;

/// <summary>The one place handlers build RpcExceptions, so every error carries the right code and details.</summary>
public static class RpcErrors
{
    /// <summary>INVALID_ARGUMENT with a google.rpc.BadRequest naming each bad field.</summary>
    public static RpcException InvalidArgument(IReadOnlyList<RoutingViolation> violations)
    {
        var badRequest = new BadRequest();
        foreach (var violation in violations)
        {
            badRequest.FieldViolations.Add(new BadRequest.Types.FieldViolation { Field = violation.Field, Description = violation.Description });
        }

        var message = string.Join("; ", violations.Select(v => $"{v.Field}: {v.Description}"));
        var status = new Google.Rpc.Status
        {
            Code = (int)Code.InvalidArgument,
            Message = message,
            Details = { Any.Pack(badRequest) },
        };
        return status.ToRpcException();
    }

    public static RpcException Of(StatusCode code, string message) => new(new Grpc.Core.Status(code, message));
}
