using Npgsql;
using NpgsqlTypes;

namespace SiteCraft.Ml.Inference.Routing;

/// <summary>A policy change refused, with what to tell the caller.</summary>
public sealed class PolicyChangeException(PolicyChangeError error, string message, IReadOnlyList<FieldViolation>? violations = null)
    : Exception(message)
{
    public PolicyChangeError Error { get; } = error;

    public IReadOnlyList<FieldViolation> Violations { get; } = violations ?? [];
}

public enum PolicyChangeError { Invalid, NotFound, GateMissing, NothingToRollBack }

/// <summary>One version of a policy as administration shows it.</summary>
public sealed record PolicyVersion(RoutingPolicy Policy, string? Comment, string? CreatedBy, DateTimeOffset CreatedAt);

/// <summary>The active version of a scope, what a rollback returns to, and every version.</summary>
public sealed record PolicyHistory(PolicyVersion Active, long? PreviousPolicyId, IReadOnlyList<PolicyVersion> Versions);

/// <summary>
/// Writes routing policies: publish a validated new version and point the scope at it, change the
/// canary share, promote, roll back. Each change is one transaction that locks the scope's pointer
/// row, writes an ai_routing_events row, and fires ai_routing_changed at commit.
/// </summary>
public sealed class PolicyStore(NpgsqlDataSource dataSource, ServedEnvironments environments)
{
    private const string ActiveForUpdateSql = """
        select p.policy_id, p.environment, p.use_case, p.version, p.salt, p.arms::text, p.fallback::text, p.settings::text,
               a.previous_policy_id
        from ai_routing_active a
        join ai_routing_policies p on p.policy_id = a.policy_id
        where a.environment = $1 and a.use_case = $2
        for update of a
        """;

    private const string VersionsSql = """
        select policy_id, environment, use_case, version, salt, arms::text, fallback::text, settings::text, comment, created_by, created_at
        from ai_routing_policies
        where environment = $1 and use_case = $2
        order by version desc
        """;

    private const string KnownModelsSql = "select provider, model from ai_models";

    private const string PassingGateSql = """
        select passed, decided_at from ai_eval_latest_gates
        where environment = $1 and use_case = $2 and provider = $3 and model = $4
        """;

    private const string InsertPolicySql = """
        insert into ai_routing_policies (environment, use_case, version, salt, arms, fallback, settings, comment, created_by)
        select $1, $2, coalesce(max(version), 0) + 1, $3, $4, $5, $6, $7, $8
        from ai_routing_policies where environment = $1 and use_case = $2
        returning policy_id, version
        """;

    private const string UpsertActiveSql = """
        insert into ai_routing_active (environment, use_case, policy_id, previous_policy_id, updated_at, updated_by)
        values ($1, $2, $3, $4, now(), $5)
        on conflict (environment, use_case) do update
        set policy_id = excluded.policy_id, previous_policy_id = excluded.previous_policy_id,
            updated_at = excluded.updated_at, updated_by = excluded.updated_by
        """;

    private const string InsertEventSql = """
        insert into ai_routing_events (environment, use_case, event_type, from_policy_id, to_policy_id, actor, reason, details)
        values ($1, $2, $3, $4, $5, $6, $7, $8)
        """;

    public async Task<PolicyHistory> HistoryAsync(string environment, string useCase, CancellationToken cancellationToken)
    {
        await using var connection = await dataSource.OpenConnectionAsync(cancellationToken);
        var versions = new List<PolicyVersion>();
        await using (var command = new NpgsqlCommand(VersionsSql, connection) { Parameters = { new() { Value = environment }, new() { Value = useCase } } })
        await using (var reader = await command.ExecuteReaderAsync(cancellationToken))
        {
            while (await reader.ReadAsync(cancellationToken))
            {
                versions.Add(new PolicyVersion(
                    RoutingSnapshotLoader.ReadPolicy(reader),
                    reader.IsDBNull(8) ? null : reader.GetString(8),
                    reader.IsDBNull(9) ? null : reader.GetString(9),
                    reader.GetFieldValue<DateTimeOffset>(10)));
            }
        }

        await using var tx = await connection.BeginTransactionAsync(cancellationToken);
        var active = await ActiveAsync(connection, environment, useCase, cancellationToken)
            ?? throw new PolicyChangeException(PolicyChangeError.NotFound, $"no active routing policy for {environment}/{useCase}");
        await tx.CommitAsync(cancellationToken);
        var activeVersion = versions.First(v => v.Policy.PolicyId == active.Policy.PolicyId);
        return new PolicyHistory(activeVersion, active.PreviousPolicyId, versions);
    }

    /// <summary>Validates the draft (and its eval gates where required), stores it as the next version and activates it.</summary>
    public async Task<RoutingPolicy> PublishAsync(
        string environment, string useCase, PolicyDraft draft, string eventType, string actor, string? comment, CancellationToken cancellationToken)
    {
        CheckEnvironment(environment);
        await using var connection = await dataSource.OpenConnectionAsync(cancellationToken);
        await using var tx = await connection.BeginTransactionAsync(cancellationToken);
        var current = await ActiveAsync(connection, environment, useCase, cancellationToken);
        var published = await PublishInTransactionAsync(connection, environment, useCase, draft, current, eventType, actor, comment, cancellationToken);
        await tx.CommitAsync(cancellationToken);
        return published;
    }

    /// <summary>Publishes the active policy with its canary arms re-weighted to <paramref name="sharePercent"/>.</summary>
    public Task<RoutingPolicy> SetCanaryShareAsync(string environment, string useCase, double sharePercent, string actor, CancellationToken cancellationToken) =>
        EditActiveAsync(environment, useCase, "canary_change", actor, $"canary share {sharePercent}%", policy =>
        {
            if (!policy.HasCanary)
            {
                throw new PolicyChangeException(PolicyChangeError.Invalid, $"the active policy of {environment}/{useCase} has no canary arm",
                    [new FieldViolation("share_percent", "the active policy has no canary arm")]);
            }

            if (!(sharePercent is >= 0 and <= 100))
            {
                throw new PolicyChangeException(PolicyChangeError.Invalid, $"share_percent {sharePercent} is out of range 0..100",
                    [new FieldViolation("share_percent", $"{sharePercent} is out of range 0..100")]);
            }

            return PolicyEdits.WithCanaryShare(policy.Arms, sharePercent);
        }, cancellationToken);

    /// <summary>Publishes the active policy with its canary arms as the only stable arms.</summary>
    public Task<RoutingPolicy> PromoteAsync(string environment, string useCase, string actor, CancellationToken cancellationToken) =>
        EditActiveAsync(environment, useCase, "promote", actor, "canary promoted", policy => policy.HasCanary
            ? PolicyEdits.Promote(policy.Arms)
            : throw new PolicyChangeException(PolicyChangeError.Invalid, $"the active policy of {environment}/{useCase} has no canary to promote"),
            cancellationToken);

    /// <summary>
    /// Points the scope back at the version it had before the active one. Without a previous version
    /// and with a canary, publishes the active policy without its canary arms instead.
    /// </summary>
    public async Task<RoutingPolicy> RollbackAsync(
        string environment, string useCase, string actor, string reason, bool automatic, CancellationToken cancellationToken)
    {
        await using var connection = await dataSource.OpenConnectionAsync(cancellationToken);
        await using var tx = await connection.BeginTransactionAsync(cancellationToken);
        var result = await RollbackInTransactionAsync(connection, environment, useCase, actor, reason, automatic, null, cancellationToken);
        await tx.CommitAsync(cancellationToken);
        return result;
    }

    /// <summary>The rollback itself, inside a caller's transaction (the guardrail holds its lock in it).</summary>
    public async Task<RoutingPolicy> RollbackInTransactionAsync(
        NpgsqlConnection connection, string environment, string useCase, string actor, string reason, bool automatic,
        IReadOnlyDictionary<string, object>? details, CancellationToken cancellationToken)
    {
        var current = await ActiveAsync(connection, environment, useCase, cancellationToken)
            ?? throw new PolicyChangeException(PolicyChangeError.NotFound, $"no active routing policy for {environment}/{useCase}");
        var eventType = automatic ? "auto_rollback" : "rollback";
        if (current.PreviousPolicyId is not long previousId)
        {
            if (!current.Policy.HasCanary)
            {
                throw new PolicyChangeException(PolicyChangeError.NothingToRollBack,
                    $"{environment}/{useCase} v{current.Policy.Version} has no previous version and no canary to remove");
            }

            var draft = new PolicyDraft(PolicyEdits.WithoutCanary(current.Policy.Arms), current.Policy.Fallback, current.Policy.Settings, current.Policy.Salt);
            return await PublishInTransactionAsync(connection, environment, useCase, draft, current, eventType, actor, reason, cancellationToken, checkGates: false, details);
        }

        // A rollback goes back one step; the version rolled back from is not offered as the next rollback target.
        await UpsertActiveAsync(connection, environment, useCase, previousId, previous: null, actor, cancellationToken);
        await InsertEventAsync(connection, environment, useCase, eventType, current.Policy.PolicyId, previousId, actor, reason, details, cancellationToken);
        await using var command = new NpgsqlCommand(ActiveForUpdateSql, connection) { Parameters = { new() { Value = environment }, new() { Value = useCase } } };
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        await reader.ReadAsync(cancellationToken);
        return RoutingSnapshotLoader.ReadPolicy(reader);
    }

    private async Task<RoutingPolicy> EditActiveAsync(
        string environment, string useCase, string eventType, string actor, string comment,
        Func<RoutingPolicy, IReadOnlyList<PolicyArm>> edit, CancellationToken cancellationToken)
    {
        CheckEnvironment(environment);
        await using var connection = await dataSource.OpenConnectionAsync(cancellationToken);
        await using var tx = await connection.BeginTransactionAsync(cancellationToken);
        var current = await ActiveAsync(connection, environment, useCase, cancellationToken)
            ?? throw new PolicyChangeException(PolicyChangeError.NotFound, $"no active routing policy for {environment}/{useCase}");
        var draft = new PolicyDraft(edit(current.Policy), current.Policy.Fallback, current.Policy.Settings, current.Policy.Salt);
        var published = await PublishInTransactionAsync(connection, environment, useCase, draft, current, eventType, actor, comment, cancellationToken);
        await tx.CommitAsync(cancellationToken);
        return published;
    }

    private async Task<RoutingPolicy> PublishInTransactionAsync(
        NpgsqlConnection connection, string environment, string useCase, PolicyDraft draft, ActivePolicy? current,
        string eventType, string actor, string? comment, CancellationToken cancellationToken, bool checkGates = true,
        IReadOnlyDictionary<string, object>? details = null)
    {
        var known = await KnownModelsAsync(connection, cancellationToken);
        var violations = PolicyValidator.Validate(draft, (provider, model) => known.Contains((provider, model)));
        if (violations.Count > 0)
        {
            throw new PolicyChangeException(PolicyChangeError.Invalid,
                $"the policy for {environment}/{useCase} is invalid: {string.Join("; ", violations.Select(v => $"{v.Field}: {v.Description}"))}", violations);
        }

        // Rolling back to safety must never wait for an eval; every other change to a gated environment does.
        if (checkGates && environments.RequiresGates(environment))
        {
            var missing = new List<string>();
            foreach (var arm in draft.Arms.Where(a => a.Weight > 0))
            {
                if (!await HasPassingGateAsync(connection, environment, useCase, arm, cancellationToken))
                {
                    missing.Add($"{arm.Provider}/{arm.Model}");
                }
            }

            if (missing.Count > 0)
            {
                throw new PolicyChangeException(PolicyChangeError.GateMissing,
                    $"{environment} requires a passing eval gate for every arm; missing for {useCase}: {string.Join(", ", missing)} (ai_eval_gates: run the suite and its gate first)");
            }
        }

        var salt = draft.Salt ?? current?.Policy.Salt ?? $"{environment}:{useCase}";
        long policyId;
        int version;
        await using (var insert = new NpgsqlCommand(InsertPolicySql, connection)
        {
            Parameters =
            {
                new() { Value = environment },
                new() { Value = useCase },
                new() { Value = salt },
                new() { Value = PolicyJson.ArmsToJson(draft.Arms), NpgsqlDbType = NpgsqlDbType.Jsonb },
                new() { Value = PolicyJson.FallbackToJson(draft.Fallback), NpgsqlDbType = NpgsqlDbType.Jsonb },
                new() { Value = PolicyJson.SettingsToJson(draft.Settings), NpgsqlDbType = NpgsqlDbType.Jsonb },
                new() { Value = (object?)comment ?? DBNull.Value, NpgsqlDbType = NpgsqlDbType.Text },
                new() { Value = actor },
            },
        })
        await using (var reader = await insert.ExecuteReaderAsync(cancellationToken))
        {
            await reader.ReadAsync(cancellationToken);
            policyId = reader.GetInt64(0);
            version = reader.GetInt32(1);
        }

        await UpsertActiveAsync(connection, environment, useCase, policyId, current?.Policy.PolicyId, actor, cancellationToken);
        var eventDetails = new Dictionary<string, object>(details ?? new Dictionary<string, object>()) { ["version"] = version };
        await InsertEventAsync(connection, environment, useCase, eventType, current?.Policy.PolicyId, policyId, actor, comment, eventDetails, cancellationToken);
        return new RoutingPolicy(policyId, environment, useCase, version, salt, draft.Arms, draft.Fallback, draft.Settings);
    }

    private void CheckEnvironment(string environment)
    {
        if (!environments.Serves(environment))
        {
            throw new PolicyChangeException(PolicyChangeError.Invalid, $"environment '{environment}' is not served here ({environments.Description})",
                [new FieldViolation("environment", $"'{environment}' is not served here ({environments.Description})")]);
        }
    }

    private static async Task<ActivePolicy?> ActiveAsync(NpgsqlConnection connection, string environment, string useCase, CancellationToken cancellationToken)
    {
        await using var command = new NpgsqlCommand(ActiveForUpdateSql, connection) { Parameters = { new() { Value = environment }, new() { Value = useCase } } };
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        if (!await reader.ReadAsync(cancellationToken))
        {
            return null;
        }

        return new ActivePolicy(RoutingSnapshotLoader.ReadPolicy(reader), reader.IsDBNull(8) ? null : reader.GetInt64(8));
    }

    private static async Task<HashSet<(string, string)>> KnownModelsAsync(NpgsqlConnection connection, CancellationToken cancellationToken)
    {
        var known = new HashSet<(string, string)>();
        await using var command = new NpgsqlCommand(KnownModelsSql, connection);
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        while (await reader.ReadAsync(cancellationToken))
        {
            known.Add((reader.GetString(0), reader.GetString(1)));
        }

        return known;
    }

    private static async Task<bool> HasPassingGateAsync(NpgsqlConnection connection, string environment, string useCase, PolicyArm arm, CancellationToken cancellationToken)
    {
        await using var command = new NpgsqlCommand(PassingGateSql, connection)
        {
            Parameters = { new() { Value = environment }, new() { Value = useCase }, new() { Value = arm.Provider }, new() { Value = arm.Model } },
        };
        return await command.ExecuteScalarAsync(cancellationToken) is true;
    }

    private static async Task InsertEventAsync(
        NpgsqlConnection connection, string environment, string useCase, string eventType, long? from, long to, string actor, string? reason,
        IReadOnlyDictionary<string, object>? details, CancellationToken cancellationToken)
    {
        var json = System.Text.Json.JsonSerializer.Serialize(details ?? new Dictionary<string, object>(), RoutingJson.Default.IReadOnlyDictionaryStringObject);
        await using var command = new NpgsqlCommand(InsertEventSql, connection)
        {
            Parameters =
            {
                new() { Value = environment },
                new() { Value = useCase },
                new() { Value = eventType },
                new() { Value = (object?)from ?? DBNull.Value, NpgsqlDbType = NpgsqlDbType.Bigint },
                new() { Value = to },
                new() { Value = actor },
                new() { Value = (object?)reason ?? DBNull.Value, NpgsqlDbType = NpgsqlDbType.Text },
                new() { Value = json, NpgsqlDbType = NpgsqlDbType.Jsonb },
            },
        };
        await command.ExecuteNonQueryAsync(cancellationToken);
    }

    private static async Task UpsertActiveAsync(
        NpgsqlConnection connection, string environment, string useCase, long policyId, long? previous, string actor, CancellationToken cancellationToken)
    {
        await using var command = new NpgsqlCommand(UpsertActiveSql, connection)
        {
            Parameters =
            {
                new() { Value = environment },
                new() { Value = useCase },
                new() { Value = policyId },
                new() { Value = (object?)previous ?? DBNull.Value, NpgsqlDbType = NpgsqlDbType.Bigint },
                new() { Value = actor },
            },
        };
        await command.ExecuteNonQueryAsync(cancellationToken);
    }
}
