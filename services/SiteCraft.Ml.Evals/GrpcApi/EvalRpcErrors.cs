using Google.Protobuf.WellKnownTypes;
using Google.Rpc;
using Grpc.Core;
using SiteCraft.Ml.Evals.Data;

namespace SiteCraft.Ml.Evals.GrpcApi;

/// <summary>The one place the eval handlers turn refusals into RpcExceptions with the right code and details.</summary>
internal static class EvalRpcErrors
{
    public static RpcException From(EvalRequestException e) => e.Error switch
    {
        EvalRequestError.NotFound => new RpcException(new Grpc.Core.Status(StatusCode.NotFound, e.Message)),
        EvalRequestError.Precondition => new RpcException(new Grpc.Core.Status(StatusCode.FailedPrecondition, e.Message)),
        _ => InvalidArgument(e.Field, e.Problem),
    };

    /// <summary>INVALID_ARGUMENT with a google.rpc.BadRequest naming the field.</summary>
    public static RpcException InvalidArgument(string field, string description)
    {
        var badRequest = new BadRequest { FieldViolations = { new BadRequest.Types.FieldViolation { Field = field, Description = description } } };
        return new Google.Rpc.Status
        {
            Code = (int)Code.InvalidArgument,
            Message = $"{field}: {description}",
            Details = { Any.Pack(badRequest) },
        }.ToRpcException();
    }

    public static Guid RunId(string value, string field = "run_id") =>
        Guid.TryParse(value, out var id) ? id : throw InvalidArgument(field, $"'{value}' is not a run id (a UUID)");
}
