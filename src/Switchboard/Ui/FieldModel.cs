namespace Switchboard.Ui;

/// <summary>One labelled input with its hint and inline error. <see cref="Name"/> is the camelCase field the service reports errors on.</summary>
public sealed record FieldModel(string Name, string Label, string? Value, string? Error, string Type = "text", string? Autocomplete = null, string? Hint = null, string? Prefix = "Form");
