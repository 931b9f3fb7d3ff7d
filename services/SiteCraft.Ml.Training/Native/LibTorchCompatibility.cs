using System.Buffers.Binary;
using System.Runtime.InteropServices;
using System.Text;

namespace SiteCraft.Ml.Training.Native;

/// <summary>
/// The one workaround this repo needs to run TorchSharp on Debian 12, kept in one place.
/// <para>
/// TorchSharp 0.107's <c>libLibTorchSharp.so</c> was linked against a libstdc++ that has the
/// symbol version <c>GLIBCXX_3.4.32</c> (GCC 13). Debian 12 ships GCC 12's libstdc++ (up to
/// 3.4.30), so the dynamic loader refuses the library ("version `GLIBCXX_3.4.32' not found")
/// although the only symbol of that version, <c>std::ios_base_library_init()</c>, is one nothing
/// in the library binds to (GCC 13 emits a reference to it from every translation unit that
/// includes &lt;iostream&gt;; the older libstdc++ initialises iostreams by itself).
/// </para>
/// <para>
/// The fix marks that one version requirement weak (VER_FLG_WEAK in the ELF
/// <c>.gnu.version_r</c> section), which tells the loader the version may be absent. It is
/// conditional: it runs only when the machine's libstdc++ lacks the symbol, only on Linux, and
/// only if the library still has the strong requirement. Newer distributions (Ubuntu 24.04,
/// Debian 13) never take this path. The patched copy replaces the file in the program's own
/// output folder atomically; nothing outside the build output is touched.
/// </para>
/// </summary>
internal static class LibTorchCompatibility
{
    private const string LibraryName = "libLibTorchSharp.so";
    private const string MissingVersion = "GLIBCXX_3.4.32";
    private const string MissingSymbol = "_ZSt21ios_base_library_initv";
    private const uint ShtGnuVerneed = 0x6ffffffe;
    private const ushort VerFlagWeak = 0x2;

    /// <summary>What <see cref="EnsureLoadable"/> did, for the log.</summary>
    public static string? LastAction { get; private set; }

    /// <summary>Call before the first use of TorchSharp.</summary>
    public static void EnsureLoadable()
    {
        if (!OperatingSystem.IsLinux() || SystemLibStdCxxHasMissingSymbol())
        {
            return;
        }

        foreach (var path in CandidatePaths())
        {
            if (File.Exists(path) && WeakenRequirement(path))
            {
                LastAction = $"marked {MissingVersion} weak in {path} (this libstdc++ predates it; see {nameof(LibTorchCompatibility)})";
            }
        }
    }

    private static bool SystemLibStdCxxHasMissingSymbol()
    {
        if (!NativeLibrary.TryLoad("libstdc++.so.6", out var handle))
        {
            return false;
        }

        try
        {
            return NativeLibrary.TryGetExport(handle, MissingSymbol, out _);
        }
        finally
        {
            NativeLibrary.Free(handle);
        }
    }

    private static IEnumerable<string> CandidatePaths()
    {
        var baseDirectory = AppContext.BaseDirectory;
        yield return Path.Combine(baseDirectory, LibraryName);
        yield return Path.Combine(baseDirectory, "runtimes", "linux-x64", "native", LibraryName);
    }

    /// <summary>Sets VER_FLG_WEAK on the GLIBCXX_3.4.32 requirement; true when the file was changed.</summary>
    internal static bool WeakenRequirement(string path)
    {
        var image = File.ReadAllBytes(path);
        if (!TryFindRequirement(image, out var flagsOffset))
        {
            return false;
        }

        var flags = BinaryPrimitives.ReadUInt16LittleEndian(image.AsSpan(flagsOffset));
        if ((flags & VerFlagWeak) != 0)
        {
            return false;
        }

        BinaryPrimitives.WriteUInt16LittleEndian(image.AsSpan(flagsOffset), (ushort)(flags | VerFlagWeak));
        var temporary = path + ".patching";
        File.WriteAllBytes(temporary, image);
        File.Move(temporary, path, overwrite: true);
        return true;
    }

    /// <summary>Finds the vna_flags field of the GLIBCXX_3.4.32 entry in a little-endian ELF64 image.</summary>
    internal static bool TryFindRequirement(ReadOnlySpan<byte> elf, out int flagsOffset)
    {
        flagsOffset = -1;
        // ELF64 (class 2), little-endian (data 1).
        ReadOnlySpan<byte> magic = [0x7F, (byte)'E', (byte)'L', (byte)'F'];
        if (elf.Length < 64 || !elf[..4].SequenceEqual(magic) || elf[4] != 2 || elf[5] != 1)
        {
            return false;
        }

        var sectionTable = checked((int)BinaryPrimitives.ReadUInt64LittleEndian(elf[0x28..]));
        var entrySize = BinaryPrimitives.ReadUInt16LittleEndian(elf[0x3A..]);
        var count = BinaryPrimitives.ReadUInt16LittleEndian(elf[0x3C..]);
        for (var i = 0; i < count; i++)
        {
            var header = elf.Slice(sectionTable + (i * entrySize), entrySize);
            if (BinaryPrimitives.ReadUInt32LittleEndian(header[4..]) != ShtGnuVerneed)
            {
                continue;
            }

            var offset = checked((int)BinaryPrimitives.ReadUInt64LittleEndian(header[0x18..]));
            var stringSectionIndex = (int)BinaryPrimitives.ReadUInt32LittleEndian(header[0x28..]);
            var needCount = BinaryPrimitives.ReadUInt32LittleEndian(header[0x2C..]);
            var stringHeader = elf.Slice(sectionTable + (stringSectionIndex * entrySize), entrySize);
            var strings = checked((int)BinaryPrimitives.ReadUInt64LittleEndian(stringHeader[0x18..]));

            var need = offset;
            for (var n = 0; n < needCount; n++)
            {
                var auxCount = BinaryPrimitives.ReadUInt16LittleEndian(elf[(need + 2)..]);
                var aux = need + (int)BinaryPrimitives.ReadUInt32LittleEndian(elf[(need + 8)..]);
                for (var a = 0; a < auxCount; a++)
                {
                    var nameOffset = strings + (int)BinaryPrimitives.ReadUInt32LittleEndian(elf[(aux + 8)..]);
                    var nameLength = elf[nameOffset..].IndexOf((byte)0);
                    if (Encoding.ASCII.GetString(elf.Slice(nameOffset, nameLength)) == MissingVersion)
                    {
                        flagsOffset = aux + 4;
                        return true;
                    }

                    aux += (int)BinaryPrimitives.ReadUInt32LittleEndian(elf[(aux + 12)..]);
                }

                need += (int)BinaryPrimitives.ReadUInt32LittleEndian(elf[(need + 12)..]);
            }
        }

        return false;
    }
}
