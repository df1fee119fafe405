using Microsoft.AspNetCore.Mvc.RazorPages;
using Switchboard.Features.Dialer;

namespace Switchboard.Features.Home;

public sealed class IndexModel(TenantContext ctx) : PageModel
{
    public IActionResult OnGet() => LocalRedirect(ctx.TenantId is null && ctx.IsSuperadmin ? "/tenants" : "/leads");
}
