using CsCheck;
using SiteCraft.Ml.Migrator.Migrations;

namespace SiteCraft.Ml.AppHost.Tests.Migrator;

public sealed class SqlStatementSplitterTests
{
    [Fact]
    public void Splits_at_top_level_semicolons_and_keeps_offsets()
    {
        const string sql = "create table a (id int);\n-- note; not a split\ninsert into a values (1);";

        var statements = SqlStatementSplitter.Split(sql);

        Assert.Equal(2, statements.Count);
        Assert.Equal(0, statements[0].Offset);
        Assert.Equal("create table a (id int)", statements[0].Text);
        Assert.Equal(sql.IndexOf(";\n", StringComparison.Ordinal) + 1, statements[1].Offset);
        Assert.EndsWith("insert into a values (1)", statements[1].Text, StringComparison.Ordinal);
    }

    [Fact]
    public void Semicolons_inside_strings_identifiers_comments_and_dollar_bodies_do_not_split()
    {
        const string sql = """
            select 'a;b', E'it\'s;', "odd;name" from t /* x; /* nested; */ y; */;
            create function f() returns int language plpgsql as $body$ begin return 1; end; $body$;
            do $$ begin perform 1; end $$;
            select $1;
            """;

        var statements = SqlStatementSplitter.Split(sql);

        Assert.Equal(4, statements.Count);
        Assert.Contains("$body$ begin return 1; end; $body$", statements[1].Text, StringComparison.Ordinal);
    }

    [Fact]
    public void Comment_only_and_blank_tails_are_not_statements()
    {
        Assert.Single(SqlStatementSplitter.Split("select 1;\n\n-- the end\n/* really */\n"));
        Assert.Empty(SqlStatementSplitter.Split("  \n-- nothing\n"));
    }

    [Fact]
    public void Any_list_of_statements_with_quoted_semicolons_splits_back_into_the_same_list()
    {
        var literal = Gen.String[Gen.Char["abc; '$\n"], 0, 12].Select(s => "'" + s.Replace("'", "''", StringComparison.Ordinal) + "'");
        var dollar = Gen.String[Gen.Char["xyz;'\n"], 0, 12].Select(s => "$q$" + s + "$q$");
        var statement = Gen.OneOf(literal, dollar).Array[1, 4].Select(parts => "select " + string.Join(", ", parts));

        statement.Array[1, 8].Sample(statements =>
        {
            var sql = string.Join(";\n", statements) + ";";
            var split = SqlStatementSplitter.Split(sql);
            return split.Select(s => s.Text.Trim()).SequenceEqual(statements)
                && split.All(s => sql.Substring(s.Offset, s.Text.Length) == s.Text);
        });
    }

    [Theory]
    [InlineData("select 1;\nselect * from nowhere;", 10, 15, 2, 15)]
    [InlineData("select 1;\n\n  create tabel x;", 9, 12, 3, 10)]
    public void Error_positions_become_file_lines_and_columns(string file, int statementOffset, int position, int line, int column)
    {
        Assert.Equal((line, column), SqlErrorLocation.Find(file, statementOffset, position));
    }

    [Fact]
    public void An_error_without_a_position_points_at_the_start_of_its_statement()
    {
        Assert.Equal((3, 1), SqlErrorLocation.Find("select 1;\n\ninsert into t values (1);", 9, 0));
    }
}
