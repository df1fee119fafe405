using System.Diagnostics.CodeAnalysis;
using Switchboard.Features.Telephony.Providers.SignalWire;
using Switchboard.Features.Telephony.Providers.Simulator;
using Switchboard.Features.Telephony.Providers.Twilio;

namespace Switchboard.Features.Telephony;

/// <summary>The name a provider registered itself under (one per provider; see <see cref="TelephonyProviderRegistration"/>).</summary>
public sealed record TelephonyProviderName(string Name);

/// <summary>
/// The registered providers, by name. Only the provider asked for is built (a keyed service of the scope), so a
/// Twilio status callback does not construct the simulator's database-bound services on the hot path.
/// </summary>
[Scoped]
public sealed class TelephonyProviders(IServiceProvider services, IEnumerable<TelephonyProviderName> registered)
{
    private readonly string[] _names = registered.Select(r => r.Name).ToArray();

    /// <summary>Every registered provider's name, in registration order.</summary>
    public IReadOnlyList<string> Names => _names;

    public bool TryGet(string? name, [NotNullWhen(true)] out ITelephonyProvider? provider)
    {
        provider = name is not null && _names.Contains(name, StringComparer.Ordinal) ? services.GetRequiredKeyedService<ITelephonyProvider>(name) : null;
        return provider is not null;
    }

    /// <summary>A provider that must exist (the name came from our own rows, not from a request).</summary>
    public ITelephonyProvider Get(string name) =>
        TryGet(name, out var provider) ? provider : throw new InvalidOperationException($"No telephony provider is registered as '{name}'.");

    public IEnumerable<ITelephonyProvider> All => _names.Select(Get);
}

/// <summary>The one place providers are registered. Each provider's folder brings its own AddXxxProvider().</summary>
public static class TelephonyProviderRegistration
{
    public static IServiceCollection AddTelephonyProviders(this IServiceCollection services)
    {
        services.AddTwilioProvider();
        services.AddSignalWireProvider();
        services.AddSimulatorProvider();
        services.AddJobHandler<RecordingDeletion>();
        return services;
    }

    /// <summary>Registers <typeparamref name="TProvider"/> under <paramref name="name"/>; used by each provider's AddXxxProvider().</summary>
    public static IServiceCollection AddTelephonyProvider<TProvider>(this IServiceCollection services, string name)
        where TProvider : class, ITelephonyProvider
    {
        services.AddKeyedScoped<ITelephonyProvider, TProvider>(name);
        services.AddSingleton(new TelephonyProviderName(name));
        return services;
    }
}
