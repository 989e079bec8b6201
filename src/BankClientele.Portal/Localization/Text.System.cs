namespace BankClientele.Portal.Localization;

/// <summary>The portal's words for operating the system (bus, queues, outboxes): (Chinese, English), merged into <see cref="Text"/>.</summary>
internal static class SystemWords
{
    public static readonly Dictionary<string, (string Zh, string En)> Words = new()
    {
        ["System.Bus"] = ("消息总线", "Message bus"),
        ["System.BusHint"] = ("每个消费者队列的积压、消费者数和错误队列中的消息；每个服务发件箱中未发送的事件。错误队列中的消息可用 bankclientele errors retry 移回重试（记入审计）。",
            "Each consumer queue's depth, consumers and messages in its error queue; each service's unsent outbox events. Messages in an error queue go back for another try with bankclientele errors retry (audited)."),
        ["System.Queues"] = ("队列", "Queues"),
        ["System.Outboxes"] = ("发件箱", "Outboxes"),
        ["System.Service"] = ("服务", "Service"),
        ["System.Queue"] = ("队列", "Queue"),
        ["System.Messages"] = ("积压消息", "Messages"),
        ["System.Consumers"] = ("消费者", "Consumers"),
        ["System.ErrorMessages"] = ("错误队列", "In error queue"),
        ["System.Unsent"] = ("未发送", "Unsent"),
        ["System.OldestAge"] = ("最早未发送（秒）", "Oldest unsent (s)"),
        ["System.Failing"] = ("发送失败", "Failing"),
        ["System.LastError"] = ("最近错误", "Last error"),
        ["System.Unavailable"] = ("无法读取", "Unavailable"),
        ["System.NoQueues"] = ("暂无队列", "No queues yet"),
    };
}
