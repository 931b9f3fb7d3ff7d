using System.Diagnostics;
using System.Globalization;
using System.Numerics.Tensors;
using System.Text;
using SiteCraft.Ml.LocalModel.Engine;

namespace SiteCraft.Ml.Benchmarks.LocalModel;

/// <summary>
/// The local Llama engine in process: greedy decode at batch 1 on one thread and on all cores,
/// prefill, the scalar baseline, and the bound set by the SIMD kernel's in-cache throughput
/// divided by the model's FLOPs per token.
/// </summary>
public static class LocalModelBenchmark
{
    // Tiered JIT needs about a second of hot calls before the loops run optimised code.
    private static readonly TimeSpan s_warmUp = TimeSpan.FromSeconds(2);

    public static Task<int> RunAsync(LocalModelSettings settings, string commandLine, CancellationToken cancellationToken)
    {
        var (config, tensors, source) = LoadModel(settings);
        var threads = Environment.ProcessorCount;
        var single = LlamaModel.FromTensors(config, tensors, new EngineOptions { Threads = 1 });
        var parallel = LlamaModel.FromTensors(config, tensors, new EngineOptions { Threads = threads });
        Progress($"Model: {source}, {single.ParameterCount:N0} parameters");

        var prompt = Tokens(settings.PromptTokens, config.VocabSize, 11);
        var longPrompt = Tokens(settings.PrefillTokens, config.VocabSize, 12);
        if (settings.PromptTokens + settings.NewTokens > config.MaxPositionEmbeddings || settings.PrefillTokens > config.MaxPositionEmbeddings)
        {
            Console.Error.WriteLine($"prompt and new tokens exceed the context of {config.MaxPositionEmbeddings}");
            return Task.FromResult(1);
        }

        var results = new Results();
        using (var session = single.CreateSession())
        {
            results.Decode1 = Measure("decode, 1 thread", settings.Repetitions, () => Decode(session, prompt, settings.NewTokens), cancellationToken);
            results.Prefill = Measure("prefill, 1 thread", settings.Repetitions, () => Prefill(session, longPrompt), cancellationToken);
        }

        using (var session = parallel.CreateSession())
        {
            results.DecodeN = Measure($"decode, {threads} threads", settings.Repetitions, () => Decode(session, prompt, settings.NewTokens), cancellationToken);
        }

        results.Kernel = Measure("4-row FMA kernel, in cache", settings.Repetitions, () => KernelGflops(config.HiddenSize), cancellationToken);
        results.Dot = Measure("TensorPrimitives.Dot, in cache", settings.Repetitions, () => DotGflops(config.HiddenSize), cancellationToken);

        var report = Render(settings, commandLine, source, single, threads, results);
        Console.Out.Write(report);
        if (settings.Output is { } output)
        {
            File.WriteAllText(output.FullName, report);
            Progress($"Report written to {output.FullName}");
        }

        return Task.FromResult(0);
    }

    private static (LlamaConfig Config, IReadOnlyDictionary<string, SafeTensor> Tensors, string Source) LoadModel(LocalModelSettings settings)
    {
        if (settings.ModelDirectory is { } directory)
        {
            var loaded = LlamaConfig.Load(Path.Combine(directory.FullName, "config.json"));
            return (loaded, SafeTensorsFile.Read(Path.Combine(directory.FullName, "model.safetensors")), directory.FullName);
        }

        var config = new LlamaConfig
        {
            VocabSize = settings.Vocab,
            HiddenSize = settings.Hidden,
            IntermediateSize = settings.Intermediate,
            NumHiddenLayers = settings.Layers,
            NumAttentionHeads = settings.Heads,
            NumKeyValueHeads = settings.KeyValueHeads,
            HeadDim = settings.HeadDim,
            MaxPositionEmbeddings = settings.Context,
            TieWordEmbeddings = true,
        };
        var description = string.Create(CultureInfo.InvariantCulture,
            $"random weights (seed 1): vocab {config.VocabSize}, hidden {config.HiddenSize}, {config.NumHiddenLayers} layers, {config.NumAttentionHeads} heads, {config.KeyValueHeads} kv heads, head_dim {config.HeadDimension}, intermediate {config.IntermediateSize}, context {config.MaxPositionEmbeddings}, tied embeddings");
        return (config, LlamaModel.CreateRandom(config, 1).ToTensors().ToDictionary(t => t.Name), description);
    }

    private sealed class Results
    {
        public Spread Decode1 { get; set; } = null!;

        public Spread DecodeN { get; set; } = null!;

        public Spread Prefill { get; set; } = null!;


        public Spread Kernel { get; set; } = null!;

        public Spread Dot { get; set; } = null!;
    }

    private sealed record Spread(double Median, double Min, double Max)
    {
        public static Spread Of(List<double> values)
        {
            var sorted = values.Order().ToArray();
            var middle = sorted.Length / 2;
            var median = sorted.Length % 2 == 1 ? sorted[middle] : (sorted[middle - 1] + sorted[middle]) / 2;
            return new Spread(median, sorted[0], sorted[^1]);
        }
    }

    private static Spread Measure(string name, int repetitions, Func<double> run, CancellationToken cancellationToken)
    {
        var warmUp = Stopwatch.StartNew();
        var warmUps = 0;
        while (warmUp.Elapsed < s_warmUp || warmUps < 2)
        {
            run();
            warmUps++;
            cancellationToken.ThrowIfCancellationRequested();
        }

        var values = new List<double>();
        for (var i = 0; i < repetitions; i++)
        {
            cancellationToken.ThrowIfCancellationRequested();
            values.Add(run());
        }

        var spread = Spread.Of(values);
        Progress(string.Create(CultureInfo.InvariantCulture, $"{name}: median {spread.Median:N1} ({spread.Min:N1}–{spread.Max:N1}) after {warmUps} warm-up runs"));
        return spread;
    }

    /// <summary>Greedy tokens/s after the prompt; the prompt itself is not timed.</summary>
    private static double Decode(InferenceSession session, int[] prompt, int newTokens)
    {
        session.Reset();
        var token = Sampler.ArgMax(session.Prefill(prompt));
        var clock = Stopwatch.StartNew();
        for (var i = 0; i < newTokens; i++)
        {
            token = Sampler.ArgMax(session.Next(token));
        }

        return newTokens / clock.Elapsed.TotalSeconds;
    }

    private static double Prefill(InferenceSession session, int[] prompt)
    {
        session.Reset();
        var clock = Stopwatch.StartNew();
        session.Prefill(prompt);
        return prompt.Length / clock.Elapsed.TotalSeconds;
    }

    /// <summary>GFLOP/s of the engine's matrix-vector kernel on 16 rows of the model's width: 16 KB at width 256, in L1.</summary>
    private static double KernelGflops(int columns)
    {
        const int Rows = 16;
        var w = Tokens(Rows * columns, 1000, 5).Select(v => v / 1000f).ToArray();
        var x = Tokens(columns, 1000, 6).Select(v => v / 1000f).ToArray();
        var y = new float[Rows];
        var calls = 0L;
        var clock = Stopwatch.StartNew();
        while (clock.ElapsedMilliseconds < 200)
        {
            for (var i = 0; i < 1000; i++)
            {
                MatrixVector.Multiply(w, x, y, Rows, columns);
            }

            calls += 1000;
        }

        return 2.0 * Rows * columns * calls / clock.Elapsed.TotalSeconds / 1e9;
    }

    private static double DotGflops(int columns)
    {
        var a = Tokens(columns, 1000, 7).Select(v => v / 1000f).ToArray();
        var b = Tokens(columns, 1000, 8).Select(v => v / 1000f).ToArray();
        var calls = 0L;
        var sink = 0f;
        var clock = Stopwatch.StartNew();
        while (clock.ElapsedMilliseconds < 200)
        {
            for (var i = 0; i < 1000; i++)
            {
                sink += TensorPrimitives.Dot(a, b);
            }

            calls += 1000;
        }

        GC.KeepAlive(sink);
        return 2.0 * columns * calls / clock.Elapsed.TotalSeconds / 1e9;
    }

    private static int[] Tokens(int count, int vocab, int seed)
    {
        var random = new Random(seed);
        return [.. Enumerable.Range(0, count).Select(_ => random.Next(vocab))];
    }

    private static string Render(LocalModelSettings settings, string commandLine, string source, LlamaModel model, int threads, Results r)
    {
        var c = model.Config;
        var query = c.NumAttentionHeads * c.HeadDimension;
        var keyValue = c.KeyValueHeads * c.HeadDimension;
        var matmulParameters = ((long)c.NumHiddenLayers * ((c.HiddenSize * (query + (2 * keyValue))) + (query * c.HiddenSize) + (3L * c.HiddenSize * c.IntermediateSize)))
            + ((long)c.VocabSize * c.HiddenSize);
        // Position p attends p + 1 keys; the decode runs positions prompt … prompt + n − 1.
        var averageKeys = settings.PromptTokens + ((settings.NewTokens + 1) / 2.0);
        var attentionFlops = c.NumHiddenLayers * c.NumAttentionHeads * 4.0 * c.HeadDimension * averageKeys;
        var flopsPerToken = (2.0 * matmulParameters) + attentionFlops;
        var bound = r.Kernel.Median * 1e9 / flopsPerToken;
        var ofBound = r.Decode1.Median / bound;
        var weightBytes = matmulParameters * 4.0;

        var text = new StringBuilder();
        text.AppendLine(CultureInfo.InvariantCulture, $"# Local model engine ({BuildInfo.Configuration})");
        text.AppendLine();
        text.AppendLine(CultureInfo.InvariantCulture, $"Command: `{commandLine}`");
        text.AppendLine();
        text.AppendLine(CultureInfo.InvariantCulture, $"Model: {source}; {model.ParameterCount:N0} parameters, {matmulParameters:N0} in matrix-vector products ({weightBytes / 1e6:N1} MB of float32 read per token).");
        text.AppendLine(CultureInfo.InvariantCulture, $"Machine: {Environment.ProcessorCount} logical cores, {System.Runtime.InteropServices.RuntimeInformation.ProcessArchitecture}, AVX2 {System.Runtime.Intrinsics.X86.Avx2.IsSupported}, FMA {System.Runtime.Intrinsics.X86.Fma.IsSupported}; .NET {Environment.Version}.");
        text.AppendLine(CultureInfo.InvariantCulture, $"Medians of {settings.Repetitions} repetitions after a {s_warmUp.TotalSeconds:0} s warm-up; spread is min–max. Decode: greedy, {settings.NewTokens} new tokens after a {settings.PromptTokens}-token prompt, batch 1.");
        text.AppendLine();
        text.AppendLine("| measurement | median | spread | target |");
        text.AppendLine("| --- | --- | --- | --- |");
        Row(text, "decode, 1 thread", r.Decode1, "tokens/s", $"≥ 1,000 tokens/s: {Met(r.Decode1.Median >= 1000)}");
        Row(text, $"decode, {threads} threads", r.DecodeN, "tokens/s", "—");
        Row(text, $"prefill of {settings.PrefillTokens} tokens, 1 thread", r.Prefill, "tokens/s", "—");
        Row(text, $"4-row FMA kernel, {c.HiddenSize} columns, in L1", r.Kernel, "GFLOP/s", "—");
        Row(text, $"TensorPrimitives.Dot, {c.HiddenSize} floats, in L1", r.Dot, "GFLOP/s", "—");
        text.AppendLine(CultureInfo.InvariantCulture, $"| FLOPs per token (2 × {matmulParameters:N0} + attention at {averageKeys:0.#} keys) | {flopsPerToken / 1e6:N2} MFLOP | | |");
        text.AppendLine(CultureInfo.InvariantCulture, $"| bound = kernel / FLOPs per token | {bound:N0} tokens/s | | |");
        text.AppendLine(CultureInfo.InvariantCulture, $"| decode, 1 thread, as share of the bound | **{ofBound:P0}** | | ≥ 50%: {Met(ofBound >= 0.5)} |");
        text.AppendLine(CultureInfo.InvariantCulture, $"| weight traffic at the 1-thread decode rate | {r.Decode1.Median * weightBytes / 1e9:N1} GB/s | | |");
        return text.ToString();
    }

    private static void Row(StringBuilder text, string name, Spread spread, string unit, string target) =>
        text.AppendLine(CultureInfo.InvariantCulture, $"| {name} | **{spread.Median:N1} {unit}** | {spread.Min:N1}–{spread.Max:N1} | {target} |");

    private static string Met(bool met) => met ? "met" : "**not met**";

    // Progress goes to stderr so stdout carries the markdown alone.
    private static void Progress(string message) => Console.Error.WriteLine($"[{DateTime.Now:HH:mm:ss}] {message}");
}
