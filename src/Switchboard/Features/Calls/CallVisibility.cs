using Switchboard.Features.Leads;

namespace Switchboard.Features.Calls;

/// <summary>Who may see a call: managers and above every call of the tenant; agents the calls they made and the calls on their leads.</summary>
public static class CallVisibility
{
    public static IQueryable<Call> Visible(SwitchboardDbContext db, TenantContext ctx)
    {
        if (RecordVisibility.OwnerScope(ctx) is not { } self) return db.Calls;
        return db.Calls.Where(c => c.AgentId == self || db.Set<Lead>().Any(l => l.Id == c.LeadId && l.OwnerId == self));
    }
}
