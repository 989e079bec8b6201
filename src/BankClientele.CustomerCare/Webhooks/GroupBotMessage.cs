using System.Text.Json.Nodes;

namespace BankClientele.CustomerCare.Webhooks;

/// <summary>The JSON bodies WeCom and DingTalk group bots accept (msgtype markdown).</summary>
public static class GroupBotMessage
{
    public static JsonObject Markdown(string format, string title, string text) => format switch
    {
        // 企业微信群机器人: {"msgtype":"markdown","markdown":{"content":"..."}}
        WebhookFormats.WeCom => new JsonObject
        {
            ["msgtype"] = "markdown",
            ["markdown"] = new JsonObject { ["content"] = $"**{title}**\n{text}" },
        },
        // 钉钉自定义机器人: {"msgtype":"markdown","markdown":{"title":"...","text":"..."}}
        WebhookFormats.DingTalk => new JsonObject
        {
            ["msgtype"] = "markdown",
            ["markdown"] = new JsonObject { ["title"] = title, ["text"] = $"### {title}\n{text}" },
        },
        _ => throw new ArgumentOutOfRangeException(nameof(format), format, "wecom or dingtalk"),
    };
}
