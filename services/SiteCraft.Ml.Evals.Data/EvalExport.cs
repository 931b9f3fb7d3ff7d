using System.Text.Json;
using Npgsql;
using NpgsqlTypes;

namespace SiteCraft.Ml.Evals.Data;

/// <summary>Which eval records to export; null fields do not filter.</summary>
/// <param name="RunId">One run.</param>
/// <param name="SuiteId">Runs of one suite.</param>
/// <param name="UseCase">Runs of one use case.</param>
/// <param name="Provider">Runs against one provider.</param>
/// <param name="Model">Runs against one model.</param>
/// <param name="From">Samples created at or after this time.</param>
/// <param name="Before">Samples created before this time.</param>
/// <param name="Outcome">passed, failed or error.</param>
public sealed record EvalExportFilter(
    Guid? RunId = null, string? SuiteId = null, string? UseCase = null, string? Provider = null, string? Model = null,
    DateTimeOffset? From = null, DateTimeOffset? Before = null, string? Outcome = null)
{
    public static readonly string[] Outcomes = ["passed", "failed", "error"];
}

/// <summary>
/// The seed's export script: eval samples with their run's metadata as JSON Lines, streamed from
/// Postgres. Output and error are exact: a line whose text Postgres had to escape carries
/// "escaped": true and the escaped text (TextCodec), as in the run report.
/// </summary>
public static class EvalExport
{
    public static async Task<int> WriteJsonlAsync(NpgsqlDataSource dataSource, EvalExportFilter filter, Stream output, CancellationToken cancellationToken)
    {
        if (filter.Outcome is not null && !EvalExportFilter.Outcomes.Contains(filter.Outcome))
        {
            throw new EvalRequestException("outcome", $"'{filter.Outcome}' is not one of {string.Join(", ", EvalExportFilter.Outcomes)}");
        }

        await using var command = dataSource.CreateCommand(
            """
            select r.run_id, r.suite_id, r.suite_hash, r.use_case, r.target_provider, r.target_model, r.environment, r.status,
                   s.case_id, s.repeat, s.output, s.escaped, s.passed, s.score, s.scores::text, s.error, s.latency_ms, s.cost_usd,
                   s.input_tokens, s.output_tokens, s.cached, s.created_at
            from ai_eval_samples s
            join ai_eval_runs r on r.run_id = s.run_id
            where ($1::uuid is null or r.run_id = $1)
              and ($2::text is null or r.suite_id = $2)
              and ($3::text is null or r.use_case = $3)
              and ($4::text is null or r.target_provider = $4)
              and ($5::text is null or r.target_model = $5)
              and ($6::timestamptz is null or s.created_at >= $6)
              and ($7::timestamptz is null or s.created_at < $7)
              and ($8::text is null
                   or ($8 = 'passed' and s.passed) or ($8 = 'failed' and not s.passed) or ($8 = 'error' and s.error is not null))
            order by r.created_at, r.run_id, s.case_id, s.repeat
            """);
        command.Parameters.Add(new NpgsqlParameter { Value = (object?)filter.RunId ?? DBNull.Value, NpgsqlDbType = NpgsqlDbType.Uuid });
        command.Parameters.Add(Text(filter.SuiteId));
        command.Parameters.Add(Text(filter.UseCase));
        command.Parameters.Add(Text(filter.Provider));
        command.Parameters.Add(Text(filter.Model));
        command.Parameters.Add(new NpgsqlParameter { Value = (object?)filter.From ?? DBNull.Value, NpgsqlDbType = NpgsqlDbType.TimestampTz });
        command.Parameters.Add(new NpgsqlParameter { Value = (object?)filter.Before ?? DBNull.Value, NpgsqlDbType = NpgsqlDbType.TimestampTz });
        command.Parameters.Add(Text(filter.Outcome));

        var count = 0;
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        await using var json = new Utf8JsonWriter(output, new JsonWriterOptions { Encoder = System.Text.Encodings.Web.JavaScriptEncoder.UnsafeRelaxedJsonEscaping });
        while (await reader.ReadAsync(cancellationToken))
        {
            json.Reset(output);
            json.WriteStartObject();
            json.WriteString("run_id", reader.GetGuid(0));
            WriteText(json, "suite_id", reader, 1);
            WriteText(json, "suite_hash", reader, 2);
            WriteText(json, "use_case", reader, 3);
            WriteText(json, "provider", reader, 4);
            WriteText(json, "model", reader, 5);
            WriteText(json, "environment", reader, 6);
            WriteText(json, "run_status", reader, 7);
            WriteText(json, "case_id", reader, 8);
            json.WriteNumber("repeat", reader.GetInt32(9));
            WriteText(json, "output", reader, 10);
            json.WriteBoolean("escaped", reader.GetBoolean(11));
            if (reader.IsDBNull(12))
            {
                json.WriteNull("passed");
            }
            else
            {
                json.WriteBoolean("passed", reader.GetBoolean(12));
            }

            WriteNumber(json, "score", reader, 13);
            json.WritePropertyName("scores");
            json.WriteRawValue(reader.GetString(14), skipInputValidation: true);
            WriteText(json, "error", reader, 15);
            WriteNumber(json, "latency_ms", reader, 16);
            if (reader.IsDBNull(17))
            {
                json.WriteNull("cost_usd");
            }
            else
            {
                json.WriteNumber("cost_usd", reader.GetDecimal(17));
            }

            WriteNumber(json, "input_tokens", reader, 18);
            WriteNumber(json, "output_tokens", reader, 19);
            json.WriteBoolean("cached", reader.GetBoolean(20));
            json.WriteString("created_at", reader.GetFieldValue<DateTimeOffset>(21));
            json.WriteEndObject();
            await json.FlushAsync(cancellationToken);
            output.WriteByte((byte)'\n');
            count++;
        }

        await output.FlushAsync(cancellationToken);
        return count;
    }

    private static void WriteText(Utf8JsonWriter json, string name, NpgsqlDataReader reader, int ordinal)
    {
        if (reader.IsDBNull(ordinal))
        {
            json.WriteNull(name);
        }
        else
        {
            json.WriteString(name, reader.GetString(ordinal));
        }
    }

    private static void WriteNumber(Utf8JsonWriter json, string name, NpgsqlDataReader reader, int ordinal)
    {
        if (reader.IsDBNull(ordinal))
        {
            json.WriteNull(name);
        }
        else
        {
            json.WriteNumber(name, Convert.ToDouble(reader.GetValue(ordinal), System.Globalization.CultureInfo.InvariantCulture));
        }
    }

    private static NpgsqlParameter Text(string? value) => new() { Value = (object?)value ?? DBNull.Value, NpgsqlDbType = NpgsqlDbType.Text };
}
