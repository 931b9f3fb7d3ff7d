using SiteCraft.Ml.LocalModel.Engine;
using SiteCraft.Ml.LocalModel.Tokenization;

namespace SiteCraft.Ml.LocalModel.Serving;

/// <summary>
/// Constrained decoding for the <c>json</c> response format: a token is allowed only if its bytes
/// keep the output a prefix of valid JSON, and the turn may end (&lt;|end|&gt;) only once the
/// document is complete. The output is then always JSON unless max_tokens cuts it short; the
/// schema itself (keys, enums, lengths) is still the model's job.
/// </summary>
internal sealed class JsonConstraint(BpeTokenizer tokenizer) : ITokenConstraint
{
    private JsonPrefix _state;

    public void Mask(Span<float> logits)
    {
        var complete = _state.IsComplete;
        for (var token = 0; token < logits.Length; token++)
        {
            if (float.IsNegativeInfinity(logits[token]))
            {
                continue;
            }

            bool allowed;
            if (token >= tokenizer.VocabSize || tokenizer.IsSpecial(token))
            {
                allowed = token == SpecialTokens.EndId && complete;
            }
            else
            {
                var trial = _state;
                allowed = !complete && trial.Push(tokenizer.TokenBytes(token));
            }

            if (!allowed)
            {
                logits[token] = float.NegativeInfinity;
            }
        }
    }

    public void Accept(int token)
    {
        if (token < tokenizer.VocabSize && !tokenizer.IsSpecial(token))
        {
            _state.Push(tokenizer.TokenBytes(token));
        }
    }
}
