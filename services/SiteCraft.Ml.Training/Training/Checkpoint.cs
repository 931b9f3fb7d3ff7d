using System.Text.Json;
using System.Text.Json.Serialization;

namespace SiteCraft.Ml.Training.Training;

/// <summary>
/// A resumable point of a run in <c>OUT/checkpoint/</c>: the weights, the AdamW moments and this
/// state. It is written to a fresh folder and swapped in with one rename, so a run killed while
/// saving still has its previous checkpoint.
/// </summary>
internal sealed record CheckpointState(
    int Step,
    long TokensSeen,
    string OptionsFingerprint,
    double FirstLoss,
    List<double> RecentLosses,
    List<ValidationPoint> ValidationHistory,
    double ElapsedSeconds)
{
    public const string FolderName = "checkpoint";
    public const string ModelFile = "model.bin";
    public const string OptimizerFile = "optimizer.bin";
    public const string StateFile = "state.json";

    private static readonly JsonSerializerOptions s_json = new() { WriteIndented = true, PropertyNamingPolicy = JsonNamingPolicy.SnakeCaseLower, NumberHandling = JsonNumberHandling.AllowNamedFloatingPointLiterals };

    public static CheckpointState? TryRead(string outputDirectory)
    {
        var path = Path.Combine(outputDirectory, FolderName, StateFile);
        return File.Exists(path) ? JsonSerializer.Deserialize<CheckpointState>(File.ReadAllText(path), s_json) : null;
    }

    public void Write(string folder) => File.WriteAllText(Path.Combine(folder, StateFile), JsonSerializer.Serialize(this, s_json));
}

internal sealed record ValidationPoint(int Step, double Loss);
