using Grpc.Core;
using Grpc.Core.Interceptors;
using SiteCraft.Ml.Inference.V1;

namespace SiteCraft.Ml.Client;

/// <summary>Gives a GenerateRequest without a request_id a fresh one before the first send, so retries reuse it.</summary>
internal sealed class RequestIdInterceptor : Interceptor
{
    public override AsyncUnaryCall<TResponse> AsyncUnaryCall<TRequest, TResponse>(
        TRequest request, ClientInterceptorContext<TRequest, TResponse> context, AsyncUnaryCallContinuation<TRequest, TResponse> continuation)
    {
        Stamp(request);
        return continuation(request, context);
    }

    public override AsyncServerStreamingCall<TResponse> AsyncServerStreamingCall<TRequest, TResponse>(
        TRequest request, ClientInterceptorContext<TRequest, TResponse> context, AsyncServerStreamingCallContinuation<TRequest, TResponse> continuation)
    {
        Stamp(request);
        return continuation(request, context);
    }

    private static void Stamp<TRequest>(TRequest request)
    {
        if (request is GenerateRequest { RequestId.Length: 0 } generate)
        {
            generate.RequestId = Guid.NewGuid().ToString("N");
        }
    }
}
