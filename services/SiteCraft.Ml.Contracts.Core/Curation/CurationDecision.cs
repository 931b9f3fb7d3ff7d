namespace SiteCraft.Ml.Contracts.Core.Curation;

/// <summary>
/// One decision curation made about a record, with the rule and its version so a rule change
/// can be replayed over the records it touched (stored in ai_training_examples.curation or as a
/// quarantine reason).
/// </summary>
/// <param name="Rule">The rule's name, e.g. <c>pii.email</c> or <c>contract.maxLength</c>.</param>
/// <param name="Version">The rule's version: a number for curation rules, the contract version for contract rules.</param>
/// <param name="Field">The field it concerns (<c>$</c> for the whole record).</param>
/// <param name="Action">What it did.</param>
/// <param name="Reason">Why, in a sentence.</param>
/// <param name="Excerpt">The start of the offending value when it helps (never PII that was redacted).</param>
public sealed record CurationDecision(string Rule, string Version, string Field, CurationAction Action, string Reason, string? Excerpt = null)
{
    /// <summary><c>rule@version</c>, e.g. <c>pii.email@1</c>.</summary>
    public string RuleVersion => $"{Rule}@{Version}";

    public override string ToString() => $"{RuleVersion} {Field}: {Reason}";
}
