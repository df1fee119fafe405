namespace Switchboard.Features.Ai.CallPrep;

/// <summary>The "Call prep" card; <paramref name="ShowScript"/> is off where the page shows the script itself (the dialer).</summary>
public sealed record CallPrepPanel(CallPrepDto Prep, TenantSettings? Tenant, bool ShowScript);

/// <summary>
/// The "Call prep" card of the lead and contact pages and of the dialer workspace, before dialing:
/// <c>@await Component.InvokeAsync("CallPrep", new { type = "lead", id })</c>. Nothing when the caller may not see the record.
/// </summary>
public sealed class CallPrepViewComponent(CallPrepService service, TenantContext ctx) : ViewComponent
{
    public const string ViewPath = "/Features/Ai/CallPrep/_CallPrep.cshtml";

    public async Task<IViewComponentResult> InvokeAsync(string type, Guid id, Guid? queueId = null, bool showScript = true)
    {
        var ct = HttpContext.RequestAborted;
        var query = new CallPrepQuery(queueId);
        var prep = type == "contact" ? await service.ForContactAsync(id, query, ct) : await service.ForLeadAsync(id, query, ct);
        return prep is Outcome<CallPrepDto>.Ok ok ? View(ViewPath, new CallPrepPanel(ok.Value, ctx.Tenant, showScript)) : Content("");
    }
}
