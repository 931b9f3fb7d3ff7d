using Grpc.Core;
using SiteCraft.Ml.Evals.Data;

namespace SiteCraft.Ml.Evals.Grpc;

/// <summary>How the eval plane's refusals read over gRPC.</summary>
internal static class EvalRequestErrors
{
    public static RpcException From(EvalRequestException e) => e.Error switch
    {
        EvalRequestError.NotFound => RpcErrors.NotFound(e.Message),
        EvalRequestError.Precondition => RpcErrors.FailedPrecondition(e.Message),
        _ => RpcErrors.InvalidArgument(e.Field, e.Problem),
    };

    public static Guid RunId(string value, string field = "run_id") =>
        Guid.TryParse(value, out var id) ? id : throw RpcErrors.InvalidArgument(field, $"'{value}' is not a run id (a UUID)");
}
