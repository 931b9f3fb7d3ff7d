using SiteCraft.Ml.Cli.Data;
using SiteCraft.Ml.Contracts.Data.Ingest;
using SiteCraft.Ml.Contracts.Data.Quarantine;
using SiteCraft.Ml.Contracts.Data.Snapshots;

namespace SiteCraft.Ml.Cli.Commands;

/// <summary>The "data" command group: training data in the platform's database (ingest, export, quarantine).</summary>
public static class DataCommands
{
    public static Command Create() => new("data", "Training data in the SiteCraft.Ml database: ingest, export snapshots, review the quarantine.")
    {
        Ingest(),
        Export(),
        Quarantine(),
    };

    private static Command Export()
    {
        var output = new Option<DirectoryInfo>("--out") { Description = "The folder the snapshot's own folder is written into.", Required = true, HelpName = "DIR" };
        var contract = new ContractOptions();
        var database = new DatabaseOption();
        var useCases = new Option<string[]>("--use-case") { Description = "Only these use cases (repeat the option for more).", HelpName = "ID", AllowMultipleArgumentsPerToken = true };
        var sources = new Option<string[]>("--source") { Description = "Only these sources.", HelpName = "SOURCE", AllowMultipleArgumentsPerToken = true };
        var from = new Option<DateTimeOffset?>("--from") { Description = "Only records created at or after this time (ISO 8601).", HelpName = "TIME" };
        var before = new Option<DateTimeOffset?>("--before") { Description = "Only records created before this time (ISO 8601).", HelpName = "TIME" };
        var minScore = new Option<double?>("--min-score") { Description = "Only records whose quality_signals.online_score is at least this.", HelpName = "SCORE" };
        var splits = new Option<string?>("--split") { Description = "Split shares, e.g. train=0.8,validation=0.1,test=0.1 (default train=0.9,validation=0.1).", HelpName = "NAME=SHARE,…" };
        var snapshotId = new Option<string?>("--snapshot-id") { Description = "The snapshot's id; generated when left out.", HelpName = "ID" };

        var command = new Command("export", "Export a dataset snapshot: JSONL per split and a manifest with each file's sha256, registered in ai_dataset_snapshots.")
        {
            output, useCases, sources, from, before, minScore, splits, snapshotId,
        };
        contract.AddTo(command);
        database.AddTo(command);
        command.SetAction(async (parse, cancellationToken) =>
        {
            var ratios = ParseSplits(parse.GetValue(splits));
            var dataContract = await contract.LoadContractAsync(parse, cancellationToken);
            await using var dataSource = await database.OpenAsync(parse, cancellationToken);
            var request = new SnapshotRequest(
                dataContract,
                new SnapshotFilters(parse.GetValue(useCases) ?? [], parse.GetValue(sources) ?? [], parse.GetValue(from), parse.GetValue(before), parse.GetValue(minScore)),
                ratios,
                parse.GetValue(snapshotId));
            try
            {
                var result = await new SnapshotExporter(dataSource, TimeProvider.System)
                    .ExportAsync(request, parse.GetRequiredValue(output).FullName, progress: null, cancellationToken);
                await Console.Out.WriteLineAsync($"snapshot {result.SnapshotId} in {result.Directory} (manifest sha256 {result.ManifestSha256})");
                foreach (var file in result.Manifest.Files)
                {
                    await Console.Out.WriteLineAsync($"  {file.Name}: {file.Records} records, {file.Bytes} bytes, sha256 {file.Sha256}");
                }

                return ExitCodes.Ok;
            }
            catch (SnapshotRequestException e)
            {
                throw new UsageException(e.Message, e);
            }
        });
        return command;
    }

    private static Dictionary<string, double> ParseSplits(string? text)
    {
        var ratios = new Dictionary<string, double>(StringComparer.Ordinal);
        if (string.IsNullOrWhiteSpace(text))
        {
            return ratios;
        }

        foreach (var part in text.Split(',', StringSplitOptions.TrimEntries | StringSplitOptions.RemoveEmptyEntries))
        {
            var pieces = part.Split('=', 2, StringSplitOptions.TrimEntries);
            if (pieces.Length != 2 || !double.TryParse(pieces[1], System.Globalization.NumberStyles.Float, System.Globalization.CultureInfo.InvariantCulture, out var share)
                || !ratios.TryAdd(pieces[0], share))
            {
                throw new UsageException($"--split '{part}' is not NAME=SHARE (each name once), e.g. train=0.9,validation=0.1");
            }
        }

        return ratios;
    }

    private static Command Ingest()
    {
        var file = new Argument<FileInfo>("FILE") { Description = "A JSONL file of training records, one per line." };
        var contract = new ContractOptions();
        var database = new DatabaseOption();
        var batch = new Option<string?>("--batch-id") { Description = "A name for this batch, stored on its quarantine rows; default: the file name and the time.", HelpName = "ID" };
        var chunkSize = new Option<int>("--chunk-size")
        {
            Description = $"Records per chunk; each chunk lands whole or not at all (at most {TrainingIngestor.MaxRecordsPerChunk}).",
            HelpName = "N",
            DefaultValueFactory = _ => 1000,
        };
        chunkSize.Validators.Add(result =>
        {
            if (result.GetValueOrDefault<int>() is < 1 or > TrainingIngestor.MaxRecordsPerChunk)
            {
                result.AddError($"--chunk-size must be between 1 and {TrainingIngestor.MaxRecordsPerChunk}");
            }
        });
        var show = ShowOption.Create("Quarantined records listed with their reasons; the rest are only counted.");

        var command = new Command("ingest", "Curate a JSONL file into ai_training_examples; rejected records go to quarantine with every reason. Exit 0: all stored (or already there); 1: some quarantined; 2: usage or configuration error.")
        {
            file, batch, chunkSize, show,
        };
        contract.AddTo(command);
        database.AddTo(command);
        command.SetAction(async (parse, cancellationToken) =>
        {
            var input = InputFile.Existing(parse.GetRequiredValue(file));
            var dataContract = await contract.LoadContractAsync(parse, cancellationToken);
            await using var dataSource = await database.OpenAsync(parse, cancellationToken);
            var batchId = parse.GetValue(batch) ?? $"{input.Name}@{DateTimeOffset.UtcNow:yyyyMMddTHHmmssZ}";
            return await JsonlIngest.RunAsync(input, dataContract, dataSource, batchId, parse.GetValue(chunkSize), parse.GetValue(show), cancellationToken);
        });
        return command;
    }

    private static Command Quarantine() => new("quarantine", "Review quarantined training records.")
    {
        QuarantineList(),
        QuarantineRelease(),
    };

    private static Command QuarantineList()
    {
        var database = new DatabaseOption();
        var status = new Option<string>("--status") { Description = "quarantined, released or rejected.", DefaultValueFactory = _ => "quarantined", HelpName = "STATUS" };
        status.AcceptOnlyFromAmong("quarantined", "released", "rejected");
        var batch = new Option<string?>("--batch-id") { Description = "Only rows of this batch.", HelpName = "ID" };
        var contractId = new Option<string?>("--contract") { Description = "Only rows of this contract.", HelpName = "ID" };
        var limit = new Option<int>("--limit") { Description = $"Rows per page (1 to {QuarantineQuery.MaxLimit}).", DefaultValueFactory = _ => 100, HelpName = "N" };
        var after = new Option<long>("--after") { Description = "Rows after this id (the next page).", HelpName = "ID" };
        var json = new Option<bool>("--json") { Description = "One JSON document, with each row's raw record." };

        var command = new Command("list", "List quarantine rows, oldest first, with every reason.") { status, batch, contractId, limit, after, json };
        database.AddTo(command);
        command.SetAction(async (parse, cancellationToken) =>
        {
            await using var dataSource = await database.OpenAsync(parse, cancellationToken);
            var store = new QuarantineStore(dataSource, new TrainingIngestor(dataSource));
            try
            {
                var page = await store.ListAsync(
                    new QuarantineQuery(parse.GetRequiredValue(status), parse.GetValue(contractId), parse.GetValue(batch), parse.GetValue(limit), parse.GetValue(after)),
                    cancellationToken);
                await QuarantineReport.WriteListAsync(page, parse.GetValue(json));
                return ExitCodes.Ok;
            }
            catch (QuarantineRequestException e)
            {
                throw new UsageException($"--{e.Field}: {e.Message}", e);
            }
        });
        return command;
    }

    private static Command QuarantineRelease()
    {
        var ids = new Argument<long[]>("ID") { Description = "Quarantine row ids to release.", Arity = ArgumentArity.OneOrMore };
        var database = new DatabaseOption();
        var contract = new ContractOptions();
        var actor = new Option<string>("--actor") { Description = "Who releases them (stored as resolved_by).", Required = true, HelpName = "NAME" };
        var corrected = new Option<FileInfo?>("--file") { Description = "The corrected record (one JSON object) for the single ID given; without it the stored bytes are checked again.", HelpName = "FILE" };

        var command = new Command("release", "Take quarantined records through curation again, fixed (--file) or as they are. Exit 0: all released; 1: some still quarantined.") { ids, actor, corrected };
        contract.AddTo(command);
        database.AddTo(command);
        command.SetAction(async (parse, cancellationToken) =>
        {
            var rows = parse.GetRequiredValue(ids);
            ReadOnlyMemory<byte>? body = null;
            if (parse.GetValue(corrected) is { } fix)
            {
                if (rows.Length != 1)
                {
                    throw new UsageException($"--file corrects one record; {rows.Length} ids were given");
                }

                body = await File.ReadAllBytesAsync(InputFile.Existing(fix).FullName, cancellationToken);
            }

            var catalog = await contract.LoadCatalogAsync(parse, cancellationToken);
            await using var dataSource = await database.OpenAsync(parse, cancellationToken);
            var store = new QuarantineStore(dataSource, new TrainingIngestor(dataSource));
            try
            {
                var results = await store.ReleaseAsync(rows.Select(id => new QuarantineRelease(id, body)).ToList(), parse.GetRequiredValue(actor), catalog, cancellationToken);
                return await QuarantineReport.WriteReleasesAsync(results) ? ExitCodes.Ok : ExitCodes.Findings;
            }
            catch (QuarantineRequestException e)
            {
                throw new UsageException(e.Message, e);
            }
            catch (IngestRequestException e)
            {
                throw new UsageException($"--file: {e.Message}", e);
            }
        });
        return command;
    }
}
