namespace Switchboard.Platform.Email;

public static class EmailComposition
{
    /// <summary>SMTP settings, App:PublicUrl for links, and the 'email.send' job that delivers the outbox.</summary>
    public static IServiceCollection AddEmail(this IServiceCollection services)
    {
        services.AddValidatedOptions<SmtpOptions>(SmtpOptions.Section);
        AppOptions.Register(services);
        services.AddJobHandler<EmailDelivery>();
        return services;
    }
}
