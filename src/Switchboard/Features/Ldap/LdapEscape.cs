namespace Switchboard.Features.Ldap;

/// <summary>
/// Puts what a person typed into LDAP text as data, never as syntax: filter values after RFC 4515 (so
/// <c>*)(uid=*</c> matches only an entry literally named that) and DN attribute values after RFC 4514.
/// </summary>
public static class LdapEscape
{
    /// <summary>A value for an LDAP search filter (RFC 4515 §3): *, (, ), \ and NUL as \XX.</summary>
    public static string FilterValue(string value)
    {
        var escaped = new StringBuilder(value.Length + 8);
        foreach (var c in value)
            escaped.Append(c switch
            {
                '*' => @"\2a",
                '(' => @"\28",
                ')' => @"\29",
                '\\' => @"\5c",
                '\0' => @"\00",
                _ => c.ToString(),
            });
        return escaped.ToString();
    }

    /// <summary>A value for a DN's attribute (RFC 4514 §2.4): the specials with a backslash, a leading # or space and a trailing space too.</summary>
    public static string DnValue(string value)
    {
        var escaped = new StringBuilder(value.Length + 8);
        for (var i = 0; i < value.Length; i++)
        {
            var c = value[i];
            if (c == '\0') escaped.Append(@"\00");
            else if (c is ',' or '+' or '"' or '\\' or '<' or '>' or ';' or '=') escaped.Append('\\').Append(c);
            else if ((i == 0 && c is ' ' or '#') || (i == value.Length - 1 && c == ' ')) escaped.Append('\\').Append(c);
            else escaped.Append(c);
        }
        return escaped.ToString();
    }

    /// <summary>Fills {email} and {username} (the part of the address before @) into a filter or DN template, each escaped by <paramref name="escape"/>.</summary>
    public static string Fill(string template, string email, Func<string, string> escape) =>
        template.Replace("{email}", escape(email), StringComparison.Ordinal)
                .Replace("{username}", escape(UserName(email)), StringComparison.Ordinal);

    public static string UserName(string email) => email.IndexOf('@') is > 0 and var at ? email[..at] : email;

    /// <summary>A DN compared as directories compare them for our purpose: case and the spaces around separators do not count.</summary>
    public static string NormalizeDn(string dn) =>
        string.Join(",", dn.Split(',').Select(part => string.Join("=", part.Split('=', 2).Select(p => p.Trim())))).ToLowerInvariant();
}
