using Grpc.Core;
using Microsoft.Extensions.Options;
using SiteCraft.Ml.Contracts.Core.Definitions;
using SiteCraft.Ml.Contracts.Core.Validation;
using SiteCraft.Ml.Contracts.Data.Checks;
using SiteCraft.Ml.Contracts.Data.Ingest;
using SiteCraft.Ml.Contracts.Data.Quarantine;
using SiteCraft.Ml.Contracts.Data.Snapshots;
using SiteCraft.Ml.Contracts.Hosting;
using SiteCraft.Ml.Contracts.V1;

namespace SiteCraft.Ml.Contracts.Grpc;

/// <summary>
/// sitecraft.ml.contracts.v1.ContractsService: thin handlers over the data plane
/// (SiteCraft.Ml.Contracts.Data), which the CLI shares, so both behave the same.
/// </summary>
public sealed partial class ContractsGrpcService(
    ContractCatalog catalog,
    TrainingIngestor ingestor,
    QuarantineStore quarantine,
    SnapshotExporter snapshots,
    ContractTableChecker checker,
    IOptions<ContractsOptions> options,
    ILogger<ContractsGrpcService> logger) : ContractsService.ContractsServiceBase
{
    /// <summary>Room for a chunk at its byte limit plus protobuf framing.</summary>
    public const int MaxMessageBytes = (int)TrainingIngestor.MaxBytesPerChunk + (1024 * 1024);

    public override Task<ListContractsResponse> ListContracts(ListContractsRequest request, ServerCallContext context)
    {
        var response = new ListContractsResponse();
        response.Contracts.Add(catalog.Contracts.Select(c => new ContractInfo { Id = c.Id, Version = c.Version, Status = c.Status, Sha256 = c.Sha256 }));
        return Task.FromResult(response);
    }

    public override async Task Validate(IAsyncStreamReader<ValidateRequest> requestStream, IServerStreamWriter<ValidateResponse> responseStream, ServerCallContext context)
    {
        ContractValidator? validator = null;
        long index = 0;
        await foreach (var request in requestStream.ReadAllAsync(context.CancellationToken))
        {
            validator = catalog.ValidatorFor(ContractFor(request.ContractId, validator?.Contract).Id)!;
            try
            {
                TrainingIngestor.EnsureChunkFits(request.Records.Count, request.Records.Sum(r => (long)r.Length));
            }
            catch (IngestRequestException e)
            {
                throw RpcErrors.InvalidArgument(e.Field, e.Message);
            }

            var response = new ValidateResponse { Contract = validator.Contract.Key };
            foreach (var record in request.Records)
            {
                var result = validator.Validate(record.Memory);
                var item = new RecordValidation { Index = index++, Valid = result.IsValid };
                item.Violations.Add(result.Violations.Select(v => new V1.Violation
                {
                    Path = DecisionJson.Storable(v.Path),
                    Rule = v.Rule,
                    Message = DecisionJson.Storable(v.Message),
                    Excerpt = v.Excerpt is null ? "" : DecisionJson.Storable(v.Excerpt),
                }));
                response.Results.Add(item);
                if (result.IsValid)
                {
                    response.ValidCount++;
                }
                else
                {
                    response.InvalidCount++;
                }
            }

            await responseStream.WriteAsync(response, context.CancellationToken);
        }
    }

    public override async Task Ingest(IAsyncStreamReader<IngestRequest> requestStream, IServerStreamWriter<V1.IngestReceipt> responseStream, ServerCallContext context)
    {
        DataContract? contract = null;
        string? batchId = null;
        long chunk = 0;
        await foreach (var request in requestStream.ReadAllAsync(context.CancellationToken))
        {
            contract = ContractFor(request.ContractId, contract);
            if (chunk == 0)
            {
                batchId = string.IsNullOrEmpty(request.BatchId) ? null : request.BatchId;
            }
            else if (request.BatchId.Length > 0 && request.BatchId != batchId)
            {
                throw RpcErrors.InvalidArgument("batch_id", $"the stream began with batch_id '{batchId}' and cannot change it to '{request.BatchId}'.");
            }

            Data.Ingest.IngestReceipt receipt;
            try
            {
                receipt = await ingestor.IngestAsync(contract, batchId, chunk, request.Records.Select(r => r.Memory).ToList(), context.CancellationToken);
            }
            catch (IngestRequestException e)
            {
                throw RpcErrors.InvalidArgument(e.Field, e.Message);
            }
            catch (Exception e) when (SiteCraftDatabase.IsOutage(e))
            {
                LogChunkFailed(logger, e, contract.Key, chunk);
                throw RpcErrors.Unavailable($"the database did not take the write, so nothing of it was applied; send it again ({e.GetType().Name})");
            }

            await responseStream.WriteAsync(receipt.ToProto(), context.CancellationToken);
            chunk++;
        }
    }

    public override async Task<ListQuarantineResponse> ListQuarantine(ListQuarantineRequest request, ServerCallContext context)
    {
        var query = new QuarantineQuery(
            string.IsNullOrEmpty(request.Status) ? "quarantined" : request.Status,
            string.IsNullOrEmpty(request.ContractId) ? null : request.ContractId,
            string.IsNullOrEmpty(request.BatchId) ? null : request.BatchId,
            request.Limit == 0 ? 100 : request.Limit,
            request.AfterId);
        try
        {
            var page = await quarantine.ListAsync(query, context.CancellationToken);
            var response = new ListQuarantineResponse { NextAfterId = page.NextAfterId };
            response.Records.Add(page.Records.Select(r => r.ToProto()));
            return response;
        }
        catch (QuarantineRequestException e)
        {
            throw RpcErrors.InvalidArgument(e.Field, e.Message);
        }
    }

    public override async Task<ReleaseQuarantineResponse> ReleaseQuarantine(ReleaseQuarantineRequest request, ServerCallContext context)
    {
        var releases = request.Releases
            .Select(r => new Data.Quarantine.QuarantineRelease(r.Id, r.CorrectedRecord.IsEmpty ? null : r.CorrectedRecord.Memory))
            .ToList();
        try
        {
            var results = await quarantine.ReleaseAsync(releases, request.Actor, catalog, context.CancellationToken);
            var response = new ReleaseQuarantineResponse();
            response.Results.Add(results.Select(r => r.ToProto()));
            return response;
        }
        catch (QuarantineRequestException e) when (e.NotFound)
        {
            throw RpcErrors.NotFound(e.Message);
        }
        catch (QuarantineRequestException e)
        {
            throw RpcErrors.InvalidArgument(e.Field, e.Message);
        }
        catch (IngestRequestException e)
        {
            throw RpcErrors.InvalidArgument("releases.corrected_record", e.Message);
        }
    }

    public override async Task<V1.Snapshot> CreateSnapshot(CreateSnapshotRequest request, ServerCallContext context)
    {
        var contract = ContractFor(request.ContractId, current: null);
        var filters = request.Filters ?? new V1.SnapshotFilters();
        var snapshotRequest = new SnapshotRequest(
            contract,
            new Data.Snapshots.SnapshotFilters(
                [.. filters.UseCases], [.. filters.Sources],
                filters.CreatedFrom?.ToDateTimeOffset(), filters.CreatedBefore?.ToDateTimeOffset(),
                filters.HasMinOnlineScore ? filters.MinOnlineScore : null),
            request.SplitRatios,
            string.IsNullOrEmpty(request.SnapshotId) ? null : request.SnapshotId);
        try
        {
            var result = await snapshots.ExportAsync(snapshotRequest, options.Value.SnapshotDirectory, progress: null, context.CancellationToken);
            return result.ToProto();
        }
        catch (SnapshotRequestException e)
        {
            throw RpcErrors.InvalidArgument(e.Field, e.Message);
        }
    }

    public override async Task<V1.ContractTestReport> TestContract(TestContractRequest request, ServerCallContext context)
    {
        var contract = ContractFor(request.ContractId, current: null);
        return (await checker.TestAsync(contract, context.CancellationToken)).ToProto();
    }

    /// <summary>The stream's contract: named by the first message, never changed by a later one.</summary>
    private DataContract ContractFor(string requested, DataContract? current)
    {
        if (current is not null)
        {
            return requested.Length == 0 || requested == current.Id
                ? current
                : throw RpcErrors.InvalidArgument("contract_id", $"the stream began with contract '{current.Id}' and cannot change it to '{requested}'.");
        }

        if (requested.Length == 0)
        {
            throw RpcErrors.InvalidArgument("contract_id", "is required in the first message of the stream.");
        }

        return catalog.Contracts.FirstOrDefault(c => c.Id == requested)
            ?? throw RpcErrors.InvalidArgument("contract_id", $"no data contract '{requested}'; known: {string.Join(", ", catalog.Contracts.Select(c => c.Id))}.");
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "Ingest {Contract} chunk {Chunk} was not applied: the database failed")]
    private static partial void LogChunkFailed(ILogger logger, Exception exception, string contract, long chunk);
}
