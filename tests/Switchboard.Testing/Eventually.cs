using System.Diagnostics;
using System.Text.Json;
using System.Text.Json.Serialization;

namespace Switchboard.Testing;

/// <summary>
/// The one way tests wait for something the app does in the background: probe, check, pause briefly, until the
/// condition holds or the timeout passes. A timeout fails with what was awaited and the last value the probe saw.
/// </summary>
public static class Eventually
{
    public static readonly TimeSpan DefaultTimeout = TimeSpan.FromSeconds(30);

    private static readonly TimeSpan Pause = TimeSpan.FromMilliseconds(50);
    private static readonly JsonSerializerOptions Describing = new() { ReferenceHandler = ReferenceHandler.IgnoreCycles, MaxDepth = 8 };

    /// <summary>Returns the first value the probe gives that satisfies the condition.</summary>
    public static async Task<T> Until<T>(Func<Task<T>> probe, Func<T, bool> condition, TimeSpan timeout, string waitingFor)
    {
        var clock = Stopwatch.StartNew();
        while (true)
        {
            var value = await probe();
            if (condition(value)) return value;
            if (clock.Elapsed >= timeout)
                throw new TimeoutException($"Waited {timeout.TotalSeconds:0.#} s for {waitingFor}; the last value seen was {Describe(value)}");
            await Task.Delay(Pause);
        }
    }

    public static Task<T> Until<T>(Func<Task<T>> probe, Func<T, bool> condition, string waitingFor) =>
        Until(probe, condition, DefaultTimeout, waitingFor);

    public static Task<T> Until<T>(Func<T> probe, Func<T, bool> condition, TimeSpan timeout, string waitingFor) =>
        Until(() => Task.FromResult(probe()), condition, timeout, waitingFor);

    /// <summary>Waits for a condition with no value worth showing beyond true or false.</summary>
    public static Task Until(Func<Task<bool>> condition, TimeSpan timeout, string waitingFor) =>
        Until(condition, holds => holds, timeout, waitingFor);

    /// <summary>The value as a test reader wants it: JSON as sent, records as printed, other objects serialized, long text cut.</summary>
    public static string Describe(object? value)
    {
        var text = value switch
        {
            null => "null",
            string s => $"\"{s}\"",
            JsonElement json => json.GetRawText(),
            System.Collections.IEnumerable items and not IFormattable => $"[{string.Join(", ", items.Cast<object?>().Select(Describe))}]",
            _ when value.ToString() is { } printed && printed != value.GetType().ToString() => printed,
            _ => Serialize(value),
        };
        return text.Length <= 2_000 ? text : text[..2_000] + "…";
    }

    private static string Serialize(object value)
    {
        try
        {
            return JsonSerializer.Serialize(value, value.GetType(), Describing);
        }
        catch (Exception e) when (e is NotSupportedException or InvalidOperationException or JsonException)
        {
            return value.ToString() ?? value.GetType().Name;
        }
    }
}
