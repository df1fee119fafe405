using System.ComponentModel;
using ModelContextProtocol.Server;
using Switchboard.Features.Ai.CallPrep;

namespace Switchboard.Features.Mcp;

/// <summary>Preparing a call: the twin of GET /api/v1/leads/{id}/call-prep and /api/v1/contacts/{id}/call-prep.</summary>
[McpServerToolType]
public sealed class CallPrepTools(ToolAccess access, CallPrepService service)
{
    [McpServerTool(Name = "call_prep", Title = "Prepare a call", ReadOnly = true, Idempotent = true, OpenWorld = false, UseStructuredContent = true)]
    [Description("Everything to read before calling a lead or contact: who they are with their local time, the last five interactions, open tasks, the last call's AI summary with what they asked for and the promises still open, the call script filled in for them, and seven talking points.")]
    public async Task<CallPrepDto> CallPrep(
        [Description("lead or contact.")] string type,
        [Description("The lead's or contact's id (a UUID, e.g. from search_records).")] string id,
        [Description("One of your dialer queues, for its script. Omit for the workspace script.")] string? queueId = null,
        CancellationToken ct = default)
    {
        var recordId = ToolArguments.Id(id, "id");
        var query = new CallPrepQuery(ToolArguments.OptionalId(queueId, "queueId"));
        switch (type)
        {
            case "lead":
                access.Require(ApiScopes.Leads, HttpMethods.Get);
                return (await service.ForLeadAsync(recordId, query, ct)).ValueOr("lead");
            case "contact":
                access.Require(ApiScopes.Contacts, HttpMethods.Get);
                return (await service.ForContactAsync(recordId, query, ct)).ValueOr("contact");
            default:
                throw ToolErrors.Invalid("type", "Say lead or contact.");
        }
    }
}
