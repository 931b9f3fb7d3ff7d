using SiteCraft.Ml.LocalModel.Engine;

namespace SiteCraft.Ml.LocalModel.Tests.Engine;

public sealed class LlamaConfigTests
{
    [Fact]
    public void A_config_round_trips_through_hugging_face_json()
    {
        var config = TinyModels.Config() with { TransformersVersion = "4.46.0" };

        var json = config.ToJson();
        var read = LlamaConfig.FromJson(json);

        Assert.Contains("\"num_key_value_heads\": 2", json, StringComparison.Ordinal);
        Assert.Contains("\"architectures\": [", json, StringComparison.Ordinal);
        Assert.Contains("\"tie_word_embeddings\": true", json, StringComparison.Ordinal);
        Assert.Equal(config.ToJson(), read.ToJson());
        Assert.Equal(["LlamaForCausalLM"], read.Architectures);
    }

    [Fact]
    public void A_transformers_config_without_head_dim_or_kv_heads_takes_their_defaults()
    {
        var config = LlamaConfig.FromJson("""
            {"architectures":["LlamaForCausalLM"],"model_type":"llama","vocab_size":100,"hidden_size":64,"intermediate_size":128,
             "num_hidden_layers":2,"num_attention_heads":4,"max_position_embeddings":64,"rms_norm_eps":1e-6,"hidden_act":"silu"}
            """);

        Assert.Equal(16, config.HeadDimension);
        Assert.Equal(4, config.KeyValueHeads);
    }

    [Theory]
    [InlineData("\"hidden_size\":30", "hidden_size")]
    [InlineData("\"num_key_value_heads\":3", "num_key_value_heads")]
    [InlineData("\"head_dim\":7", "head_dim")]
    [InlineData("\"hidden_act\":\"gelu\"", "hidden_act")]
    [InlineData("\"vocab_size\":0", "vocab_size")]
    public void An_invalid_config_names_the_field(string field, string name)
    {
        var json = """{"vocab_size":100,"hidden_size":32,"intermediate_size":64,"num_hidden_layers":1,"num_attention_heads":4,"max_position_embeddings":16,""" + field + "}";

        var error = Assert.Throws<ModelLoadException>(() => LlamaConfig.FromJson(json));

        Assert.Contains(name, error.Message, StringComparison.Ordinal);
    }
}
