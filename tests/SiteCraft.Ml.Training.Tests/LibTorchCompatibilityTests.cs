using SiteCraft.Ml.Training.Native;

namespace SiteCraft.Ml.Training.Tests;

public sealed class LibTorchCompatibilityTests
{
    private static string Library => Path.Combine(AppContext.BaseDirectory, "libLibTorchSharp.so");

    [Fact]
    public void After_the_fix_libtorch_loads_and_computes()
    {
        TorchFixture.EnsureReady();
        using var sum = TorchSharp.torch.ones(3, 4).sum();
        Assert.Equal(12f, sum.item<float>());
    }

    [Fact]
    public void The_fix_changes_only_the_version_flag_and_only_once()
    {
        var copy = Path.Combine(Path.GetTempPath(), $"libLibTorchSharp-{Guid.NewGuid():N}.so");
        File.Copy(Library, copy);
        try
        {
            var before = File.ReadAllBytes(copy);
            Assert.True(LibTorchCompatibility.TryFindRequirement(before, out var flags), "libLibTorchSharp.so should require GLIBCXX_3.4.32");

            // Make the copy strong again (the build output may already be patched), then patch it.
            before[flags] = (byte)(before[flags] & ~0x2);
            File.WriteAllBytes(copy, before);
            Assert.True(LibTorchCompatibility.WeakenRequirement(copy));
            var after = File.ReadAllBytes(copy);

            var differences = Enumerable.Range(0, before.Length).Where(i => before[i] != after[i]).ToList();
            Assert.Equal([flags], differences);
            Assert.Equal(0x2, after[flags] & 0x2);
            Assert.False(LibTorchCompatibility.WeakenRequirement(copy));
        }
        finally
        {
            File.Delete(copy);
        }
    }

    [Fact]
    public void A_file_that_is_not_an_ELF_library_is_left_alone()
    {
        Assert.False(LibTorchCompatibility.TryFindRequirement("not an ELF file at all, just text"u8.ToArray(), out _));
        Assert.False(LibTorchCompatibility.TryFindRequirement([], out _));
    }
}
