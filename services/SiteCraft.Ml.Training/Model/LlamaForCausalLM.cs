using TorchSharp.Modules;
using static TorchSharp.torch;
using static TorchSharp.torch.nn;

namespace SiteCraft.Ml.Training.Model;

/// <summary>
/// The Llama decoder in TorchSharp, laid out so its parameter names are exactly Hugging Face's
/// (<c>model.embed_tokens.weight</c>, <c>model.layers.0.self_attn.q_proj.weight</c>, …,
/// <c>model.norm.weight</c>): the artifact is written from <see cref="Module.named_parameters"/>
/// without a rename table. The output projection is tied to the embedding.
/// </summary>
internal sealed class LlamaForCausalLM : Module<Tensor, Tensor>
{
#pragma warning disable IDE1006, SA1300 // field names are the Hugging Face module names
    private readonly LlamaBackbone model;
#pragma warning restore IDE1006, SA1300

    public LlamaForCausalLM(ModelShape shape)
        : base(nameof(LlamaForCausalLM))
    {
        Shape = shape;
        model = new LlamaBackbone(shape);
        RegisterComponents();
        InitializeWeights();
    }

    public ModelShape Shape { get; }

    /// <summary>Token ids [batch, time] → logits [batch, time, vocab].</summary>
    public override Tensor forward(Tensor tokens)
    {
        var hidden = model.forward(tokens);
        return functional.linear(hidden, model.EmbeddingWeight);
    }

    /// <summary>GPT-2 / Llama style initialisation: normal(0, 0.02), output projections scaled by depth.</summary>
    private void InitializeWeights()
    {
        using var _ = no_grad();
        var residualScale = 0.02 / Math.Sqrt(2.0 * Shape.Layers);
        foreach (var (name, parameter) in named_parameters())
        {
            if (name.EndsWith("norm.weight", StringComparison.Ordinal))
            {
                parameter.fill_(1.0f);
            }
            else if (name.EndsWith("o_proj.weight", StringComparison.Ordinal) || name.EndsWith("down_proj.weight", StringComparison.Ordinal))
            {
                init.normal_(parameter, 0.0, residualScale);
            }
            else
            {
                init.normal_(parameter, 0.0, 0.02);
            }
        }
    }

    private sealed class LlamaBackbone : Module<Tensor, Tensor>
    {
#pragma warning disable IDE1006, SA1300
        private readonly Embedding embed_tokens;
        private readonly ModuleList<DecoderLayer> layers;
        private readonly RmsNorm norm;
#pragma warning restore IDE1006, SA1300
        private readonly RotaryTables _rotary;

        public LlamaBackbone(ModelShape shape)
            : base("model")
        {
            embed_tokens = Embedding(shape.VocabSize, shape.Hidden);
            layers = new ModuleList<DecoderLayer>([.. Enumerable.Range(0, shape.Layers).Select(i => new DecoderLayer(shape))]);
            norm = new RmsNorm(shape.Hidden, shape.RmsNormEps);
            _rotary = new RotaryTables(shape);
            RegisterComponents();
        }

        public Parameter EmbeddingWeight => embed_tokens.weight!;

        public override Tensor forward(Tensor tokens)
        {
            var time = (int)tokens.shape[1];
            var (cos, sin) = _rotary.For(time, tokens.device);
            var hidden = embed_tokens.forward(tokens);
            foreach (var layer in layers)
            {
                hidden = layer.Forward(hidden, cos, sin);
            }

            return norm.forward(hidden);
        }
    }

    private sealed class DecoderLayer : Module
    {
#pragma warning disable IDE1006, SA1300
        private readonly Attention self_attn;
        private readonly FeedForward mlp;
        private readonly RmsNorm input_layernorm;
        private readonly RmsNorm post_attention_layernorm;
#pragma warning restore IDE1006, SA1300

        public DecoderLayer(ModelShape shape)
            : base(nameof(DecoderLayer))
        {
            self_attn = new Attention(shape);
            mlp = new FeedForward(shape);
            input_layernorm = new RmsNorm(shape.Hidden, shape.RmsNormEps);
            post_attention_layernorm = new RmsNorm(shape.Hidden, shape.RmsNormEps);
            RegisterComponents();
        }

        public Tensor Forward(Tensor hidden, Tensor cos, Tensor sin)
        {
            hidden = hidden + self_attn.Forward(input_layernorm.forward(hidden), cos, sin);
            return hidden + mlp.forward(post_attention_layernorm.forward(hidden));
        }
    }

    private sealed class Attention : Module
    {
#pragma warning disable IDE1006, SA1300
        private readonly Linear q_proj;
        private readonly Linear k_proj;
        private readonly Linear v_proj;
        private readonly Linear o_proj;
#pragma warning restore IDE1006, SA1300
        private readonly ModelShape _shape;

        public Attention(ModelShape shape)
            : base(nameof(Attention))
        {
            _shape = shape;
            q_proj = Linear(shape.Hidden, shape.Heads * shape.HeadDim, hasBias: false);
            k_proj = Linear(shape.Hidden, shape.KvHeads * shape.HeadDim, hasBias: false);
            v_proj = Linear(shape.Hidden, shape.KvHeads * shape.HeadDim, hasBias: false);
            o_proj = Linear(shape.Heads * shape.HeadDim, shape.Hidden, hasBias: false);
            RegisterComponents();
        }

        public Tensor Forward(Tensor hidden, Tensor cos, Tensor sin)
        {
            var batch = hidden.shape[0];
            var time = hidden.shape[1];
            var q = q_proj.forward(hidden).view(batch, time, _shape.Heads, _shape.HeadDim).transpose(1, 2);
            var k = k_proj.forward(hidden).view(batch, time, _shape.KvHeads, _shape.HeadDim).transpose(1, 2);
            var v = v_proj.forward(hidden).view(batch, time, _shape.KvHeads, _shape.HeadDim).transpose(1, 2);
            q = RotaryTables.Apply(q, cos, sin);
            k = RotaryTables.Apply(k, cos, sin);
            if (_shape.KvHeads != _shape.Heads)
            {
                var groups = _shape.Heads / _shape.KvHeads;
                k = k.repeat_interleave(groups, dim: 1);
                v = v.repeat_interleave(groups, dim: 1);
            }

            var attended = functional.scaled_dot_product_attention(q, k, v, is_casual: true);
            return o_proj.forward(attended.transpose(1, 2).reshape(batch, time, _shape.Heads * _shape.HeadDim));
        }
    }

    private sealed class FeedForward : Module<Tensor, Tensor>
    {
#pragma warning disable IDE1006, SA1300
        private readonly Linear gate_proj;
        private readonly Linear up_proj;
        private readonly Linear down_proj;
#pragma warning restore IDE1006, SA1300

        public FeedForward(ModelShape shape)
            : base(nameof(FeedForward))
        {
            gate_proj = Linear(shape.Hidden, shape.Intermediate, hasBias: false);
            up_proj = Linear(shape.Hidden, shape.Intermediate, hasBias: false);
            down_proj = Linear(shape.Intermediate, shape.Hidden, hasBias: false);
            RegisterComponents();
        }

        public override Tensor forward(Tensor hidden) =>
            down_proj.forward(functional.silu(gate_proj.forward(hidden)) * up_proj.forward(hidden));
    }

    private sealed class RmsNorm : Module<Tensor, Tensor>
    {
#pragma warning disable IDE1006, SA1300
        private readonly Parameter weight;
#pragma warning restore IDE1006, SA1300
        private readonly double _eps;

        public RmsNorm(int size, double eps)
            : base(nameof(RmsNorm))
        {
            weight = Parameter(ones(size));
            _eps = eps;
            RegisterComponents();
        }

        public override Tensor forward(Tensor x) =>
            x * rsqrt(x.pow(2).mean([-1], keepdim: true) + _eps) * weight;
    }

    /// <summary>cos/sin tables in the Hugging Face convention: frequencies duplicated over both halves.</summary>
    private sealed class RotaryTables(ModelShape shape)
    {
        private Tensor? _cos;
        private Tensor? _sin;

        public (Tensor Cos, Tensor Sin) For(int time, Device device)
        {
            if (_cos is null || _cos.shape[0] < time)
            {
                var half = shape.HeadDim / 2;
                var inverse = Enumerable.Range(0, half).Select(i => (float)(1.0 / Math.Pow(shape.RopeTheta, 2.0 * i / shape.HeadDim))).ToArray();
                var positions = arange(shape.Context, dtype: ScalarType.Float32);
                var angles = outer(positions, tensor(inverse));
                var both = cat([angles, angles], -1);
                _cos = both.cos().DetachFromDisposeScope();
                _sin = both.sin().DetachFromDisposeScope();
            }

            return (_cos.narrow(0, 0, time).to(device), _sin!.narrow(0, 0, time).to(device));
        }

        /// <summary>x * cos + rotate_half(x) * sin, with rotate_half(x) = [-x2, x1].</summary>
        public static Tensor Apply(Tensor x, Tensor cos, Tensor sin)
        {
            var half = x.shape[^1] / 2;
            var rotated = cat([-x.narrow(-1, half, half), x.narrow(-1, 0, half)], -1);
            return (x * cos) + (rotated * sin);
        }
    }
}
