namespace SiteCraft.Ml.Migrator.Migrations;

/// <summary>Turns a PostgreSQL error position into a file line and column, so the message points at the SQL.</summary>
public static class SqlErrorLocation
{
    /// <param name="fileText">The whole migration file.</param>
    /// <param name="statementOffset">Where the failing statement starts in the file.</param>
    /// <param name="position">PostgreSQL's 1-based character position inside that statement, 0 when it gave none.</param>
    public static (int Line, int Column) Find(string fileText, int statementOffset, int position)
    {
        var offset = statementOffset + Math.Max(position - 1, 0);
        if (position <= 0)
        {
            // No position (a runtime error): point at the statement's first non-blank character.
            while (offset < fileText.Length && char.IsWhiteSpace(fileText[offset]))
            {
                offset++;
            }
        }

        offset = Math.Min(offset, fileText.Length);
        var line = 1;
        var lineStart = 0;
        for (var i = 0; i < offset; i++)
        {
            if (fileText[i] == '\n')
            {
                line++;
                lineStart = i + 1;
            }
        }

        return (line, offset - lineStart + 1);
    }
}
