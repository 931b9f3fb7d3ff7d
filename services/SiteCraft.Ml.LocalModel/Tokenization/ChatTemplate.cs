using System.Text;

namespace SiteCraft.Ml.LocalModel.Tokenization;

/// <summary>
/// The prompt format of the local model, defined once for the training program and the engine:
/// <c>&lt;|endoftext|&gt;</c>, then each message as <c>&lt;|role|&gt;content&lt;|end|&gt;</c> with no added
/// newlines, then <c>&lt;|assistant|&gt;</c> as the generation prompt.
/// </summary>
public static class ChatTemplate
{
    public const string SystemRole = "system";
    public const string UserRole = "user";
    public const string AssistantRole = "assistant";

    /// <summary>The same format as a Hugging Face chat template, for <c>tokenizer_config.json</c>.</summary>
    public const string Jinja =
        "{{ '<|endoftext|>' }}"
        + "{% for message in messages %}"
        + "{% if message['role'] not in ['system', 'user', 'assistant'] %}"
        + "{{ raise_exception('Unknown role: ' + message['role']) }}"
        + "{% endif %}"
        + "{{ '<|' + message['role'] + '|>' + message['content'] + '<|end|>' }}"
        + "{% endfor %}"
        + "{% if add_generation_prompt %}{{ '<|assistant|>' }}{% endif %}";

    /// <summary>
    /// The prompt as text. For display and tests: a model is fed <see cref="EncodePrompt"/>, which keeps special-token
    /// text inside a message from being read as a turn.
    /// </summary>
    public static string Render(IEnumerable<(string Role, string Content)> messages, bool addGenerationPrompt)
    {
        ArgumentNullException.ThrowIfNull(messages);
        var text = new StringBuilder(SpecialTokens.EndOfText);
        foreach (var (role, content) in messages)
        {
            text.Append(SpecialTokens.All[RoleId(role)]).Append(content).Append(SpecialTokens.End);
        }

        if (addGenerationPrompt)
        {
            text.Append(SpecialTokens.Assistant);
        }

        return text.ToString();
    }

    /// <summary>A training example as text: the prompt with its generation prompt, the completion, <c>&lt;|end|&gt;</c>.</summary>
    public static string RenderExample(IEnumerable<(string Role, string Content)> messages, string completion)
    {
        ArgumentNullException.ThrowIfNull(completion);
        return Render(messages, addGenerationPrompt: true) + completion + SpecialTokens.End;
    }

    /// <summary>
    /// The prompt's token ids: special ids inserted directly, each content encoded with special tokens disallowed.
    /// </summary>
    public static IReadOnlyList<int> EncodePrompt(
        BpeTokenizer tokenizer,
        IEnumerable<(string Role, string Content)> messages,
        bool addGenerationPrompt)
    {
        ArgumentNullException.ThrowIfNull(tokenizer);
        ArgumentNullException.ThrowIfNull(messages);
        var ids = new List<int> { SpecialTokens.EndOfTextId };
        foreach (var (role, content) in messages)
        {
            ArgumentNullException.ThrowIfNull(content);
            ids.Add(RoleId(role));
            ids.AddRange(tokenizer.Encode(content, allowSpecial: false));
            ids.Add(SpecialTokens.EndId);
        }

        if (addGenerationPrompt)
        {
            ids.Add(SpecialTokens.AssistantId);
        }

        return ids;
    }

    /// <summary>
    /// A training example's token ids: <see cref="EncodePrompt"/> with the generation prompt, the completion
    /// (special tokens disallowed), <c>&lt;|end|&gt;</c>. The completion starts at the prompt's length.
    /// </summary>
    public static IReadOnlyList<int> EncodeExample(
        BpeTokenizer tokenizer,
        IEnumerable<(string Role, string Content)> messages,
        string completion)
    {
        ArgumentNullException.ThrowIfNull(completion);
        var ids = new List<int>(EncodePrompt(tokenizer, messages, addGenerationPrompt: true));
        ids.AddRange(tokenizer.Encode(completion, allowSpecial: false));
        ids.Add(SpecialTokens.EndId);
        return ids;
    }

    private static int RoleId(string role) => role switch
    {
        SystemRole => SpecialTokens.SystemId,
        UserRole => SpecialTokens.UserId,
        AssistantRole => SpecialTokens.AssistantId,
        _ => throw new ArgumentException(
            $"Unknown chat role '{role}'; expected '{SystemRole}', '{UserRole}' or '{AssistantRole}'.", nameof(role)),
    };
}
