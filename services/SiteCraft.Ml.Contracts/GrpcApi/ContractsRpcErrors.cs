using Google.Protobuf.WellKnownTypes;
using Google.Rpc;
using Grpc.Core;
using Npgsql;

namespace SiteCraft.Ml.Contracts.GrpcApi;

/// <summary>The one place the contracts handlers build RpcExceptions, so each carries the right code and details.</summary>
internal static class ContractsRpcErrors
{
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

    public static RpcException NotFound(string message) => new(new Grpc.Core.Status(StatusCode.NotFound, message));

    /// <summary>The database could not be reached or failed the write; the chunk was not applied and may be re-sent.</summary>
    public static RpcException Unavailable(Exception exception) =>
        new(new Grpc.Core.Status(StatusCode.Unavailable, $"the database did not take the write, so nothing of it was applied; send it again ({exception.GetType().Name}: {exception.Message})"));

    /// <summary>True for failures of the database connection or server, as opposed to bugs.</summary>
    public static bool IsDatabaseFailure(Exception exception) =>
        exception is NpgsqlException or TimeoutException || exception.InnerException is NpgsqlException;
}
