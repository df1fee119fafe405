namespace Switchboard.Features.Telephony;

public static class TelephonyData
{
    extension(SwitchboardDbContext db)
    {
        public DbSet<TelephonyProvider> TelephonyProviders => db.Set<TelephonyProvider>();
    }
}
