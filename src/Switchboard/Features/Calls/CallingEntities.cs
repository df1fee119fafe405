namespace Switchboard.Features.Calls;

/// <summary>One provider callback, stored once (its key is unique per tenant and provider).</summary>
public sealed class CallEvent : ITenantOwned
{
    public Guid TenantId { get; set; }
    public Guid Id { get; set; }
    public Guid? CallId { get; set; }
    public required string Provider { get; set; }
    public required string EventKey { get; set; }
    public required string Kind { get; set; }
    public DateTimeOffset ReceivedAt { get; set; }
    public required JsonDocument Payload { get; set; }
}

public sealed class CallDisposition : ITenantOwned, IAudited
{
    public Guid TenantId { get; set; }
    public required string Code { get; set; }
    public required string Label { get; set; }
    public string? LeadStatus { get; set; }
    public bool AddsToDnc { get; set; }
    public bool IsConnect { get; set; }
    public int SortOrder { get; set; }
    public bool IsActive { get; set; } = true;
    /// <summary>The key (one lowercase letter or digit) that picks it in an outcome form; unique among active dispositions.</summary>
    public string? Hotkey { get; set; }
    /// <summary>An outcome with this disposition must name a callback time.</summary>
    public bool RequiresCallback { get; set; }

    public string AuditEntityType => "disposition";
    public string AuditEntityId => Code;
}

public sealed class DncNumber : ITenantOwned, IAudited
{
    public Guid TenantId { get; set; }
    public required string Phone { get; set; }
    public string? Reason { get; set; }
    public string Source { get; set; } = "manual";
    public DateTimeOffset CreatedAt { get; set; }
    public Guid? CreatedBy { get; set; }

    public string AuditEntityType => "dnc";
    public string AuditEntityId => Phone;
}

public sealed class CallingSettings : ITenantOwned, IAudited, IUpdateStamped
{
    public Guid TenantId { get; set; }
    public required JsonDocument CallingHours { get; set; }
    public int MaxAttemptsPerDay { get; set; } = 3;
    public string InboundOwnerRule { get; set; } = "round-robin";
    public string InboundNoAgent { get; set; } = "voicemail";
    public string? CallScript { get; set; }
    /// <summary>How long an agent may stay in wrap-up before the call is marked "no-outcome" and they are available again.</summary>
    public int WrapUpMaxSeconds { get; set; } = CallingPolicy.DefaultWrapUpMaxSeconds;
    /// <summary>The power dialer's countdown before it dials the next lead after an outcome; 0 = no auto-advance (ADR 0032).</summary>
    public int AutoDialSeconds { get; set; } = CallingPolicy.DefaultAutoDialSeconds;
    public Guid? LastInboundAgent { get; set; }
    public DateTimeOffset UpdatedAt { get; set; }

    public string AuditEntityType => "calling-settings";
    public string AuditEntityId => TenantId.ToString();
}

public sealed class AgentPresence : ITenantOwned
{
    public Guid TenantId { get; set; }
    public Guid UserId { get; set; }
    public required string State { get; set; }
    public DateTimeOffset Since { get; set; }
    public Guid? CurrentCallId { get; set; }
}

public static class PresenceStates
{
    public const string Available = "available";
    public const string OnCall = "on-call";
    public const string WrapUp = "wrap-up";
    public const string Away = "away";

    public static readonly IReadOnlyList<string> All = [Available, OnCall, WrapUp, Away];
}
