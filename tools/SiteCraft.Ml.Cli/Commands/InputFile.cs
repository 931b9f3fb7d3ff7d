namespace SiteCraft.Ml.Cli.Commands;

/// <summary>A file named on the command line that the command reads.</summary>
public static class InputFile
{
    /// <summary>The file, when it exists and is not a folder; otherwise a <see cref="UsageException"/> naming it.</summary>
    public static FileInfo Existing(FileInfo file) =>
        Directory.Exists(file.FullName) ? throw new UsageException($"'{file}' is a directory, not a file")
        : !file.Exists ? throw new UsageException($"file '{file}' does not exist")
        : file;
}
