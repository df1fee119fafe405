namespace Switchboard.Features.Leads;

public static class LeadsData
{
    extension(SwitchboardDbContext db)
    {
        public DbSet<Lead> Leads => db.Set<Lead>();
    }
}
