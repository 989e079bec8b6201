using System.Text.Json;
using MassTransit;
using MassTransit.Middleware;
using Microsoft.Extensions.Logging;

namespace BankClientele.Hosting.Messaging;

/// <summary>
/// One error line for every message that ends in an <c>_error</c> queue, whichever consumer failed it: the
/// service, the queue, the message type and id, and the exception's type and message. Never the body (it may
/// hold personal data): the message itself waits in the _error queue for <c>bankclientele errors</c>.
/// The services keep MassTransit's own log category at warnings; this line does not depend on what it writes.
/// </summary>
public sealed partial class MessageFaultLog(string service, ILogger<MessageFaultLog> logger)
{
    /// <summary>Called once the message is in its endpoint's _error queue; <paramref name="consume"/> is null when its body could not be read.</summary>
    public void Moved(ReceiveContext message, ConsumeContext? consume, Exception error)
    {
        var queue = QueueOf(message.InputAddress);
        LogMoved(logger, error, service, queue, TypeOf(message, consume), consume?.MessageId ?? message.GetMessageId(), queue + BusQueueInspector.ErrorSuffix,
            error.GetType().Name, error.Message);
    }

    /// <summary>The queue's name: the last segment of the endpoint's address (rabbitmq://host/vhost/queue?args).</summary>
    public static string QueueOf(Uri inputAddress) => inputAddress.AbsolutePath.Split('/', StringSplitOptions.RemoveEmptyEntries).LastOrDefault() ?? inputAddress.ToString();

    /// <summary>
    /// The contract's short name (urn:message:Namespace:Type → Type): the consumer's first type, or else the
    /// envelope's (the error pipe has the receive context only); "unknown" when the body is no MassTransit envelope.
    /// </summary>
    private static string TypeOf(ReceiveContext message, ConsumeContext? consume)
    {
        var urn = consume?.SupportedMessageTypes.FirstOrDefault() ?? EnvelopeType(message);
        return urn is null ? "unknown" : urn[(urn.LastIndexOf(':') + 1)..];
    }

    /// <summary>The first of the envelope's top-level <c>messageType</c>s; nothing else of the body is read.</summary>
    private static string? EnvelopeType(ReceiveContext message)
    {
        try
        {
            var json = new Utf8JsonReader(message.Body.GetBytes());
            if (!json.Read() || json.TokenType != JsonTokenType.StartObject)
            {
                return null;
            }
            while (json.Read() && json.TokenType == JsonTokenType.PropertyName)
            {
                if (json.ValueTextEquals("messageType"u8))
                {
                    return json.Read() && json.TokenType == JsonTokenType.StartArray && json.Read() && json.TokenType == JsonTokenType.String
                        ? json.GetString() : null;
                }
                json.Read();
                json.Skip();
            }
        }
        catch (JsonException)
        {
            // Not JSON: its type stays unknown.
        }
        return null;
    }

    [LoggerMessage(Level = LogLevel.Error,
        Message = "{Service}: {MessageType} message {MessageId} on {Queue} failed every retry and was moved to {ErrorQueue}: {ExceptionType}: {ExceptionMessage}")]
    private static partial void LogMoved(ILogger logger, Exception error, string service, string queue, string messageType, Guid? messageId,
        string errorQueue, string exceptionType, string exceptionMessage);
}

/// <summary>
/// In every receive endpoint's error pipe (MassTransit's own two filters kept around it): logs the message
/// through <see cref="MessageFaultLog"/> once <see cref="ErrorTransportFilter"/> has moved it.
/// </summary>
public sealed class MessageFaultLogFilter(MessageFaultLog log) : IFilter<ExceptionReceiveContext>
{
    public async Task Send(ExceptionReceiveContext context, IPipe<ExceptionReceiveContext> next)
    {
        await next.Send(context);
        log.Moved(context, context.TryGetPayload(out ConsumeContext? consume) ? consume : null, context.Exception);
    }

    public void Probe(ProbeContext context) => context.CreateFilterScope("messageFaultLog");

    /// <summary>
    /// The error pipe of an endpoint: a configured one replaces MassTransit's default (fault event, then the
    /// _error queue), so both are added again, with the log after the move.
    /// </summary>
    public static void Configure(IReceiveEndpointConfigurator endpoint, MessageFaultLog log) =>
        endpoint.ConfigureError(error =>
        {
            error.UseFilter(new GenerateFaultFilter());
            error.UseFilter(new MessageFaultLogFilter(log));
            error.UseFilter(new ErrorTransportFilter());
        });
}
