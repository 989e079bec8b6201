using System.Text;
using RabbitMQ.Client;

namespace BankClientele.Testing;

/// <summary>MassTransit's _error queues on the tests' virtual host.</summary>
public static class ErrorQueues
{
    /// <summary>Reads the error queue (taking what it reads, so reruns start clean) looking for the message of this id.</summary>
    public static async Task<bool> HoldsAsync(string queue, Guid id)
    {
        var factory = new ConnectionFactory
        {
            HostName = TestServers.RabbitHost,
            Port = TestServers.RabbitPort,
            VirtualHost = TestServers.RabbitVirtualHost,
        };
        await using var connection = await factory.CreateConnectionAsync();
        await using var channel = await connection.CreateChannelAsync();
        var found = false;
        try
        {
            while (await channel.BasicGetAsync(queue, autoAck: true) is { } message)
            {
                found |= Encoding.UTF8.GetString(message.Body.Span).Contains(id.ToString(), StringComparison.OrdinalIgnoreCase);
            }
        }
        catch (RabbitMQ.Client.Exceptions.OperationInterruptedException)
        {
            // The error queue does not exist until the first fault.
        }
        return found;
    }
}
