using System.Net;
using System.Net.Sockets;

namespace Switchboard.Testing;

/// <summary>Ports on 127.0.0.1 for the real servers the tests start (slapd, dovecot).</summary>
public static class Loopback
{
    /// <summary>A port free at the moment of asking (the OS's choice for port 0).</summary>
    public static int FreePort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }

    /// <summary>Whether something accepts connections on the port.</summary>
    public static bool Listening(int port)
    {
        try
        {
            using var client = new TcpClient();
            client.Connect(IPAddress.Loopback, port);
            return true;
        }
        catch (SocketException)
        {
            return false;
        }
    }
}
