using System.Globalization;
using System.Text.Json;
using SiteCraft.Ml.Training.Artifacts;
using SiteCraft.Ml.Training.Data;
using SiteCraft.Ml.Training.Training;

namespace SiteCraft.Ml.Training.Commands;

/// <summary><c>sitecraft-train register</c>: records an existing artifact folder in ai_model_artifacts, optionally activating it.</summary>
internal static class RegisterCommand
{
    public static Command Create()
    {
        var artifact = new Option<string>("--artifact") { Description = "The artifact folder (model.safetensors, config.json, tokenizer.json, model_card.md).", Required = true };
        var name = new Option<string>("--name") { Description = "Artifact name.", DefaultValueFactory = _ => "sitecraft-base" };
        var version = new Option<string>("--version") { Description = "Artifact version.", Required = true };
        var activate = new Option<bool>("--activate") { Description = "Make it the artifact the local provider serves." };
        var connection = new Option<string?>("--connection") { Description = "Npgsql connection string; default $SITECRAFT_ML_DB." };
        var command = new Command("register", "Register a trained artifact in ai_model_artifacts.") { artifact, name, version, activate, connection };
        command.SetAction(async (parse, cancellationToken) =>
        {
            var directory = Path.GetFullPath(parse.GetValue(artifact)!);
            var files = ArtifactWriter.Describe(directory);
            var missing = ArtifactWriter.Files.Except(files.Select(f => f.Name)).ToList();
            if (missing.Count > 0)
            {
                throw new TrainingInputException($"--artifact {directory} lacks {string.Join(", ", missing)}");
            }

            var metricsPath = Path.Combine(directory, TrainingRun.MetricsFile);
            var metrics = File.Exists(metricsPath)
                ? JsonSerializer.Deserialize<Dictionary<string, object>>(await File.ReadAllTextAsync(metricsPath, cancellationToken))!
                : [];
            var snapshot = metrics.TryGetValue("dataset_snapshot_id", out var value) ? value.ToString() : null;
            var id = await ArtifactRegistry.RegisterAsync(
                TrainCommand.ConnectionString(parse.GetValue(connection)),
                parse.GetValue(name)!,
                parse.GetValue(version)!,
                directory,
                files,
                await File.ReadAllTextAsync(Path.Combine(directory, ArtifactWriter.Config), cancellationToken),
                metrics,
                snapshot,
                parse.GetValue(activate),
                cancellationToken);
            Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"registered {parse.GetValue(name)}@{parse.GetValue(version)} as artifact_id {id}"));
            return 0;
        });
        return command;
    }
}
