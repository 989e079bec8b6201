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

    /// <summary>How many messages the queue holds now (0 if it was never declared).</summary>
    public static async Task<uint> CountAsync(string queue)
    {
        await using var connection = await Factory().CreateConnectionAsync();
        await using var channel = await connection.CreateChannelAsync();
        try
        {
            return (await channel.QueueDeclarePassiveAsync(queue)).MessageCount;
        }
        catch (RabbitMQ.Client.Exceptions.OperationInterruptedException)
        {
            return 0;
        }
    }

    /// <summary>Takes every message of the error queue: its message id and the fault MassTransit wrote in its headers.</summary>
    public static async Task<Dictionary<Guid, string>> TakeAsync(string queue)
    {
        await using var connection = await Factory().CreateConnectionAsync();
        await using var channel = await connection.CreateChannelAsync();
        var taken = new Dictionary<Guid, string>();
        try
        {
            while (await channel.BasicGetAsync(queue, autoAck: true) is { } message)
            {
                string Header(string key) => (message.BasicProperties.Headers is { } headers && headers.TryGetValue(key, out var found) ? found : null) switch
                {
                    byte[] bytes => Encoding.UTF8.GetString(bytes),
                    var value => value?.ToString() ?? "",
                };
                var fault = $"{Header("MT-Fault-ExceptionType")}: {Header("MT-Fault-Message").Split('\n')[0]}";
                taken[Guid.TryParse(message.BasicProperties.MessageId, out var id) ? id : Guid.NewGuid()] = fault;
            }
        }
        catch (RabbitMQ.Client.Exceptions.OperationInterruptedException)
        {
            // The error queue does not exist until the first fault.
        }
        return taken;
    }

    private static ConnectionFactory Factory() => new()
    {
        HostName = TestServers.RabbitHost,
        Port = TestServers.RabbitPort,
        VirtualHost = TestServers.RabbitVirtualHost,
    };
}
