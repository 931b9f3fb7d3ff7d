using System.Buffers;
using System.Security.Cryptography;
using System.Text;
using System.Text.RegularExpressions;
using SiteCraft.Ml.Contracts.Core.Definitions;
using SiteCraft.Ml.Contracts.Core.Validation;

namespace SiteCraft.Ml.Contracts.Core.Curation;

/// <summary>
/// Takes candidate records through validation and the contract's curation policy —
/// normalisation, PII, quality, exact and near dedup — and gives each exactly one outcome:
/// accepted, quarantined with every reason, or a duplicate of a record accepted before it.
/// It remembers what it accepted (for dedup), so use one per stream or batch; not thread-safe.
/// </summary>
public sealed class Curator
{
    public const string ExactDedupRule = "dedup.exact";
    public const string NearDedupRule = "dedup.near";
    public const string IdConflictRule = "dedup.id";
    public const string DedupVersion = "1";
    public const string ScanTimeoutRule = "pii.scan_timeout";

    private readonly DataContract _contract;
    private readonly CurationPolicy _policy;
    private readonly ContractValidator _validator;
    private readonly PiiDetector _pii;
    private readonly QualityFilter _quality;
    private readonly MinHasher _minHasher;
    private readonly NearDuplicateIndex _nearIndex;
    private readonly Dictionary<string, string> _acceptedByHash = new(StringComparer.Ordinal);
    private readonly Dictionary<string, string> _hashById = new(StringComparer.Ordinal);
    private readonly IncrementalHash _sha256 = IncrementalHash.CreateHash(HashAlgorithmName.SHA256);

    public Curator(DataContract contract)
    {
        RequireTrainingShape(contract);
        _contract = contract;
        _policy = contract.Curation;
        _validator = new ContractValidator(contract);
        _pii = new PiiDetector(_policy.Pii.DefaultRegion);
        _quality = new QualityFilter(_policy.Quality);
        _minHasher = new MinHasher(_policy.Dedup.Near);
        _nearIndex = new NearDuplicateIndex(_policy.Dedup.Near);
    }

    /// <summary>The contract's validator, which <see cref="Process"/> runs first.</summary>
    public ContractValidator Validator => _validator;

    public int Accepted { get; private set; }

    public int Quarantined { get; private set; }

    public int Duplicates { get; private set; }

    /// <summary>Validates raw bytes (one JSONL line, say) against the contract, then curates what passes.</summary>
    public CurationOutcome Process(ReadOnlyMemory<byte> raw)
    {
        var validation = _validator.Validate(raw, out var document);
        using (document)
        {
            if (!validation.IsValid || document is null)
            {
                var id = document is null ? null : BestEffortId(document.RootElement);
                var reasons = validation.Violations
                    .Select(v => new CurationDecision($"contract.{v.Rule}", _contract.Version, v.Path, CurationAction.Rejected, v.Message, v.Excerpt))
                    .ToList();
                return Quarantine(id, reasons);
            }

            return Curate(TrainingRecord.FromValidJson(document.RootElement));
        }
    }

    /// <summary>Curates a record that has already passed validation.</summary>
    public CurationOutcome Curate(TrainingRecord record)
    {
        var decisions = new List<CurationDecision>();
        try
        {
            return CurateChecked(record, decisions);
        }
        catch (RegexMatchTimeoutException e)
        {
            // Text built to make a pattern backtrack is not scanned to the end, so it cannot be called clean.
            decisions.Add(new CurationDecision(ScanTimeoutRule, PiiDetector.Version, "$", CurationAction.Rejected, $"a scan ran past its {e.MatchTimeout.TotalMilliseconds:0} ms limit, so the record cannot be shown to be free of PII"));
            return Quarantine(record.Id, decisions);
        }
    }

    private CurationOutcome CurateChecked(TrainingRecord record, List<CurationDecision> decisions)
    {
        var messages = record.Messages.ToArray();
        var completion = record.Completion;
        var source = record.Source;

        foreach (var field in _policy.Normalization.Fields)
        {
            if (field == CuratedFields.Completion)
            {
                completion = Normalize(field, completion, decisions);
            }
            else
            {
                for (var i = 0; i < messages.Length; i++)
                {
                    messages[i] = messages[i] with { Content = Normalize($"messages[{i}].content", messages[i].Content, decisions) };
                }
            }
        }

        foreach (var (field, action) in _policy.Pii.Fields)
        {
            switch (field)
            {
                case CuratedFields.Completion:
                    completion = Pii(field, completion, action, decisions);
                    break;
                case CuratedFields.MessageContent:
                    for (var i = 0; i < messages.Length; i++)
                    {
                        messages[i] = messages[i] with { Content = Pii($"messages[{i}].content", messages[i].Content, action, decisions) };
                    }

                    break;
                default:
                    Pii(field, FieldText(record, field), action, decisions);
                    break;
            }
        }

        var reasons = new List<CurationDecision>();
        foreach (var field in _policy.Quality.Fields)
        {
            if (field == CuratedFields.Completion)
            {
                _quality.Check(field, completion, reasons);
            }
            else
            {
                for (var i = 0; i < messages.Length; i++)
                {
                    _quality.Check($"messages[{i}].content", messages[i].Content, reasons);
                }
            }
        }

        decisions.AddRange(reasons);
        if (decisions.Exists(d => d.Action == CurationAction.Rejected))
        {
            return Quarantine(record.Id, decisions);
        }

        var hash = ContentSha256(record, messages, completion);
        var signature = _minHasher.Signature(NearDedupText(messages, completion));
        var curated = new CuratedRecord(
            record.Id, _contract.Id, _contract.Version, source, record.UseCase, messages, completion,
            record.TenantId, record.SiteId, record.Consent, record.QualitySignalsJson, record.CreatedAt, hash, decisions, signature);

        if (_acceptedByHash.TryGetValue(hash, out var original))
        {
            decisions.Add(new CurationDecision(ExactDedupRule, DedupVersion, "$", CurationAction.Duplicate, $"same normalised content as {original} (sha256 {hash})"));
            Duplicates++;
            return new CurationOutcome.Duplicate(curated, original, DuplicateKind.Exact, 1.0);
        }

        if (_hashById.ContainsKey(record.Id))
        {
            decisions.Add(new CurationDecision(IdConflictRule, DedupVersion, CuratedFields.Id, CurationAction.Rejected, $"id {record.Id} was already accepted with different content"));
            return Quarantine(record.Id, decisions);
        }

        if (signature is not null && _nearIndex.FindDuplicate(signature) is var (nearId, similarity))
        {
            decisions.Add(new CurationDecision(NearDedupRule, DedupVersion, string.Join(",", _policy.Dedup.Near.Fields), CurationAction.Duplicate,
                $"near duplicate of {nearId} (estimated Jaccard {similarity:0.00} ≥ {_policy.Dedup.Near.ConfirmThreshold:0.00})"));
            Duplicates++;
            return new CurationOutcome.Duplicate(curated, nearId, DuplicateKind.Near, similarity);
        }

        _acceptedByHash[hash] = record.Id;
        _hashById[record.Id] = hash;
        if (signature is not null)
        {
            _nearIndex.Add(record.Id, signature);
        }

        Accepted++;
        return new CurationOutcome.Accepted(curated);
    }

    /// <summary>
    /// Remembers a record stored earlier (by another stream, another process) so this curator
    /// calls a record repeating it a duplicate. <paramref name="signature"/> is the stored MinHash
    /// signature, null when the record had none; one of another length (other settings) is ignored.
    /// </summary>
    public void Remember(string id, string contentSha256, uint[]? signature)
    {
        _acceptedByHash.TryAdd(contentSha256, id);
        if (!_hashById.TryAdd(id, contentSha256))
        {
            return;
        }

        if (signature is not null && signature.Length == _minHasher.Permutations)
        {
            _nearIndex.Add(id, signature);
        }
    }

    private CurationOutcome.Quarantined Quarantine(string? id, List<CurationDecision> decisions)
    {
        Quarantined++;
        return new CurationOutcome.Quarantined(id, decisions);
    }

    private static string Normalize(string field, string text, List<CurationDecision> decisions)
    {
        var (normalized, nfc, whitespace) = TextNormalizer.Normalize(text);
        if (nfc)
        {
            decisions.Add(new CurationDecision(TextNormalizer.NfcRule, TextNormalizer.Version, field, CurationAction.Normalized, "composed to Unicode NFC"));
        }

        if (whitespace)
        {
            decisions.Add(normalized.Length == 0
                ? new CurationDecision(TextNormalizer.WhitespaceRule, TextNormalizer.Version, field, CurationAction.Rejected, $"{field} holds only whitespace and invisible characters")
                : new CurationDecision(TextNormalizer.WhitespaceRule, TextNormalizer.Version, field, CurationAction.Normalized, "line endings, invisible characters and surplus whitespace tidied"));
        }

        return normalized;
    }

    private string Pii(string field, string? text, PiiAction action, List<CurationDecision> decisions)
    {
        if (text is null || action == PiiAction.Allow)
        {
            return text ?? "";
        }

        if (action == PiiAction.Reject)
        {
            foreach (var group in _pii.Find(text).GroupBy(f => f.Kind))
            {
                decisions.Add(new CurationDecision(PiiDetector.RuleName(group.Key), PiiDetector.Version, field, CurationAction.Rejected,
                    $"{field} contains {Describe(group.Key, group.Count())}, and its policy is reject"));
            }

            return text;
        }

        var redacted = _pii.Redact(text, out var findings);
        foreach (var group in findings.GroupBy(f => f.Kind))
        {
            decisions.Add(new CurationDecision(PiiDetector.RuleName(group.Key), PiiDetector.Version, field, CurationAction.Redacted,
                $"{Describe(group.Key, group.Count())} replaced with {PiiDetector.Placeholder(group.Key)}"));
        }

        return redacted;
    }

    private static string Describe(PiiKind kind, int count) => (kind, count) switch
    {
        (PiiKind.Email, 1) => "an e-mail address",
        (PiiKind.Email, _) => $"{count} e-mail addresses",
        (PiiKind.Phone, 1) => "a phone number",
        (PiiKind.Phone, _) => $"{count} phone numbers",
        (PiiKind.CreditCard, 1) => "a card number",
        (PiiKind.CreditCard, _) => $"{count} card numbers",
        (PiiKind.IPv4 or PiiKind.IPv6, 1) => "an IP address",
        (PiiKind.IPv4 or PiiKind.IPv6, _) => $"{count} IP addresses",
        (_, 1) => "a secret",
        _ => $"{count} secrets",
    };

    private static string? FieldText(TrainingRecord record, string field) => field switch
    {
        CuratedFields.Id => record.Id,
        CuratedFields.Source => record.Source,
        CuratedFields.UseCase => record.UseCase,
        CuratedFields.TenantId => record.TenantId,
        CuratedFields.SiteId => record.SiteId,
        _ => null,
    };

    private string NearDedupText(TrainingMessage[] messages, string completion)
    {
        var fields = _policy.Dedup.Near.Fields;
        if (fields is [CuratedFields.Completion])
        {
            return completion;
        }

        var builder = new StringBuilder();
        foreach (var field in fields)
        {
            if (field == CuratedFields.Completion)
            {
                builder.Append(completion).Append('\n');
            }
            else
            {
                foreach (var message in messages)
                {
                    builder.Append(message.Content).Append('\n');
                }
            }
        }

        return builder.ToString();
    }

    /// <summary>
    /// Lowercase hex sha256 over the contract's exact-dedup fields after normalisation and
    /// redaction, each value framed by its name and length so no two records can collide by
    /// moving text between fields. This is ai_training_examples.content_sha256.
    /// </summary>
    private string ContentSha256(TrainingRecord record, TrainingMessage[] messages, string completion)
    {
        foreach (var field in _policy.Dedup.ExactFields)
        {
            switch (field)
            {
                case CuratedFields.Messages:
                    foreach (var message in messages)
                    {
                        Append("role", message.Role);
                        Append("content", message.Content);
                    }

                    break;
                case CuratedFields.Completion:
                    Append(field, completion);
                    break;
                default:
                    Append(field, FieldText(record, field) ?? "\0null");
                    break;
            }
        }

        Span<byte> hash = stackalloc byte[32];
        _sha256.GetHashAndReset(hash);
        return Convert.ToHexStringLower(hash);
    }

    private void Append(string name, string value)
    {
        var max = Encoding.UTF8.GetMaxByteCount(name.Length + value.Length) + 16;
        var buffer = ArrayPool<byte>.Shared.Rent(max);
        try
        {
            var written = Encoding.UTF8.GetBytes(name, buffer);
            buffer[written++] = 0;
            written += Encoding.UTF8.GetBytes(value.Length.ToString(System.Globalization.CultureInfo.InvariantCulture), buffer.AsSpan(written));
            buffer[written++] = 0;
            written += Encoding.UTF8.GetBytes(value, buffer.AsSpan(written));
            _sha256.AppendData(buffer, 0, written);
        }
        finally
        {
            ArrayPool<byte>.Shared.Return(buffer);
        }
    }

    /// <summary>The record's id for the quarantine row, when it has a readable one; names are compared raw, since a hostile name may not decode.</summary>
    private static string? BestEffortId(JsonElement root)
    {
        if (root.ValueKind != JsonValueKind.Object)
        {
            return null;
        }

        foreach (var property in root.EnumerateObject())
        {
            if (System.Runtime.InteropServices.JsonMarshal.GetRawUtf8PropertyName(property).SequenceEqual("id"u8)
                && property.Value.ValueKind == JsonValueKind.String
                && !Text.JsonStrings.HasLoneSurrogate(System.Runtime.InteropServices.JsonMarshal.GetRawUtf8Value(property.Value))
                && property.Value.GetString() is { Length: <= 128 } id)
            {
                return id;
            }
        }

        return null;
    }

    /// <summary>The curator reads these fields by name; a contract without them cannot drive it.</summary>
    private static void RequireTrainingShape(DataContract contract)
    {
        (string Name, LogicalType Type)[] needed =
        [
            (CuratedFields.Id, LogicalType.String), (CuratedFields.Source, LogicalType.String), (CuratedFields.UseCase, LogicalType.String),
            (CuratedFields.Messages, LogicalType.Array), (CuratedFields.Completion, LogicalType.String), ("consent", LogicalType.Boolean),
            ("created_at", LogicalType.Timestamp),
        ];

        foreach (var (name, type) in needed)
        {
            var property = contract.Schema.Property(name);
            if (property is null || property.LogicalType != type || !property.Required)
            {
                throw new ArgumentException($"Contract {contract.Key} cannot drive curation: it needs a required {type.ToString().ToLowerInvariant()} property '{name}'.", nameof(contract));
            }
        }

        var message = contract.Schema.Property(CuratedFields.Messages)!.Items;
        if (message?.Property("role") is not { LogicalType: LogicalType.String, Required: true } || message.Property("content") is not { LogicalType: LogicalType.String, Required: true })
        {
            throw new ArgumentException($"Contract {contract.Key} cannot drive curation: messages items need required string properties role and content.", nameof(contract));
        }
    }
}
