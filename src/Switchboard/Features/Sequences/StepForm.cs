namespace Switchboard.Features.Sequences;

/// <summary>The sequence editor's form: the sequence's fields and its steps as rows (posted as Form.Steps[i].…).</summary>
public sealed class SequenceForm
{
    public string? Name { get; set; }
    public Guid? MailboxId { get; set; }
    public bool IsActive { get; set; } = true;
    public List<string> WindowDays { get; set; } = ["mon", "tue", "wed", "thu", "fri"];
    public string WindowFrom { get; set; } = "09:00";
    public string WindowTo { get; set; } = "17:00";
    public List<string> StopStatuses { get; set; } = [];
    public List<StepForm> Steps { get; set; } = [];

    public SequenceWrite ToWrite() => new(Name, MailboxId, IsActive, Steps.Select(s => s.ToStep()).ToList(), WindowDays, WindowFrom, WindowTo, StopStatuses);

    public static SequenceForm Of(SequenceDto s) => new()
    {
        Name = s.Name, MailboxId = s.MailboxId, IsActive = s.IsActive, WindowDays = [.. s.WindowDays], WindowFrom = s.WindowFrom, WindowTo = s.WindowTo,
        StopStatuses = [.. s.StopStatuses], Steps = s.Steps.Select(StepForm.Of).ToList(),
    };
}

public sealed class StepForm
{
    public string Type { get; set; } = StepTypes.Email;
    public Guid? TemplateId { get; set; }
    public string? Subject { get; set; }
    public string? Body { get; set; }
    public bool ReplyInThread { get; set; }
    public string? Note { get; set; }
    public string? Title { get; set; }
    public int? DueDays { get; set; }
    public int? Days { get; set; }

    public SequenceStep ToStep() => new(Type, TemplateId, Subject, Body, ReplyInThread, Note, Title, DueDays, Days);

    public static StepForm Of(SequenceStep s) => new()
    {
        Type = s.Type ?? StepTypes.Email, TemplateId = s.TemplateId, Subject = s.Subject, Body = s.Body, ReplyInThread = s.ReplyInThread, Note = s.Note,
        Title = s.Title, DueDays = s.DueDays, Days = s.Days,
    };
}
