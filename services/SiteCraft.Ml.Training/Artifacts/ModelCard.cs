using System.Globalization;
using System.Text;
using SiteCraft.Ml.Training.Data;
using SiteCraft.Ml.Training.Quality;
using SiteCraft.Ml.Training.Training;

namespace SiteCraft.Ml.Training.Artifacts;

/// <summary>model_card.md: what the model is, what it was trained on, what it reached, and what it is not for.</summary>
internal static class ModelCard
{
    public static string Render(
        string name,
        string version,
        TrainingOptions options,
        Dataset dataset,
        TrainingResult result,
        QualityReport? quality,
        IReadOnlyList<QualitySample> samples)
    {
        var shape = options.Shape;
        var card = new StringBuilder();
        void Line(FormattableString text) => card.AppendLine(text.ToString(CultureInfo.InvariantCulture));

        Line($"# {name}@{version}");
        Line($"");
        Line($"A small decoder-only language model trained from scratch by `sitecraft-train` (services/SiteCraft.Ml.Training) to write SiteCraft landing pages (`site.page.json`), section copy (`site.section.copy`) and SEO meta (`site.seo.meta`). Served by the local provider `sitecraft-local` as model `{name}@{version}`.");
        Line($"");
        Line($"## Architecture");
        Line($"");
        Line($"Llama (LlamaForCausalLM): RMSNorm, rotary position embeddings (Hugging Face `rotate_half`, θ = {shape.RopeTheta}), SwiGLU feed-forward, causal attention with grouped key/value heads, output projection tied to the embedding. float32.");
        Line($"");
        Line($"| | |");
        Line($"|---|---|");
        Line($"| parameters | {shape.ParameterCount:N0} |");
        Line($"| layers × width | {shape.Layers} × {shape.Hidden} |");
        Line($"| heads / key-value heads / head size | {shape.Heads} / {shape.KvHeads} / {shape.HeadDim} |");
        Line($"| SwiGLU inner size | {shape.Intermediate} |");
        Line($"| context | {shape.Context} tokens |");
        Line($"| tokenizer | byte-level BPE, {shape.VocabSize} tokens incl. `<\\|endoftext\\|>` `<\\|system\\|>` `<\\|user\\|>` `<\\|assistant\\|>` `<\\|end\\|>` `<\\|pad\\|>` |");
        Line($"");
        Line($"Files: `model.safetensors` (Hugging Face tensor names), `config.json` (LlamaConfig), `tokenizer.json` and `tokenizer_config.json` (Hugging Face tokenizers, with the chat template).");
        Line($"");
        Line($"## Data");
        Line($"");
        Line($"- snapshot: `{dataset.SnapshotId}`");
        Line($"- sha256: `{dataset.Sha256}` ({(dataset.Synthetic ? "of the generated corpus JSONL" : "of the snapshot's manifest.json")})");
        Line($"- examples: {dataset.Train.Count:N0} train, {dataset.Validation.Count:N0} validation (split by the stable sha256 of the example id)");
        if (dataset.Synthetic)
        {
            Line($"- **Synthetic.** Every example comes from the repository's corpus generator (`SiteCraft.Ml.Training.Corpus`, docs/corpus.md): invented businesses, briefs and copy. No customer data.");
        }

        Line($"");
        Line($"## Training");
        Line($"");
        Line($"| | |");
        Line($"|---|---|");
        Line($"| steps | {result.Steps:N0} × {options.BatchSize} windows × {options.SequenceLength} tokens |");
        Line($"| tokens seen | {result.TokensSeen:N0} |");
        Line($"| optimizer | AdamW (β = {options.Beta1}, {options.Beta2}; weight decay {options.WeightDecay} on matrices), clip {options.GradientClip} |");
        Line($"| learning rate | {options.PeakLearningRate:G3} peak, {options.WarmupSteps} warmup steps, cosine to {options.MinLearningRate:G3} |");
        Line($"| seed | {options.Seed} |");
        Line($"| first loss | {result.FirstLoss:F3} |");
        Line($"| final train loss (mean of last 50 steps) | {result.TrainLoss:F3} |");
        Line($"| final validation loss | {result.ValidationLoss:F3} |");
        Line($"| wall time | {result.Duration.TotalMinutes:F1} min on {options.Threads} CPU threads (TorchSharp / libtorch) |");
        Line($"");
        if (quality is not null)
        {
            Line($"## Quality (held-out briefs, greedy decoding with the C# engine)");
            Line($"");
            Line($"| check | result | target |");
            Line($"|---|---|---|");
            Line($"| `site.page.json` output validates against the catalog schema | {quality.PageValid}/{quality.Briefs} ({quality.PageValidRate:P1}) | ≥ 90% |");
            Line($"| `site.seo.meta` within the catalog limits (title ≤ 60, description ≤ 160 characters) | {quality.SeoWithinLimits}/{quality.Briefs} ({quality.SeoWithinLimitsRate:P1}) | ≥ 95% |");
            Line($"");
            if (quality.Failures.Count > 0)
            {
                Line($"First failures:");
                Line($"");
                foreach (var failure in quality.Failures)
                {
                    Line($"- {failure}");
                }

                Line($"");
            }
        }

        Line($"## Samples (held-out brief, greedy)");
        Line($"");
        foreach (var sample in samples)
        {
            Line($"### {sample.UseCase}");
            Line($"");
            Line($"Prompt:");
            Line($"");
            Line($"```text");
            Line($"{sample.Brief}");
            Line($"```");
            Line($"");
            Line($"Output:");
            Line($"");
            Line($"```text");
            Line($"{sample.Output}");
            Line($"```");
            Line($"");
        }

        Line($"## Intended use and limits");
        Line($"");
        Line($"- For SiteCraft's three use cases, in English, from a short business brief, and as the keyless default that makes the platform work offline. Not a general assistant: it knows only what the corpus shows.");
        Line($"- It invents facts about a business (prices, opening hours, awards) that the brief does not give; the product must treat outputs as drafts.");
        Line($"- It copies business names it has never seen unreliably: held-out briefs use name words the corpus never contains, and the model often substitutes a name it knows. The product should fill names in itself.");
        Line($"- Trained on synthetic data only; its style is the generator's. Quality on real customer briefs is unmeasured until the eval suites run against it.");
        Line($"- Reproduce: `dotnet run -c Release --project services/SiteCraft.Ml.Training -- train --out DIR` with the options above (see README, \"The local model\").");
        return card.ToString();
    }
}
