namespace Switchboard.Ui.Lists;

/// <summary>A list row's checkbox: it joins the bulk bar's form (Features/Bulk) as one of the picked ids.</summary>
public sealed record SelectRow(string Entity, Guid Id, string Name)
{
    public string FormId => $"{Entity}-bulk";
}

/// <summary>The header checkbox that picks every row of the page.</summary>
public sealed record SelectPage(string Entity, string Plural)
{
    public string FormId => $"{Entity}-bulk";
}
