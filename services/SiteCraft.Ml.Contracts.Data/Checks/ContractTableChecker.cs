using System.Data;
using System.Globalization;
using Npgsql;
using NpgsqlTypes;
using SiteCraft.Ml.Contracts.Core.Definitions;

namespace SiteCraft.Ml.Contracts.Data.Checks;

/// <summary>
/// Checks a contract's stored rows against the contract, like <c>datacontract test</c>: the
/// contract is registered unchanged, every property has its column, the table-level quality rules
/// hold, required properties are never null, unique ones never repeat, property quality rules hold,
/// and the newest row is within the freshness SLA. Only rows whose contract_id is the contract's
/// are counted; every value is a query parameter and every identifier is quoted.
/// </summary>
public sealed class ContractTableChecker(NpgsqlDataSource dataSource, TimeProvider time)
{
    private const string ScopeColumn = "contract_id";

    private const string RegisteredSql = "select sha256 from ai_data_contracts where contract_id = $1 and version = $2";

    private const string ColumnsSql = """
        select coalesce(current_schema()::text, ''),
               array(select column_name::text from information_schema.columns
                     where table_schema = current_schema() and table_name = $1
                     order by ordinal_position)
        """;

    // Identifiers arrive quoted; values are always parameters, $1 being the contract id.
    private static string RowCountSql(string table) => $"select count(*) from {table} where contract_id = $1";

    private static string NullCountSql(string table, string column) =>
        $"select count(*) from {table} where contract_id = $1 and {column} is null";

    private static string MissingCountSql(string table, string column) =>
        $"select count(*) from {table} where contract_id = $1 and ({column} is null or {column}::text = any($2))";

    private static string InvalidTextSql(string table, string column) =>
        $"select count(*) from {table} where contract_id = $1 and {column} is not null and not ({column}::text = any($2))";

    private static string InvalidBooleanSql(string table, string column) =>
        $"select count(*) from {table} where contract_id = $1 and {column} is not null and not ({column}::boolean = any($2))";

    private static string InvalidNumberSql(string table, string column) =>
        $"select count(*) from {table} where contract_id = $1 and {column} is not null and not ({column}::float8 = any($2))";

    private static string NewestSql(string table, string column) =>
        $"select max({column})::timestamptz from {table} where contract_id = $1";

    // Rows beyond the first with the same values in every column (rows with a null among them are not compared).
    private static string DuplicateCountSql(string table, IReadOnlyList<string> columns) => $"""
        select coalesce(sum(n - 1), 0)::bigint
        from (select count(*) as n from {table}
              where contract_id = $1 and {string.Join(" and ", columns.Select(c => $"{c} is not null"))}
              group by {string.Join(", ", columns)}) as repeated
        """;

    /// <summary>Runs every check on the contract's rows; a failing check is reported, never thrown.</summary>
    public async Task<ContractTestReport> TestAsync(DataContract contract, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(contract);
        var checks = new List<ContractCheckResult>();
        await using var connection = await dataSource.OpenConnectionAsync(cancellationToken);
        // One snapshot of the data for every check, so the numbers in a report agree with each other.
        await using var transaction = await connection.BeginTransactionAsync(IsolationLevel.RepeatableRead, cancellationToken);

        checks.Add(await RegisteredAsync(connection, contract, cancellationToken));

        var table = contract.Schema.StoredName;
        var (schema, columns) = await ColumnsAsync(connection, table, cancellationToken);
        if (columns.Count == 0 || !columns.Contains(ScopeColumn))
        {
            var problem = columns.Count == 0
                ? $"table {table} does not exist in schema {schema}"
                : $"table {table} has no {ScopeColumn} column to tell this contract's rows apart";
            checks.Add(new($"table({table})", CheckResult.Fail, "a table with a contract_id column", columns.Count == 0 ? "missing" : $"no {ScopeColumn}", problem));
            return Report(contract, checks);
        }

        var scope = new TableScope(connection, Quote(schema) + "." + Quote(table), table, contract.Id);
        var rows = await scope.RowsAsync(cancellationToken);

        foreach (var property in contract.Schema.Properties)
        {
            checks.Add(columns.Contains(property.StoredName)
                ? new($"present({property.Name})", CheckResult.Pass, "a column", property.StoredName, $"{table}.{property.StoredName} holds {property.Name}")
                : new($"present({property.Name})", CheckResult.Warn, "a column", "missing", $"{table} has no column {property.StoredName} for property {property.Name}; its checks are skipped"));
        }

        foreach (var rule in contract.Schema.Quality)
        {
            checks.Add(await TableRuleAsync(scope, contract.Schema, columns, rule, rows, cancellationToken));
        }

        foreach (var property in contract.Schema.Properties.Where(p => columns.Contains(p.StoredName)))
        {
            checks.AddRange(await PropertyChecksAsync(scope, property, rows, cancellationToken));
        }

        checks.Add(await FreshnessAsync(scope, contract, columns, cancellationToken));
        return Report(contract, checks);
    }

    private ContractTestReport Report(DataContract contract, List<ContractCheckResult> checks) =>
        new(contract.Key, checks.Max(c => c.Result), checks, time.GetUtcNow());

    private static async Task<ContractCheckResult> RegisteredAsync(NpgsqlConnection connection, DataContract contract, CancellationToken cancellationToken)
    {
        const string Name = "contractRegistered";
        await using var command = new NpgsqlCommand(RegisteredSql, connection);
        command.Parameters.Add(new() { Value = contract.Id });
        command.Parameters.Add(new() { Value = contract.Version });
        var stored = await command.ExecuteScalarAsync(cancellationToken) as string;
        var expected = $"sha256 {contract.Sha256}";
        if (stored is null)
        {
            return new(Name, CheckResult.Warn, expected, "not registered",
                $"{contract.Key} is not in ai_data_contracts; rows cannot name it until it is registered");
        }

        return stored == contract.Sha256
            ? new(Name, CheckResult.Pass, expected, $"sha256 {stored}", $"{contract.Key} is registered with the same hash")
            : new(Name, CheckResult.Fail, expected, $"sha256 {stored}",
                $"{contract.Key} is registered with another hash: the file changed without a version bump, and rows stored under this version were checked by other rules");
    }

    private static async Task<(string Schema, HashSet<string> Columns)> ColumnsAsync(NpgsqlConnection connection, string table, CancellationToken cancellationToken)
    {
        await using var command = new NpgsqlCommand(ColumnsSql, connection);
        command.Parameters.Add(new() { Value = table });
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        await reader.ReadAsync(cancellationToken);
        return (reader.GetString(0), new HashSet<string>(reader.GetFieldValue<string[]>(1), StringComparer.Ordinal));
    }

    private static async Task<ContractCheckResult> TableRuleAsync(
        TableScope scope, PropertySchema schema, HashSet<string> columns, QualityRule rule, long rows, CancellationToken cancellationToken)
    {
        switch (rule.Metric)
        {
            case "rowCount":
                return Judge("rowCount", rule, rows, rows, $"{scope.Table} holds {rows} rows of this contract");
            case "duplicateValues":
                var names = rule.Arguments.TryGetValue("properties", out var value) ? (IReadOnlyList<string>)value : [];
                var name = $"duplicateValues({string.Join(", ", names)})";
                if (names.Count == 0)
                {
                    return new(name, CheckResult.Warn, RuleComparison.Describe(rule), "no properties named",
                        "the schema's duplicateValues rule names no properties in arguments.properties, so there is nothing to compare");
                }

                var stored = names.Select(n => schema.Property(n)?.StoredName ?? n).ToList();
                if (stored.FirstOrDefault(c => !columns.Contains(c)) is { } missing)
                {
                    return new(name, CheckResult.Warn, RuleComparison.Describe(rule), "no column",
                        $"{scope.Table} has no column {missing}, so duplicates cannot be counted");
                }

                var duplicates = await scope.DuplicatesAsync(stored, cancellationToken);
                return Judge(name, rule, duplicates, rows, $"{duplicates} rows repeat the {string.Join(", ", stored)} of an earlier row");
            default:
                return new(rule.Metric, CheckResult.Warn, RuleComparison.Describe(rule), "not checked", $"the table checks do not know the schema metric {rule.Metric}");
        }
    }

    private static async Task<List<ContractCheckResult>> PropertyChecksAsync(TableScope scope, PropertySchema property, long rows, CancellationToken cancellationToken)
    {
        var checks = new List<ContractCheckResult>();
        var column = property.StoredName;
        if (property.Required)
        {
            var nulls = await scope.CountAsync(NullCountSql, column, [], cancellationToken);
            checks.Add(nulls == 0
                ? new($"required({property.Name})", CheckResult.Pass, "0 null values", "0", $"every row has {column}")
                : new($"required({property.Name})", CheckResult.Fail, "0 null values", Count(nulls), $"{nulls} rows have no {column}; the contract requires it"));
        }

        if (property.Unique)
        {
            var duplicates = await scope.DuplicatesAsync([column], cancellationToken);
            checks.Add(duplicates == 0
                ? new($"unique({property.Name})", CheckResult.Pass, "0 duplicate values", "0", $"no two rows share a {column}")
                : new($"unique({property.Name})", CheckResult.Fail, "0 duplicate values", Count(duplicates), $"{duplicates} rows repeat the {column} of an earlier row; the contract says it is unique"));
        }

        foreach (var rule in property.Quality)
        {
            var name = $"{rule.Metric}({property.Name})";
            switch (rule.Metric)
            {
                case "nullValues":
                    var nulls = await scope.CountAsync(NullCountSql, column, [], cancellationToken);
                    checks.Add(Judge(name, rule, nulls, rows, $"{nulls} rows have no {column}"));
                    break;
                case "missingValues":
                    var missingValues = ((IReadOnlyList<string>)rule.Arguments["missingValues"]).ToArray();
                    var missing = await scope.CountAsync(MissingCountSql, column, [Parameter(missingValues, NpgsqlDbType.Text)], cancellationToken);
                    checks.Add(Judge(name, rule, missing, rows, $"{missing} rows have {column} null or one of: {string.Join(", ", missingValues.Select(v => $"'{v}'"))}"));
                    break;
                case "invalidValues":
                    var allowed = (AllowedValues)rule.Arguments["validValues"];
                    // Compared in the property's type: a boolean as a boolean, a number as a number.
                    Func<string, string, string> sql = property.LogicalType switch
                    {
                        LogicalType.Boolean => InvalidBooleanSql,
                        LogicalType.Integer or LogicalType.Number => InvalidNumberSql,
                        _ => InvalidTextSql,
                    };
                    var parameter = property.LogicalType switch
                    {
                        LogicalType.Boolean => Parameter(allowed.Booleans.ToArray(), NpgsqlDbType.Boolean),
                        LogicalType.Integer or LogicalType.Number => Parameter(allowed.Numbers.ToArray(), NpgsqlDbType.Double),
                        _ => Parameter(allowed.Strings.ToArray(), NpgsqlDbType.Text),
                    };
                    var invalid = await scope.CountAsync(sql, column, [parameter], cancellationToken);
                    checks.Add(Judge(name, rule, invalid, rows, $"{invalid} rows have a {column} outside {allowed.Display}"));
                    break;
                case "duplicateValues":
                    var duplicates = await scope.DuplicatesAsync([column], cancellationToken);
                    checks.Add(Judge(name, rule, duplicates, rows, $"{duplicates} rows repeat the {column} of an earlier row"));
                    break;
                default:
                    checks.Add(new(name, CheckResult.Warn, RuleComparison.Describe(rule), "not checked", $"the table checks do not know the property metric {rule.Metric}"));
                    break;
            }
        }

        return checks;
    }

    private async Task<ContractCheckResult> FreshnessAsync(TableScope scope, DataContract contract, HashSet<string> columns, CancellationToken cancellationToken)
    {
        // The loader checked that the element is "<schema>.<property>" naming a timestamp or date.
        var element = contract.Freshness.Element;
        var propertyName = element[(element.IndexOf('.', StringComparison.Ordinal) + 1)..];
        var column = contract.Schema.Property(propertyName)?.StoredName ?? propertyName;
        var name = $"freshness({propertyName})";
        var limit = contract.Freshness.MaxAge;
        var expected = $"newest {column} at most {Age(limit)} old";
        if (!columns.Contains(column))
        {
            return new(name, CheckResult.Warn, expected, "no column", $"{scope.Table} has no column {column}, so freshness cannot be judged");
        }

        var newest = await scope.NewestAsync(column, cancellationToken);
        if (newest is null)
        {
            return new(name, CheckResult.Warn, expected, "no rows", $"{scope.Table} holds no rows of this contract, so freshness cannot be judged");
        }

        var now = time.GetUtcNow();
        var age = now - newest.Value;
        var actual = $"{Age(age)} (newest {newest.Value.UtcDateTime:yyyy-MM-dd'T'HH:mm:ss'Z'})";
        return age <= limit
            ? new(name, CheckResult.Pass, expected, actual, $"the newest {column} is {Age(age)} old, within the SLA of {Age(limit)}")
            : new(name, CheckResult.Fail, expected, actual, $"the newest {column} is {Age(age)} old; the SLA allows {Age(limit)}");
    }

    private static ContractCheckResult Judge(string name, QualityRule rule, long count, long rows, string finding)
    {
        var value = rule.Unit == QualityUnit.Percent ? (rows == 0 ? 0 : 100.0 * count / rows) : count;
        var actual = rule.Unit == QualityUnit.Percent ? $"{RuleComparison.Number(value)} % ({count} of {rows} rows)" : Count(count);
        var expected = RuleComparison.Describe(rule);
        var why = rule.Description is { Length: > 0 } description ? $" ({description})" : "";
        return RuleComparison.Holds(rule, value)
            ? new(name, CheckResult.Pass, expected, actual, $"{finding}: {expected} holds")
            : new(name, CheckResult.Fail, expected, actual, $"{finding}: the contract requires {expected}{why}");
    }

    private static NpgsqlParameter Parameter<T>(T[] values, NpgsqlDbType elementType) =>
        new() { Value = values, NpgsqlDbType = NpgsqlDbType.Array | elementType };

    private static string Count(long count) => count.ToString(CultureInfo.InvariantCulture);

    /// <summary>An age in the largest unit that keeps it readable, e.g. <c>9.5 d</c> or <c>3 h</c>.</summary>
    internal static string Age(TimeSpan age) => age.Duration() switch
    {
        { TotalDays: >= 1 } => $"{RuleComparison.Number(Math.Round(age.TotalDays, 2))} d",
        { TotalHours: >= 1 } => $"{RuleComparison.Number(Math.Round(age.TotalHours, 2))} h",
        { TotalMinutes: >= 1 } => $"{RuleComparison.Number(Math.Round(age.TotalMinutes, 2))} min",
        _ => $"{RuleComparison.Number(Math.Round(age.TotalSeconds, 2))} s",
    };

    private static string Quote(string identifier)
    {
        using var builder = new NpgsqlCommandBuilder();
        return builder.QuoteIdentifier(identifier);
    }

    /// <summary>The contract's rows of one table, with the queries every check runs on them.</summary>
    private sealed class TableScope(NpgsqlConnection connection, string quotedTable, string table, string contractId)
    {
        public string Table { get; } = table;

        public async Task<long> RowsAsync(CancellationToken cancellationToken) =>
            (long)(await ScalarAsync(RowCountSql(quotedTable), [], cancellationToken) ?? 0L);

        public async Task<long> CountAsync(Func<string, string, string> query, string column, NpgsqlParameter[] parameters, CancellationToken cancellationToken) =>
            (long)(await ScalarAsync(query(quotedTable, Quote(column)), parameters, cancellationToken) ?? 0L);

        public async Task<long> DuplicatesAsync(IReadOnlyList<string> columns, CancellationToken cancellationToken) =>
            (long)(await ScalarAsync(DuplicateCountSql(quotedTable, [.. columns.Select(Quote)]), [], cancellationToken) ?? 0L);

        public async Task<DateTimeOffset?> NewestAsync(string column, CancellationToken cancellationToken) =>
            await ScalarAsync(NewestSql(quotedTable, Quote(column)), [], cancellationToken) is DateTime newest
                ? new DateTimeOffset(DateTime.SpecifyKind(newest, DateTimeKind.Utc))
                : null;

        private async Task<object?> ScalarAsync(string sql, NpgsqlParameter[] parameters, CancellationToken cancellationToken)
        {
            await using var command = new NpgsqlCommand(sql, connection);
            command.Parameters.Add(new() { Value = contractId });
            command.Parameters.AddRange(parameters);
            var value = await command.ExecuteScalarAsync(cancellationToken);
            return value is DBNull ? null : value;
        }
    }
}
