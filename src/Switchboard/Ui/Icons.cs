using Microsoft.AspNetCore.Html;

namespace Switchboard.Ui;

/// <summary>Inline SVG icons (static markup from this file only, never user data).</summary>
public static class Icons
{
    private static HtmlString Svg(string paths) => new(
        $"<svg class=\"icon\" viewBox=\"0 0 24 24\" aria-hidden=\"true\" fill=\"none\" stroke=\"currentColor\" stroke-width=\"1.8\" stroke-linecap=\"round\" stroke-linejoin=\"round\">{paths}</svg>");

    public static readonly HtmlString Leads = Svg("<path d=\"M3 5h18M3 12h18M3 19h12\"/>");
    public static readonly HtmlString Users = Svg("<circle cx=\"9\" cy=\"8\" r=\"3.5\"/><path d=\"M2.5 20c.8-3.6 3.4-5.5 6.5-5.5s5.7 1.9 6.5 5.5\"/><path d=\"M16 4.5a3.5 3.5 0 010 7M18 14.8c1.8.7 3 2.4 3.5 5.2\"/>");
    public static readonly HtmlString Audit = Svg("<path d=\"M9 4h6l1 2h3v15H5V6h3z\"/><path d=\"M9 12h6M9 16h4\"/>");
    public static readonly HtmlString Tenants = Svg("<path d=\"M4 21V7l8-4 8 4v14\"/><path d=\"M9 21v-5h6v5M9 10h.01M15 10h.01\"/>");
    public static readonly HtmlString Accounts = Svg("<path d=\"M3 21h18M5 21V5h9v16M14 9h5v12\"/><path d=\"M8 9h3M8 13h3M8 17h3\"/>");
    public static readonly HtmlString Contacts = Svg("<rect x=\"3\" y=\"4\" width=\"18\" height=\"16\" rx=\"2\"/><circle cx=\"9\" cy=\"11\" r=\"2.5\"/><path d=\"M5.5 17c.6-2 2-3 3.5-3s2.9 1 3.5 3M15 10h3M15 14h3\"/>");
    public static readonly HtmlString Opportunities = Svg("<path d=\"M3 4h18l-7 8v6l-4 2v-8z\"/>");
    public static readonly HtmlString Tasks = Svg("<rect x=\"4\" y=\"4\" width=\"16\" height=\"16\" rx=\"2\"/><path d=\"M8 12l3 3 5-6\"/>");
    public static readonly HtmlString Fields = Svg("<path d=\"M4 6h16M4 12h10M4 18h7\"/><circle cx=\"18\" cy=\"16\" r=\"3\"/>");
    public static readonly HtmlString Plus = Svg("<path d=\"M12 5v14M5 12h14\"/>");
    public static readonly HtmlString Search = Svg("<circle cx=\"11\" cy=\"11\" r=\"7\"/><path d=\"M20 20l-3.5-3.5\"/>");
    public static readonly HtmlString Menu = Svg("<path d=\"M4 6h16M4 12h16M4 18h16\"/>");
    public static readonly HtmlString Back = Svg("<path d=\"M15 18l-6-6 6-6\"/>");
    public static readonly HtmlString Phone = Svg("<path d=\"M5 4h4l2 5-2.5 1.5a11 11 0 005 5L15 13l5 2v4a2 2 0 01-2 2A16 16 0 013 6a2 2 0 012-2\"/>");
    public static readonly HtmlString Mail = Svg("<rect x=\"3\" y=\"5\" width=\"18\" height=\"14\" rx=\"2\"/><path d=\"M3 7l9 6 9-6\"/>");
    public static readonly HtmlString Empty = Svg("<path d=\"M4 13l2-8h12l2 8\"/><path d=\"M4 13v6h16v-6h-5a3 3 0 01-6 0z\"/>");
    public static readonly HtmlString Logo = new(
        "<svg class=\"logo\" viewBox=\"0 0 32 32\" aria-hidden=\"true\"><rect width=\"32\" height=\"32\" rx=\"8\" fill=\"currentColor\"/>" +
        "<path d=\"M10 9h3l1.5 4-2 1.3a8 8 0 004.2 4.2l1.3-2 4 1.5v3a1.5 1.5 0 01-1.5 1.5A12.5 12.5 0 018.5 10.5 1.5 1.5 0 0110 9z\" fill=\"#fff\"/></svg>");
}
