using System.Text.Json;
using Switchboard.Testing;

namespace Switchboard.Tests.Platform;

/// <summary>The shared poll every waiting test uses: it returns the value that satisfied it, or says what it last saw.</summary>
public sealed class EventuallyTests
{
    [Fact]
    public async Task A_condition_that_comes_true_returns_the_value_that_satisfied_it()
    {
        var probes = 0;

        var value = await Eventually.Until(() => Task.FromResult(++probes), n => n == 3, TimeSpan.FromSeconds(30), "the third probe");

        value.ShouldBe(3);
    }

    [Fact]
    public async Task A_condition_that_never_comes_true_fails_with_what_was_awaited_and_the_last_value_seen()
    {
        var status = JsonDocument.Parse("""{"status":"running","created":12}""").RootElement;

        var error = await Should.ThrowAsync<TimeoutException>(() =>
            Eventually.Until(() => Task.FromResult(status), s => s.GetProperty("status").GetString() == "completed", TimeSpan.Zero, "the import to complete"));

        error.Message.ShouldContain("the import to complete");
        error.Message.ShouldContain("""{"status":"running","created":12}""");
    }

    [Fact]
    public void Objects_without_their_own_text_are_shown_as_json_and_collections_item_by_item()
    {
        Eventually.Describe(new Probe { Status = "queued" }).ShouldBe("""{"Status":"queued"}""");
        Eventually.Describe(new List<string> { "ringing", "in-progress" }).ShouldBe("""["ringing", "in-progress"]""");
        Eventually.Describe(null).ShouldBe("null");
    }

    private sealed class Probe
    {
        public string Status { get; init; } = "";
    }
}
