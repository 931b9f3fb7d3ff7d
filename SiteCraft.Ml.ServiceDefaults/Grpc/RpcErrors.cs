using Google.Protobuf.WellKnownTypes;
using Google.Rpc;
using Grpc.Core;

namespace SiteCraft.Ml.ServiceDefaults.Grpc;

/// <summary>
/// The one place every service builds an RpcException, so each error carries the right code and the
/// google.rpc details a client can act on (BadRequest for bad fields).
/// </summary>
public static class RpcErrors
{
    /// <summary>INVALID_ARGUMENT with a google.rpc.BadRequest naming each bad field.</summary>
    public static RpcException InvalidArgument(IReadOnlyList<FieldViolation> violations)
    {
        var badRequest = new BadRequest();
        foreach (var violation in violations)
        {
            badRequest.FieldViolations.Add(new BadRequest.Types.FieldViolation { Field = violation.Field, Description = violation.Description });
        }

        return new Google.Rpc.Status
        {
            Code = (int)Code.InvalidArgument,
            Message = string.Join("; ", violations.Select(v => $"{v.Field}: {v.Description}")),
            Details = { Any.Pack(badRequest) },
        }.ToRpcException();
    }

    /// <summary>INVALID_ARGUMENT naming one field.</summary>
    public static RpcException InvalidArgument(string field, string description) =>
        InvalidArgument([new FieldViolation(field, description)]);

    /// <summary>A status with a message and no details.</summary>
    public static RpcException Of(StatusCode code, string message) => new(new global::Grpc.Core.Status(code, message));

    public static RpcException NotFound(string message) => Of(StatusCode.NotFound, message);

    public static RpcException FailedPrecondition(string message) => Of(StatusCode.FailedPrecondition, message);

    public static RpcException Unavailable(string message) => Of(StatusCode.Unavailable, message);
}
