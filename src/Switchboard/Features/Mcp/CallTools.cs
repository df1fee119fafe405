using System.ComponentModel;
using ModelContextProtocol.Server;
using Switchboard.Features.Calls;
using static Switchboard.Features.Mcp.ToolArguments;

namespace Switchboard.Features.Mcp;

/// <summary>
/// Placing a call: <see cref="CallService.StartAsync"/>, the path of POST /api/v1/calls, so the compliance guard
/// (do-not-call list, calling hours, attempts per day) decides and audits every attempt (ADR 0054).
/// </summary>
[McpServerToolType]
public sealed class CallTools(ToolAccess access, CallService calls)
{
    [McpServerTool(Name = "start_call", Title = "Start a call", Destructive = false, OpenWorld = true, UseStructuredContent = true)]
    [Description("Places a click-to-call to a lead (or a contact, at its first phone) for the key's user, after the compliance checks: a number on the do-not-call list, outside calling hours or over the day's attempts is refused with the reason. Returns the call's id and status (queued); the provider dials in the background.")]
    public async Task<StartedCall> StartCall(
        [Description("The lead to call (a UUID). Give this or contactId.")] string? leadId = null,
        [Description("The contact to call (a UUID), when not calling a lead.")] string? contactId = null,
        CancellationToken ct = default)
    {
        access.Require(ApiScopes.Calls, HttpMethods.Post);
        if ((leadId is null) == (contactId is null)) throw ToolErrors.Invalid("leadId", "Give exactly one of leadId and contactId.");
        var request = leadId is not null ? StartCallRequest.For(Id(leadId, "leadId")) : StartCallRequest.ForContact(Id(contactId, "contactId"));
        return (await calls.StartAsync(request, ct)).ValueOr(leadId is not null ? "lead" : "contact");
    }
}
