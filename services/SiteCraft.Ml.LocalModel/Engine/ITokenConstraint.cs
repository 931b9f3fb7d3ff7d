namespace SiteCraft.Ml.LocalModel.Engine;

/// <summary>
/// Restricts which tokens may come next (constrained decoding). One instance per generation: the
/// generator calls <see cref="Mask"/> before each sample and <see cref="Accept"/> with the token chosen.
/// </summary>
public interface ITokenConstraint
{
    /// <summary>Sets the logits of every token that may not come next to negative infinity.</summary>
    void Mask(Span<float> logits);

    /// <summary>Records the token that was chosen.</summary>
    void Accept(int token);
}
