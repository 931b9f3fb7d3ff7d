using Google.Protobuf;
using Grpc.Core;
using Grpc.Net.Client;
using SiteCraft.Ml.Contracts.V1;

namespace SiteCraft.Ml.IntegrationTests.Contracts;

/// <summary>A gRPC client of the platform's contracts service, with helpers to stream chunks.</summary>
internal sealed class ContractsClient : IDisposable
{
    public const string Contract = "ai_training_examples";

    private readonly GrpcChannel _channel;

    public ContractsClient(PlatformFixture platform)
    {
        _channel = GrpcChannel.ForAddress(platform.App.GetEndpoint("contracts", "grpc"), new GrpcChannelOptions
        {
            MaxSendMessageSize = 64 * 1024 * 1024,
            MaxReceiveMessageSize = 64 * 1024 * 1024,
        });
        Service = new ContractsService.ContractsServiceClient(_channel);
    }

    public ContractsService.ContractsServiceClient Service { get; }

    /// <summary>Streams each chunk as one message and returns the receipts in order.</summary>
    public async Task<List<IngestReceipt>> IngestAsync(string batchId, params IReadOnlyList<byte[]>[] chunks)
    {
        using var call = Service.Ingest();
        var receipts = new List<IngestReceipt>();
        foreach (var chunk in chunks)
        {
            var request = new IngestRequest { ContractId = Contract, BatchId = batchId };
            request.Records.Add(chunk.Select(ByteString.CopyFrom));
            await call.RequestStream.WriteAsync(request);
            Assert.True(await call.ResponseStream.MoveNext(CancellationToken.None));
            receipts.Add(call.ResponseStream.Current);
        }

        await call.RequestStream.CompleteAsync();
        Assert.False(await call.ResponseStream.MoveNext(CancellationToken.None));
        return receipts;
    }

    /// <summary>Sends one raw request and returns the error it is refused with.</summary>
    public async Task<RpcException> IngestRefusedAsync(IngestRequest request)
    {
        using var call = Service.Ingest();
        await call.RequestStream.WriteAsync(request);
        await call.RequestStream.CompleteAsync();
        return await Assert.ThrowsAsync<RpcException>(async () => await call.ResponseStream.MoveNext(CancellationToken.None));
    }

    public void Dispose() => _channel.Dispose();
}
