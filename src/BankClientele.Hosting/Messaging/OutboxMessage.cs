using System.Text.Json;

namespace BankClientele.Hosting.Messaging;

/// <summary>An event waiting in the service's own database to be published on the bus.</summary>
public sealed class OutboxMessage
{
    /// <summary>Time-ordered (UUID v7) so the relay publishes in commit order; also the bus message id.</summary>
    public Guid Id { get; init; }

    /// <summary>Full name of the contract type in BankClientele.Contracts.</summary>
    public required string MessageType { get; init; }

    public required string Body { get; init; }

    public DateTimeOffset CreatedAt { get; init; }

    public DateTimeOffset? SentAt { get; set; }

    public int Attempts { get; set; }

    public string? LastError { get; set; }

    /// <summary>The stored name of a contract: its full name, which <see cref="ContractTypes.Resolve"/> turns back into the type.</summary>
    public static string TypeName<TMessage>() where TMessage : class => ContractTypes.NameOf(typeof(TMessage));

    public static OutboxMessage Create<TMessage>(TMessage message) where TMessage : class => new()
    {
        Id = Guid.CreateVersion7(),
        MessageType = TypeName<TMessage>(),
        Body = JsonSerializer.Serialize(message, ContractTypes.JsonOptions),
        CreatedAt = DateTimeOffset.UtcNow,
    };
}

/// <summary>A message a consumer has already handled, recorded in the same transaction as its writes.</summary>
public sealed class InboxMessage
{
    public Guid MessageId { get; init; }

    public required string Consumer { get; init; }

    public DateTimeOffset ReceivedAt { get; init; }
}
