namespace Switchboard.Platform.Composition;

/// <summary>
/// Registers the class as itself, one instance per request scope (a request, a job run, a SignalR call). A service
/// declares its lifetime where it is written, and <see cref="ServiceScan.AddMarkedServices"/> registers every marked
/// class; the feature compositions keep only what needs more than that (options, factories, hosted services,
/// registrations by interface). ADR 0022.
/// </summary>
[AttributeUsage(AttributeTargets.Class, Inherited = false)]
public sealed class ScopedAttribute : Attribute;

/// <summary>Registers the class as itself, one instance for the app's lifetime (see <see cref="ScopedAttribute"/>).</summary>
[AttributeUsage(AttributeTargets.Class, Inherited = false)]
public sealed class SingletonAttribute : Attribute;

/// <summary>Registers the class as itself, a new instance wherever it is asked for (see <see cref="ScopedAttribute"/>).</summary>
[AttributeUsage(AttributeTargets.Class, Inherited = false)]
public sealed class TransientAttribute : Attribute;

public static class ServiceScan
{
    /// <summary>Registers every class of this assembly marked <see cref="ScopedAttribute"/>, <see cref="SingletonAttribute"/> or <see cref="TransientAttribute"/> (Scrutor).</summary>
    public static IServiceCollection AddMarkedServices(this IServiceCollection services) =>
        services.Scan(scan => scan.FromAssemblyOf<ScopedAttribute>()
            .AddClasses(c => c.WithAttribute<ScopedAttribute>(), publicOnly: false).AsSelf().WithScopedLifetime()
            .AddClasses(c => c.WithAttribute<SingletonAttribute>(), publicOnly: false).AsSelf().WithSingletonLifetime()
            .AddClasses(c => c.WithAttribute<TransientAttribute>(), publicOnly: false).AsSelf().WithTransientLifetime());
}
