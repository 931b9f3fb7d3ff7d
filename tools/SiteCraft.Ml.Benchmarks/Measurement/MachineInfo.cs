using System.Runtime.InteropServices;

namespace SiteCraft.Ml.Benchmarks.Measurement;

/// <summary>What the figures were measured on.</summary>
public sealed record MachineInfo(int Cores, string Cpu, string OperatingSystem, string Runtime)
{
    public static MachineInfo Current() => new(
        Environment.ProcessorCount,
        CpuModel() ?? RuntimeInformation.ProcessArchitecture.ToString(),
        RuntimeInformation.OSDescription,
        RuntimeInformation.FrameworkDescription);

    private static string? CpuModel()
    {
        const string CpuInfo = "/proc/cpuinfo";
        if (!File.Exists(CpuInfo))
        {
            return null;
        }

        var line = File.ReadLines(CpuInfo).FirstOrDefault(l => l.StartsWith("model name", StringComparison.Ordinal));
        return line?[(line.IndexOf(':', StringComparison.Ordinal) + 1)..].Trim();
    }
}
