namespace Switchboard.Platform.Backups;

public static class BackupsComposition
{
    /// <summary>Backup settings, the scheduled backup job and its schedule (ADR 0064); the commands are found by their verbs.</summary>
    public static IServiceCollection AddBackups(this IServiceCollection services)
    {
        services.AddValidatedOptions<BackupOptions>(BackupOptions.Section);
        services.AddJobHandler<ScheduledBackup>();
        services.AddHostedService<BackupSchedule>();
        return services;
    }
}
