namespace SiteCraft.Ml.AppHost.Postgres;

/// <summary>Where the platform database comes from, set by <c>Postgres:Mode</c>.</summary>
public enum PostgresMode
{
    /// <summary>Container when a container runtime answers, else local binaries, else a clear failure.</summary>
    Auto,

    /// <summary>The postgres container image with a persistent data volume.</summary>
    Container,

    /// <summary>The machine's PostgreSQL 14+ binaries, run as an Aspire resource.</summary>
    Local,

    /// <summary>An existing server, from <c>ConnectionStrings:sitecraft</c>.</summary>
    External,
}
