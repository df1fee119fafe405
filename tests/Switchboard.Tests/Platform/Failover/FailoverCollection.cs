namespace Switchboard.Tests.Platform.Failover;

/// <summary>
/// The failover classes run one after the other, each over its own formation: the drill kills a primary under load, and
/// reads that must land on a standby are not measured beside it (two formations at once would only load the two cores).
/// </summary>
[CollectionDefinition(Name)]
public sealed class FailoverCollection
{
    public const string Name = "Failover";
}
