using BankClientele.Hosting.Auth;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace BankClientele.CustomerCare.Webhooks;

/// <summary>A branch's group-bot webhook (WeCom 企业微信 or DingTalk 钉钉) that receives its revisit reminders.</summary>
public sealed class BranchWebhook : IBranchOwned
{
    public required string BranchCode { get; init; }
    public required string Url { get; set; }

    /// <summary>See <see cref="WebhookFormats"/>.</summary>
    public required string Format { get; set; }
    public required string UpdatedBy { get; set; }
    public DateTimeOffset UpdatedAt { get; set; }
}

public static class WebhookFormats
{
    public const string WeCom = "wecom";
    public const string DingTalk = "dingtalk";

    public static readonly string[] All = [WeCom, DingTalk];
}

internal sealed class BranchWebhookConfiguration : IEntityTypeConfiguration<BranchWebhook>
{
    public void Configure(EntityTypeBuilder<BranchWebhook> e)
    {
        e.HasKey(w => w.BranchCode);
        e.Property(w => w.BranchCode).HasMaxLength(20);
        e.Property(w => w.Url).HasMaxLength(500);
        e.Property(w => w.Format).HasMaxLength(10);
        e.Property(w => w.UpdatedBy).HasMaxLength(40);
    }
}
