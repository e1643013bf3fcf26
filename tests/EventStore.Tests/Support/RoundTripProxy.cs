using System.Buffers.Binary;
using System.Net;
using System.Net.Sockets;
using Npgsql;

namespace EventSourcing.EventStore.Tests.Support;

/// <summary>
/// A TCP proxy in front of the test PostgreSQL server that counts round trips: times a client waited for
/// the server. Per connection it counts the messages that the server answers with a ReadyForQuery ('Z'):
/// each simple query ('Q'), each Sync ('S') of the extended protocol, and the startup. A round trip ends
/// when the last outstanding one is answered, so statements Npgsql pipelines in one write (a reset or a
/// BEGIN before a batch) are one round trip, as they are on the wire. <see cref="ConnectionString"/> turns
/// SSL and GSS encryption off so the streams are plain protocol messages. Counts are taken before data is
/// forwarded, so they are complete when the client's call returns.
/// </summary>
public sealed class RoundTripProxy : IAsyncDisposable
{
    private readonly TcpListener _listener = new(IPAddress.Loopback, 0);
    private readonly CancellationTokenSource _stop = new();
    private readonly string _host;
    private readonly int _port;
    private readonly Task _accepting;
    private long _roundTrips;

    public RoundTripProxy(string connectionString)
    {
        var target = new NpgsqlConnectionStringBuilder(connectionString);
        _host = target.Host ?? throw new ArgumentException("the connection string names no Host", nameof(connectionString));
        _port = target.Port;
        _listener.Start();
        target.Host = "127.0.0.1";
        target.Port = ((IPEndPoint)_listener.LocalEndpoint).Port;
        target.SslMode = SslMode.Disable;
        target.GssEncryptionMode = GssEncryptionMode.Disable;
        ConnectionString = target.ConnectionString;
        _accepting = AcceptAsync(_stop.Token);
    }

    /// <summary>The same database, reached through this proxy.</summary>
    public string ConnectionString { get; }

    /// <summary>Round trips completed so far, over all connections.</summary>
    public long RoundTrips => Interlocked.Read(ref _roundTrips);

    /// <summary>Round trips that <paramref name="action"/> made.</summary>
    public async Task<long> CountAsync(Func<Task> action)
    {
        ArgumentNullException.ThrowIfNull(action);
        var before = RoundTrips;
        await action();
        return RoundTrips - before;
    }

    private async Task AcceptAsync(CancellationToken ct)
    {
        try
        {
            while (!ct.IsCancellationRequested)
            {
                var client = await _listener.AcceptTcpClientAsync(ct);
                _ = RelayAsync(client, ct);
            }
        }
        catch (OperationCanceledException)
        {
            // stopped
        }
    }

    private async Task RelayAsync(TcpClient client, CancellationToken ct)
    {
        using (client)
        using (var server = new TcpClient())
        {
            try
            {
                await server.ConnectAsync(_host, _port, ct);
                client.NoDelay = server.NoDelay = true;
                var connection = new ConnectionState();
                await Task.WhenAny(
                    PumpAsync(client.GetStream(), server.GetStream(), new MessageWalker(startsUntyped: true, connection.Sent), ct),
                    PumpAsync(server.GetStream(), client.GetStream(), new MessageWalker(startsUntyped: false, type => connection.Received(type, this)), ct));
            }
            catch (Exception e) when (e is IOException or SocketException or OperationCanceledException)
            {
                // a side closed
            }
        }
    }

    private static async Task PumpAsync(NetworkStream from, NetworkStream to, MessageWalker walker, CancellationToken ct)
    {
        var buffer = new byte[64 * 1024];
        try
        {
            int read;
            while ((read = await from.ReadAsync(buffer, ct)) > 0)
            {
                walker.Walk(buffer.AsSpan(0, read));
                await to.WriteAsync(buffer.AsMemory(0, read), ct);
            }
        }
        catch (Exception e) when (e is IOException or SocketException or OperationCanceledException or ObjectDisposedException)
        {
            // a side closed
        }
    }

    /// <summary>Messages of one connection that the server still has to answer with ReadyForQuery.</summary>
    private sealed class ConnectionState
    {
        private int _outstanding;

        public void Sent(byte type)
        {
            if (type is 0 or (byte)'Q' or (byte)'S')
                Interlocked.Increment(ref _outstanding);
        }

        public void Received(byte type, RoundTripProxy proxy)
        {
            if (type == (byte)'Z' && Interlocked.Decrement(ref _outstanding) == 0)
                Interlocked.Increment(ref proxy._roundTrips);
        }
    }

    public async ValueTask DisposeAsync()
    {
        await _stop.CancelAsync();
        _listener.Stop();
        await _accepting;
        _stop.Dispose();
    }

    /// <summary>
    /// Walks protocol messages (type byte, big-endian length including itself, body) across reads and reports
    /// each type. A client stream starts with the untyped startup message, reported as type 0.
    /// </summary>
    private sealed class MessageWalker(bool startsUntyped, Action<byte> onMessage)
    {
        private readonly byte[] _header = new byte[5];
        private bool _untyped = startsUntyped;
        private int _headerFilled;
        private long _bodyLeft;

        public void Walk(ReadOnlySpan<byte> data)
        {
            var i = 0;
            while (i < data.Length)
            {
                if (_bodyLeft > 0)
                {
                    var skip = (int)Math.Min(_bodyLeft, data.Length - i);
                    i += skip;
                    _bodyLeft -= skip;
                    continue;
                }

                var headerSize = _untyped ? 4 : 5;
                _header[_headerFilled++] = data[i++];
                if (_headerFilled < headerSize)
                    continue;
                var type = _untyped ? (byte)0 : _header[0];
                _bodyLeft = BinaryPrimitives.ReadInt32BigEndian(_header.AsSpan(headerSize - 4)) - 4;
                _headerFilled = 0;
                _untyped = false;
                onMessage(type);
            }
        }
    }
}
