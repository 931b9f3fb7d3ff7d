using Grpc.Net.Client;
using Microsoft.Extensions.Logging.Abstractions;
using Npgsql;
using SiteCraft.Ml.Cli.Commands;
using SiteCraft.Ml.Evals.Core.Gates;
using SiteCraft.Ml.Evals.Data;
using SiteCraft.Ml.Inference.V1;

namespace SiteCraft.Ml.Cli.Evals;

/// <summary>
/// The options that reach the platform for eval commands: the database, the inference service,
/// the admin token, and the suites and gate policies (shipped beside the CLI by default).
/// </summary>
public sealed class EvalConnection
{
    public const string InferenceVariable = "SITECRAFT_ML_INFERENCE";
    public const string AdminTokenVariable = "SITECRAFT_ML_ADMIN_TOKEN";

    public DatabaseOption Database { get; } = new();

    public Option<string?> Inference { get; } = new("--inference")
    {
        Description = $"gRPC address of the inference service; default ${InferenceVariable}.",
        HelpName = "URL",
    };

    public Option<string?> AdminToken { get; } = new("--admin-token")
    {
        Description = $"The inference admin token (pinned routes); default ${AdminTokenVariable}.",
        HelpName = "TOKEN",
    };

    public Option<DirectoryInfo?> Suites { get; } = new("--suites") { Description = "The suites folder; default the suites shipped with the CLI (docs/evals/suites).", HelpName = "DIR" };

    public Option<FileInfo?> Gates { get; } = new("--gates") { Description = "The gate policies; default the file shipped with the CLI (docs/evals/gates.yaml).", HelpName = "FILE" };

    public void AddTo(Command command, bool inference)
    {
        Database.AddTo(command);
        if (inference)
        {
            command.Options.Add(Inference);
            command.Options.Add(AdminToken);
        }

        command.Options.Add(Suites);
        command.Options.Add(Gates);
    }

    public SuiteCatalog Catalog(ParseResult parse)
    {
        try
        {
            return SuiteCatalog.Load(parse.GetValue(Suites)?.FullName);
        }
        catch (EvalRequestException e)
        {
            throw new UsageException($"--suites: {e.Problem}", e);
        }
    }

    public GatePolicies Policies(ParseResult parse)
    {
        var path = parse.GetValue(Gates)?.FullName ?? Path.Combine(AppContext.BaseDirectory, "evals", "gates.yaml");
        try
        {
            return GatePolicies.Load(path);
        }
        catch (Exception e) when (e is IOException or FormatException or InvalidDataException)
        {
            throw new UsageException($"--gates: {e.Message}", e);
        }
    }

    public async Task<(EvalRunner Runner, EvalStore Store, NpgsqlDataSource DataSource, GrpcChannel Channel)> RunnerAsync(ParseResult parse, CancellationToken cancellationToken)
    {
        var address = NonEmpty(parse.GetValue(Inference)) ?? NonEmpty(Environment.GetEnvironmentVariable(InferenceVariable))
            ?? throw new UsageException($"--inference is required (or set {InferenceVariable})");
        if (!Uri.TryCreate(address, UriKind.Absolute, out var uri) || uri.Scheme is not ("http" or "https"))
        {
            throw new UsageException($"--inference: '{address}' is not an http(s) address");
        }

        var token = NonEmpty(parse.GetValue(AdminToken)) ?? NonEmpty(Environment.GetEnvironmentVariable(AdminTokenVariable));
        var catalog = Catalog(parse);
        var dataSource = await Database.OpenAsync(parse, cancellationToken);
        var channel = GrpcChannel.ForAddress(uri);
        var options = new EvalRunOptions();
        var caller = new InferenceCaller(new GenerationService.GenerationServiceClient(channel), token, options.Calls);
        var store = new EvalStore(dataSource);
        var runner = new EvalRunner(store, catalog, caller, new ProviderLimits(options), options, NullLogger<EvalRunner>.Instance);
        return (runner, store, dataSource, channel);
    }

    private static string? NonEmpty(string? value) => string.IsNullOrWhiteSpace(value) ? null : value;
}
