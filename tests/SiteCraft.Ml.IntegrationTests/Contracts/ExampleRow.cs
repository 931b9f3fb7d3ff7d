namespace SiteCraft.Ml.IntegrationTests.Contracts;

/// <summary>
/// One ai_training_examples row as a test writes it, valid under the shipped contract unless a
/// test says otherwise; the content (and so content_sha256) follows from the id.
/// </summary>
public sealed record ExampleRow
{
    public Guid Id { get; init; } = Guid.NewGuid();

    public string ContractId { get; init; } = TrainingDataScope.ContractId;

    public string ContractVersion { get; init; } = "1.0.0";

    public string UseCase { get; init; } = "site.page.json";

    public string Source { get; init; } = "generation";

    public DateTimeOffset CreatedAt { get; init; } = TrainingDataScope.Now.AddHours(-1);

    /// <summary>quality_signals.online_score; null leaves quality_signals without it.</summary>
    public double? OnlineScore { get; init; }

    public bool Consent { get; init; } = true;

    public string? TenantId { get; init; } = "tenant-7f3a";

    public string? SiteId { get; init; } = "site-0042";

    public string IdText => Id.ToString("D");

    /// <summary>The prompt, as the table stores it: a system and a user message.</summary>
    public string MessagesJson => $$"""[{"role": "system", "content": "You write SiteCraft pages."}, {"role": "user", "content": "Write the café page {{IdText}}"}]""";

    /// <summary>HTML with quotes and non-ASCII text, so the export's escaping is exercised.</summary>
    public string Completion => $"<section class=\"hero\"><h1>Café {IdText}</h1><p>Fresh bread & coffee.</p></section>";

    public string QualitySignalsJson => OnlineScore is { } score
        ? $$"""{"online_score": {{score.ToString(System.Globalization.CultureInfo.InvariantCulture)}}, "user_rating": 4}"""
        : """{"user_rating": 4}""";
}
