using System.Collections.Concurrent;
using System.Net;
using System.Net.Sockets;
using Npgsql;

namespace SiteCraft.Ml.IntegrationTests.Telemetry;

/// <summary>
/// A TCP proxy in front of Postgres that a test can cut (open connections reset, new ones refused
/// with a reset) and restore, to make the database unreachable without touching the server.
/// </summary>
public sealed class CuttableTcpProxy : IAsyncDisposable
{
    private readonly TcpListener _listener = new(IPAddress.Loopback, 0);
    private readonly CancellationTokenSource _stop = new();
    private readonly ConcurrentDictionary<int, (TcpClient Client, TcpClient Server)> _links = new();
    private readonly string _serverHost;
    private readonly int _serverPort;
    private readonly Task _accepting;
    private volatile bool _open;
    private int _nextLink;

    /// <summary>Starts listening on a free loopback port; <paramref name="open"/> false starts it cut.</summary>
    public CuttableTcpProxy(string connectionString, bool open)
    {
        var server = new NpgsqlConnectionStringBuilder(connectionString);
        _serverHost = server.Host!;
        _serverPort = server.Port;
        _open = open;
        _listener.Start();
        var port = ((IPEndPoint)_listener.LocalEndpoint).Port;
        ConnectionString = new NpgsqlConnectionStringBuilder(connectionString) { Host = "127.0.0.1", Port = port }.ConnectionString;
        _accepting = AcceptAsync();
    }

    /// <summary>The same database, reached through the proxy.</summary>
    public string ConnectionString { get; }

    public void Cut()
    {
        _open = false;
        foreach (var (id, link) in _links)
        {
            if (_links.TryRemove(id, out _))
            {
                Reset(link.Client);
                Reset(link.Server);
            }
        }
    }

    public void Restore() => _open = true;

    public async ValueTask DisposeAsync()
    {
        await _stop.CancelAsync();
        _listener.Stop();
        Cut();
        await _accepting;
        _stop.Dispose();
    }

    private async Task AcceptAsync()
    {
        while (true)
        {
            TcpClient client;
            try
            {
                client = await _listener.AcceptTcpClientAsync(_stop.Token);
            }
            catch (Exception e) when (e is OperationCanceledException or SocketException or ObjectDisposedException)
            {
                return;
            }

            if (_open)
            {
                _ = PipeAsync(client);
            }
            else
            {
                Reset(client);
            }
        }
    }

    private async Task PipeAsync(TcpClient client)
    {
        var server = new TcpClient();
        var id = Interlocked.Increment(ref _nextLink);
        _links[id] = (client, server);
        try
        {
            await server.ConnectAsync(_serverHost, _serverPort, _stop.Token);
            await Task.WhenAny(CopyAsync(client, server), CopyAsync(server, client));
        }
        catch (Exception e) when (e is IOException or SocketException or OperationCanceledException or ObjectDisposedException)
        {
        }
        finally
        {
            if (_links.TryRemove(id, out _))
            {
                Reset(client);
                Reset(server);
            }
        }
    }

    private async Task CopyAsync(TcpClient from, TcpClient to)
    {
        try
        {
            await from.GetStream().CopyToAsync(to.GetStream(), _stop.Token);
        }
        catch (Exception e) when (e is IOException or SocketException or OperationCanceledException or ObjectDisposedException or InvalidOperationException)
        {
            // The other side or a cut closed the link; the pipe ends either way.
        }
    }

    private static void Reset(TcpClient client)
    {
        try
        {
            // Linger 0 sends a reset, as a dead network path or a killed server would look to Npgsql.
            client.Client.LingerState = new LingerOption(true, 0);
        }
        catch (Exception e) when (e is SocketException or ObjectDisposedException)
        {
        }

        client.Dispose();
    }
}
