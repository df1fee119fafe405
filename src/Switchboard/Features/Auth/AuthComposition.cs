namespace Switchboard.Features.Auth;

public static class AuthComposition
{
    /// <summary>The job that answers "forgot password" requests (the services mark their own lifetimes).</summary>
    public static IServiceCollection AddAuth(this IServiceCollection services) => services.AddJobHandler<ForgotPasswordJob>();
}
