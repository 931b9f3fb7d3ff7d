using System.Net.Http.Headers;

namespace SiteCraft.Ml.AppHost;

public static class InferenceResourceExtensions
{
    public const string AdminTokenParameter = "inference-admin-token";

    /// <summary>
    /// Provider keys as secret parameters, forwarded only when set (user secrets
    /// "Parameters:openai-api-key", or the Parameters__openai-api-key environment variable), so a
    /// developer without keys is never prompted: those providers report themselves disabled.
    /// </summary>
    private static readonly (string Parameter, string Setting)[] s_providerKeys =
    [
        ("openai-api-key", "Providers__openai__ApiKey"),
        ("anthropic-api-key", "Providers__anthropic__ApiKey"),
    ];

    /// <summary>A generated secret shared by the AppHost's dashboard commands and the admin API.</summary>
    public static IResourceBuilder<ParameterResource> AddInferenceAdminToken(this IDistributedApplicationBuilder builder) =>
        builder.AddParameter(AdminTokenParameter, new GenerateParameterDefault { MinLength = 32, Special = false }, secret: true);

    public static IResourceBuilder<ProjectResource> WithProviderKeys(this IResourceBuilder<ProjectResource> inference)
    {
        var builder = inference.ApplicationBuilder;
        foreach (var (parameter, setting) in s_providerKeys)
        {
            if (!string.IsNullOrEmpty(builder.Configuration[$"Parameters:{parameter}"]))
            {
                inference.WithEnvironment(setting, builder.AddParameter(parameter, secret: true));
            }
        }

        return inference;
    }

    /// <summary>The admin token, plus the dashboard's "Promote canary" and "Roll back policy" commands.</summary>
    public static IResourceBuilder<ProjectResource> WithRoutingAdministration(
        this IResourceBuilder<ProjectResource> inference, IResourceBuilder<ParameterResource> adminToken)
    {
        inference.WithEnvironment("Inference__AdminToken", adminToken);
        inference.WithHttpCommand(
            "/admin/routing/commands/promote-canaries",
            "Promote canary",
            endpointName: "http",
            commandName: "promote-canary",
            commandOptions: AdminCommand(adminToken, "Makes every use case's canary arm its only stable arm (a new policy version each).", "ArrowUpload"));
        inference.WithHttpCommand(
            "/admin/routing/commands/roll-back",
            "Roll back policy",
            endpointName: "http",
            commandName: "roll-back-policy",
            commandOptions: AdminCommand(adminToken, "Returns every use case to its previous policy version (or drops its canary).", "ArrowUndo", confirm: true));
        return inference;
    }

    internal static HttpCommandOptions AdminCommand(IResourceBuilder<ParameterResource> adminToken, string description, string icon, bool confirm = false) => new()
    {
        Description = description,
        IconName = icon,
        ConfirmationMessage = confirm ? "Roll back the routing policy of every use case?" : null,
        Method = HttpMethod.Post,
        ResultMode = HttpCommandResultMode.Json,
        PrepareRequest = async context =>
        {
            var token = await adminToken.Resource.GetValueAsync(context.CancellationToken);
            context.Request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", token);
            context.Request.Headers.Add("X-SiteCraft-Actor", "dashboard");
        },
    };
}
