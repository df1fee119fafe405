using System.Net;

namespace Switchboard.Platform.Web;

/// <summary>IP allowlists as CIDR blocks (IPv4 and IPv6): read as typed, stored in canonical form, matched against a caller's address.</summary>
public static class CidrBlocks
{
    /// <summary>
    /// The canonical form of a block ("203.0.113.0/24", "2001:db8::/32"); a bare address is a block of one (/32 or
    /// /128). Null with a reason for anything else, including an address with bits set past the prefix.
    /// </summary>
    public static string? Normalize(string? text, out string? problem)
    {
        problem = null;
        var value = text?.Trim() ?? "";
        if (!value.Contains('/') && IPAddress.TryParse(value, out var single))
        {
            var plain = Plain(single);
            return new IPNetwork(plain, plain.AddressFamily == System.Net.Sockets.AddressFamily.InterNetwork ? 32 : 128).ToString();
        }
        if (!IPNetwork.TryParse(value, out var block))
        {
            problem = $"'{text}' is not an IP address or CIDR block (like 203.0.113.0/24 or 2001:db8::/32).";
            return null;
        }
        // IPNetwork.TryParse clears host bits silently (10.0.0.1/8 reads as 10.0.0.0/8): refuse them, as PostgreSQL's cidr does.
        if (!IPAddress.Parse(value[..value.IndexOf('/')]).Equals(block.BaseAddress))
        {
            problem = $"'{text}' has address bits set past its prefix length; write the block's first address (like 203.0.113.0/24).";
            return null;
        }
        return block.ToString();
    }

    /// <summary>
    /// A posted list of blocks in canonical form, without repeats; each block that is not one, and a list longer than
    /// <paramref name="max"/>, is an error on <paramref name="field"/>. Null for an absent or empty list.
    /// </summary>
    public static string[]? NormalizeAll(IReadOnlyList<string>? blocks, string field, int max, ValidationErrors errors)
    {
        if (blocks is not { Count: > 0 }) return null;
        if (blocks.Count > max) errors.Add(field, $"At most {max} blocks.");
        var normalized = new List<string>();
        foreach (var block in blocks)
        {
            if (Normalize(block, out var problem) is { } canonical) normalized.Add(canonical);
            else errors.Add(field, problem!);
        }
        return normalized.Distinct().ToArray();
    }

    /// <summary>The blocks a form's text box holds: one per line, or separated by commas or spaces.</summary>
    public static string[] Split(string? text) =>
        (text ?? "").Split([',', '\n', '\r', ' '], StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);

    /// <summary>Whether <paramref name="address"/> lies in one of <paramref name="blocks"/> (canonical strings as stored).</summary>
    public static bool Contains(IEnumerable<string> blocks, IPAddress? address)
    {
        if (address is null) return false;
        var plain = Plain(address);
        return blocks.Any(b => IPNetwork.TryParse(b, out var block) && block.Contains(plain));
    }

    /// <summary>A client's address as people read it (IPv4 as itself, not mapped into IPv6); null when unknown.</summary>
    public static string? Describe(IPAddress? address) => address is null ? null : Plain(address).ToString();

    /// <summary>An IPv4 address as itself even when the socket reports it mapped into IPv6 (::ffff:203.0.113.5).</summary>
    private static IPAddress Plain(IPAddress address) => address.IsIPv4MappedToIPv6 ? address.MapToIPv4() : address;
}
