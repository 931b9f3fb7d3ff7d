using SiteCraft.Ml.Training.Native;

namespace SiteCraft.Ml.Training.Tests;

/// <summary>Makes libtorch loadable once (the program does the same at its start) before any test touches TorchSharp.</summary>
internal static class TorchFixture
{
    private static readonly Lazy<bool> s_ready = new(() =>
    {
        LibTorchCompatibility.EnsureLoadable();
        TorchSharp.torch.set_num_threads(1);
        return true;
    });

    public static void EnsureReady() => _ = s_ready.Value;
}
