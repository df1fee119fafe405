using System.Text.Json.Nodes;

namespace Switchboard.Features.Ldap;

/// <summary>
/// An LDAP settings change in the shape of a record change ({field: {old, new}}), so the audit viewer shows it like any
/// other. The service password never appears: only <c>bindPassword: "changed"</c>.
/// </summary>
public static class LdapSettingsChanges
{
    public static Dictionary<string, object?> Between(LdapSettingsDto? before, LdapSettingsDto after, bool passwordChanged)
    {
        var old = before is null ? new JsonObject() : Fields(before);
        var @new = Fields(after);
        var changes = new Dictionary<string, object?>();
        foreach (var (name, value) in @new)
            if (!JsonNode.DeepEquals(old[name], value)) changes[name] = new { old = old[name]?.DeepClone(), @new = value?.DeepClone() };
        if (passwordChanged) changes["bindPassword"] = "changed";
        return changes;
    }

    private static JsonObject Fields(LdapSettingsDto dto)
    {
        var fields = JsonSerializer.SerializeToNode(dto, JsonSerializerOptions.Web)!.AsObject();
        fields.Remove("updatedAt");
        fields.Remove("bindPasswordSet");
        return fields;
    }
}
