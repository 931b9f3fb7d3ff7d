using System.CommandLine;

namespace SiteCraft.Ml.Benchmarks.LocalModel;

/// <summary>The "localmodel" command: the CPU inference engine in process.</summary>
public static class LocalModelCommand
{
    public static Command Create()
    {
        var model = new Option<DirectoryInfo?>("--model") { Description = "Load config.json and model.safetensors from this directory instead of random weights." };
        var vocab = new Option<int>("--vocab") { Description = "Random model: vocab_size.", DefaultValueFactory = _ => 4096 }.Positive();
        var hidden = new Option<int>("--hidden") { Description = "Random model: hidden_size.", DefaultValueFactory = _ => 256 }.Positive();
        var layers = new Option<int>("--layers") { Description = "Random model: num_hidden_layers.", DefaultValueFactory = _ => 4 }.Positive();
        var heads = new Option<int>("--heads") { Description = "Random model: num_attention_heads.", DefaultValueFactory = _ => 8 }.Positive();
        var kvHeads = new Option<int>("--kv-heads") { Description = "Random model: num_key_value_heads.", DefaultValueFactory = _ => 4 }.Positive();
        var headDim = new Option<int>("--head-dim") { Description = "Random model: head_dim.", DefaultValueFactory = _ => 32 }.Positive();
        var intermediate = new Option<int>("--intermediate") { Description = "Random model: intermediate_size.", DefaultValueFactory = _ => 688 }.Positive();
        var context = new Option<int>("--context") { Description = "Random model: max_position_embeddings.", DefaultValueFactory = _ => 512 }.Positive();
        var prompt = new Option<int>("--prompt-tokens") { Description = "Prompt before the measured decode.", DefaultValueFactory = _ => 16 }.Positive();
        var newTokens = new Option<int>("--new-tokens") { Description = "Greedy tokens decoded per repetition.", DefaultValueFactory = _ => 256 }.Positive();
        var prefill = new Option<int>("--prefill-tokens") { Description = "Prompt length of the prefill measurement.", DefaultValueFactory = _ => 256 }.Positive();
        var repetitions = new Option<int>("--repetitions") { Description = "Counted repetitions after warm-up; the report gives their median.", DefaultValueFactory = _ => 5 }.Positive();
        var output = new Option<FileInfo?>("--output") { Description = "Also write the markdown report to this file." };

        var command = new Command("localmodel", "Tokens/s of the local Llama engine: decode (1 thread and all cores), prefill, and the SIMD bound.")
        {
            model, vocab, hidden, layers, heads, kvHeads, headDim, intermediate, context, prompt, newTokens, prefill, repetitions, output,
        };
        command.SetAction((parse, cancellationToken) => LocalModelBenchmark.RunAsync(
            new LocalModelSettings(
                parse.GetValue(model),
                parse.GetValue(vocab),
                parse.GetValue(hidden),
                parse.GetValue(layers),
                parse.GetValue(heads),
                parse.GetValue(kvHeads),
                parse.GetValue(headDim),
                parse.GetValue(intermediate),
                parse.GetValue(context),
                parse.GetValue(prompt),
                parse.GetValue(newTokens),
                parse.GetValue(prefill),
                parse.GetValue(repetitions),
                parse.GetValue(output)),
            string.Join(' ', ["dotnet run -c", BuildInfo.Configuration, "--project tools/SiteCraft.Ml.Benchmarks --", .. parse.Tokens.Select(t => t.Value)]),
            cancellationToken));
        return command;
    }
}
