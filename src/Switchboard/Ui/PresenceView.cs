namespace Switchboard.Ui;

/// <summary>The agent's presence switch (_Presence), shown on the dialer and the profile page.</summary>
public sealed record PresenceView(string State, bool Oob = false);
