using System.Net;

namespace Switchboard.Platform.Protection;

/// <summary>
/// A tenant's IP allowlist as its security settings take it (ADR 0046): canonical CIDR blocks, at most
/// <see cref="MaxBlocks"/>, and never a list that leaves out the address of the admin saving it — they would be locked
/// out by their own save. Superadmins are not held to a tenant's allowlist, so the last rule does not apply to them.
/// </summary>
[Scoped]
public sealed class TenantAllowlist(TenantContext ctx, AuditActor actor, TenantRulesCache cache)
{
    public const int MaxBlocks = 100;

    /// <summary>The list to store (null: none), with any problem added to <paramref name="errors"/> under ipAllowlist.</summary>
    public string[]? Validate(Optional<IReadOnlyList<string>?> member, ValidationErrors errors)
    {
        if (!member.IsSet || member.Error is not null) return null;
        var blocks = CidrBlocks.NormalizeAll(member.Value, "ipAllowlist", MaxBlocks, errors);
        if (blocks is null || errors.Has("ipAllowlist") || ctx.IsSuperadmin) return blocks;
        var own = IPAddress.TryParse(actor.Ip, out var address) ? address : null;
        if (!CidrBlocks.Contains(blocks, own))
            errors.Add("ipAllowlist", $"Your current address ({actor.Ip ?? "unknown"}) is not in the list: saving it would lock you out. " +
                $"Add {actor.Ip ?? "your address"} or a block that contains it.");
        return blocks;
    }

    /// <summary>Every request of the tenant on this instance follows the saved list from now on; other instances within their cache time.</summary>
    public void Changed(Guid tenantId) => cache.Forget(tenantId);
}
