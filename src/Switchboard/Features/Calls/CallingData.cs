namespace Switchboard.Features.Calls;

public static class CallingData
{
    extension(SwitchboardDbContext db)
    {
        public DbSet<Call> Calls => db.Set<Call>();
        public DbSet<CallEvent> CallEvents => db.Set<CallEvent>();
        public DbSet<CallDisposition> CallDispositions => db.Set<CallDisposition>();
        public DbSet<DncNumber> DncNumbers => db.Set<DncNumber>();
        public DbSet<CallingSettings> CallingSettings => db.Set<CallingSettings>();
        public DbSet<AgentPresence> AgentPresence => db.Set<AgentPresence>();
    }
}
