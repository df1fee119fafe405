namespace Switchboard.Features.Dialer;

public static class DialerData
{
    extension(SwitchboardDbContext db)
    {
        public DbSet<DialerQueue> DialerQueues => db.Set<DialerQueue>();
        public DbSet<DialerSession> DialerSessions => db.Set<DialerSession>();
        public DbSet<DialerQueueMember> DialerQueueMembers => db.Set<DialerQueueMember>();
        public DbSet<DialerQueueContact> DialerQueueContacts => db.Set<DialerQueueContact>();
    }
}
