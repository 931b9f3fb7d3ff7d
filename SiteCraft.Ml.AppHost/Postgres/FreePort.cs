using System.Net;
using System.Net.Sockets;

namespace SiteCraft.Ml.AppHost.Postgres;

public static class FreePort
{
    /// <summary>A TCP port free on loopback right now; the OS hands out ephemeral ports in rotation, so reuse soon after is unlikely.</summary>
    public static int Find()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        var port = ((IPEndPoint)listener.LocalEndpoint).Port;
        listener.Stop();
        return port;
    }
}
