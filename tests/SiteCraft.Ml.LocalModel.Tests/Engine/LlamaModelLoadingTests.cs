using SiteCraft.Ml.LocalModel.Engine;

namespace SiteCraft.Ml.LocalModel.Tests.Engine;

public sealed class LlamaModelLoadingTests : IDisposable
{
    private readonly string _directory = Directory.CreateTempSubdirectory("sitecraft-llama").FullName;

    public void Dispose() => Directory.Delete(_directory, recursive: true);

    [Fact]
    public void A_model_saved_to_files_loads_back_with_the_same_logits()
    {
        var config = TinyModels.Config(tied: false);
        var model = TinyModels.Model(config);
        var configPath = Path.Combine(_directory, "config.json");
        var weightsPath = Path.Combine(_directory, "model.safetensors");
        config.Save(configPath);
        SafeTensorsFile.Write(weightsPath, model.ToTensors());

        var loaded = LlamaModel.Load(configPath, weightsPath);
        using var original = model.CreateSession();
        using var reloaded = loaded.CreateSession();

        Assert.Equal(config, loaded.Config with { Architectures = config.Architectures });
        Assert.Equal(original.ForwardAll([1, 2, 3]), reloaded.ForwardAll([1, 2, 3]));
        Assert.Equal(model.ParameterCount, loaded.ParameterCount);
    }

    [Fact]
    public void Tensor_names_follow_hugging_face_and_the_lm_head_appears_only_when_untied()
    {
        var tied = LlamaModel.TensorNames(TinyModels.Config(tied: true));
        var untied = LlamaModel.TensorNames(TinyModels.Config(tied: false));

        Assert.Equal(2 + (2 * 9), tied.Count);
        Assert.Contains("model.layers.1.self_attn.k_proj.weight", tied);
        Assert.DoesNotContain(LlamaModel.LmHead, tied);
        Assert.Contains(LlamaModel.LmHead, untied);
        Assert.Equal([8, 16], LlamaModel.TensorShape(TinyModels.Config(), "model.layers.0.self_attn.v_proj.weight"));
        Assert.Equal([16, 40], LlamaModel.TensorShape(TinyModels.Config(), "model.layers.0.mlp.down_proj.weight"));
    }

    [Fact]
    public void The_parameter_count_of_the_tiny_model_is_the_sum_of_its_tensors()
    {
        // embed 50×16; per layer 2×16 norms + q 16×16 + k,v 8×16 + o 16×16 + gate, up, down 40×16; final norm 16.
        var expected = (50 * 16) + (2 * ((2 * 16) + 256 + 128 + 128 + 256 + (3 * 640))) + 16;

        Assert.Equal(expected, TinyModels.Model(TinyModels.Config()).ParameterCount);
    }

    [Fact]
    public void A_missing_tensor_is_named_with_its_expected_shape()
    {
        var config = TinyModels.Config();
        var tensors = TinyModels.Tensors(config);
        tensors.Remove("model.layers.1.mlp.up_proj.weight");

        var error = Assert.Throws<ModelLoadException>(() => LlamaModel.FromTensors(config, tensors));

        Assert.Contains("model.layers.1.mlp.up_proj.weight", error.Message, StringComparison.Ordinal);
        Assert.Contains("missing", error.Message, StringComparison.Ordinal);
        Assert.Contains("[40, 16]", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void An_extra_tensor_is_named()
    {
        var config = TinyModels.Config();
        var tensors = TinyModels.Tensors(config);
        tensors["model.layers.2.mlp.up_proj.weight"] = SafeTensor.F32("model.layers.2.mlp.up_proj.weight", [40, 16], new float[640]);

        var error = Assert.Throws<ModelLoadException>(() => LlamaModel.FromTensors(config, tensors));

        Assert.Contains("model.layers.2.mlp.up_proj.weight", error.Message, StringComparison.Ordinal);
        Assert.Contains("[40, 16]", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void An_lm_head_in_a_tied_model_is_refused_as_extra()
    {
        var config = TinyModels.Config(tied: true);
        var tensors = TinyModels.Tensors(config);
        tensors[LlamaModel.LmHead] = SafeTensor.F32(LlamaModel.LmHead, [50, 16], new float[800]);

        var error = Assert.Throws<ModelLoadException>(() => LlamaModel.FromTensors(config, tensors));

        Assert.Contains("lm_head.weight", error.Message, StringComparison.Ordinal);
        Assert.Contains("tie_word_embeddings", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void A_wrong_shape_is_named_with_both_shapes()
    {
        var config = TinyModels.Config();
        var tensors = TinyModels.Tensors(config);
        tensors["model.layers.0.self_attn.o_proj.weight"] = SafeTensor.F32("model.layers.0.self_attn.o_proj.weight", [8, 32], new float[256]);

        var error = Assert.Throws<ModelLoadException>(() => LlamaModel.FromTensors(config, tensors));

        Assert.Contains("model.layers.0.self_attn.o_proj.weight", error.Message, StringComparison.Ordinal);
        Assert.Contains("[16, 16]", error.Message, StringComparison.Ordinal);
        Assert.Contains("[8, 32]", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void A_config_that_disagrees_with_the_weights_names_the_first_tensor_and_shapes()
    {
        var tensors = TinyModels.Tensors(TinyModels.Config());
        var wider = TinyModels.Config() with { HiddenSize = 32, HeadDim = 8 };

        var error = Assert.Throws<ModelLoadException>(() => LlamaModel.FromTensors(wider, tensors));

        Assert.Contains("model.embed_tokens.weight", error.Message, StringComparison.Ordinal);
        Assert.Contains("[50, 32]", error.Message, StringComparison.Ordinal);
        Assert.Contains("[50, 16]", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Loading_names_the_weights_file_when_a_tensor_is_missing()
    {
        var config = TinyModels.Config();
        var configPath = Path.Combine(_directory, "config.json");
        var weightsPath = Path.Combine(_directory, "model.safetensors");
        config.Save(configPath);
        SafeTensorsFile.Write(weightsPath, TinyModels.Tensors(config).Values.Where(t => t.Name != LlamaModel.FinalNorm));

        var error = Assert.Throws<ModelLoadException>(() => LlamaModel.Load(configPath, weightsPath));

        Assert.Contains(weightsPath, error.Message, StringComparison.Ordinal);
        Assert.Contains(LlamaModel.FinalNorm, error.Message, StringComparison.Ordinal);
    }
}
