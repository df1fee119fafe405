using System.ComponentModel;
using ModelContextProtocol.Server;
using Switchboard.Features.Leads;
using static Switchboard.Features.Mcp.ToolArguments;

namespace Switchboard.Features.Mcp;

/// <summary>Creating and changing leads: the twins of POST and PATCH /api/v1/leads, through <see cref="LeadService"/>.</summary>
[McpServerToolType]
public sealed class LeadTools(ToolAccess access, LeadService leads)
{
    private const string Clear = "Omit to leave unchanged; an empty string clears it.";

    [McpServerTool(Name = "create_lead", Title = "Create a lead", Destructive = false, OpenWorld = false, UseStructuredContent = true)]
    [Description("Creates a lead and returns it with its id and version. lastName is required; the phone is stored in international form (the workspace's country is assumed for national numbers).")]
    public async Task<LeadDto> CreateLead(
        [Description("Last name (required).")] string lastName,
        [Description("First name.")] string? firstName = null,
        [Description("Company name.")] string? company = null,
        [Description("Job title.")] string? title = null,
        [Description("Email address.")] string? email = null,
        [Description("Phone number, any common format.")] string? phone = null,
        [Description("new, contacted, qualified or unqualified (default new).")] string? status = null,
        [Description("Where the lead came from, e.g. a campaign or a website.")] string? source = null,
        [Description("Free-text notes on the lead itself (use log_note for a dated note on its timeline).")] string? notes = null,
        [Description("IANA time zone such as America/Chicago; calling hours use it.")] string? timeZone = null,
        [Description("True when the lead asked not to be called.")] bool? doNotCall = null,
        [Description("https URL of the lead's LinkedIn profile.")] string? linkedinUrl = null,
        [Description("Id of the member who owns the lead (a UUID). Omit for the key's own user; agents may only own leads themselves.")] string? ownerId = null,
        CancellationToken ct = default)
    {
        access.Require(ApiScopes.Leads, HttpMethods.Post);
        var body = Body(firstName, company, title, email, phone, status, source, notes, timeZone, doNotCall, linkedinUrl) with
        {
            LastName = Optional.Text(lastName), OwnerId = IdMember(ownerId, "ownerId"),
        };
        return (await leads.CreateAsync(body, ct)).ValueOr("lead");
    }

    [McpServerTool(Name = "update_lead", Title = "Update a lead", Destructive = false, Idempotent = true, OpenWorld = false, UseStructuredContent = true)]
    [Description("Changes only the fields given (a partial update) and returns the lead with its new version. Send the version you last read: if the lead changed since, the update is refused as a conflict and you should read it again.")]
    public async Task<LeadDto> UpdateLead(
        [Description("The lead's id (a UUID).")] string id,
        [Description("The lead's version as last read (from get_lead); a stale version is refused. Omit only to overwrite whatever changed meanwhile.")] int? version = null,
        [Description("First name. " + Clear)] string? firstName = null,
        [Description("Last name; cannot be cleared.")] string? lastName = null,
        [Description("Company name. " + Clear)] string? company = null,
        [Description("Job title. " + Clear)] string? title = null,
        [Description("Email address. " + Clear)] string? email = null,
        [Description("Phone number, any common format. " + Clear)] string? phone = null,
        [Description("new, contacted, qualified or unqualified (converted only by converting the lead).")] string? status = null,
        [Description("Source. " + Clear)] string? source = null,
        [Description("Free-text notes on the lead itself. " + Clear)] string? notes = null,
        [Description("IANA time zone such as America/Chicago. " + Clear)] string? timeZone = null,
        [Description("True when the lead asked not to be called.")] bool? doNotCall = null,
        [Description("https URL of the LinkedIn profile. " + Clear)] string? linkedinUrl = null,
        [Description("Id of the member who should own the lead (a UUID).")] string? ownerId = null,
        CancellationToken ct = default)
    {
        access.Require(ApiScopes.Leads, HttpMethods.Patch);
        var leadId = Id(id, "id");
        var patch = Body(firstName, company, title, email, phone, status, source, notes, timeZone, doNotCall, linkedinUrl) with
        {
            LastName = Text(lastName), OwnerId = IdMember(ownerId, "ownerId"), Version = Value(version),
        };
        return (await leads.UpdateAsync(leadId, patch, ifMatch: null, ct)).ValueOr("lead");
    }

    private static LeadWrite Body(string? firstName, string? company, string? title, string? email, string? phone, string? status, string? source,
        string? notes, string? timeZone, bool? doNotCall, string? linkedinUrl) => new()
    {
        FirstName = Text(firstName), Company = Text(company), Title = Text(title), Email = Text(email), Phone = Text(phone), Status = Text(status),
        Source = Text(source), Notes = Text(notes), TimeZone = Text(timeZone), DoNotCall = Value(doNotCall), LinkedinUrl = Text(linkedinUrl),
    };
}
