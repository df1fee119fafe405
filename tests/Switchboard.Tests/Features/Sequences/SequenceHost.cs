using Microsoft.EntityFrameworkCore;
using System.Net.Http.Json;
using System.Text.Json;
using Microsoft.Extensions.DependencyInjection;
using Switchboard.Features.Outreach;
using Switchboard.Features.Sequences;
using Switchboard.Platform.Database;
using Switchboard.Platform.Tenancy;
using Switchboard.Tests.Features.Mailboxes;

namespace Switchboard.Tests.Features.Sequences;

/// <summary>
/// The app with one tenant and a real dovecot (through <see cref="MailboxHost"/>), the sequence scheduler's own loop off
/// so each test runs its rounds (<see cref="RunDueAsync"/>), and jobs polled quickly (the inbound-email notice is a job).
/// The sender worker is off: tests play its part by setting an outbound email's outcome and calling the observers in a
/// unit of work, as the sender does (OutreachJourneyTests run sequences through the real sender).
/// </summary>
public sealed class SequenceHost : MailboxHost
{
    protected override IDictionary<string, string?> ExtraSettings => new Dictionary<string, string?>(base.ExtraSettings)
    {
        ["Sequences:SchedulerEnabled"] = "false",
        ["Outreach:Enabled"] = "false",
        ["Jobs:PollSeconds"] = "0.2",
    };

    public Task<int> RunDueAsync() => Services.GetRequiredService<SequenceScheduler>().RunDueAsync(CancellationToken.None);

    /// <summary>A scope inside the tenant, as the workers enter it.</summary>
    public async Task<AsyncServiceScope> TenantScopeAsync(Guid? tenantId = null)
    {
        var scope = Services.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<SwitchboardDbContext>();
        var tenant = await db.Tenants.AsNoTracking().SingleAsync(t => t.Id == (tenantId ?? Tenant.Id));
        await scope.ServiceProvider.GetRequiredService<TenantContext>().EnterTenantAsSystemAsync(TenantMessages.Settings(tenant), "test");
        return scope;
    }

    public async Task<T> InTenantAsync<T>(Func<SwitchboardDbContext, Task<T>> read)
    {
        await using var scope = await TenantScopeAsync();
        return await read(scope.ServiceProvider.GetRequiredService<SwitchboardDbContext>());
    }

    public Task<SequenceEnrolment> EnrolmentAsync(Guid id) =>
        InTenantAsync(db => db.Set<SequenceEnrolment>().AsNoTracking().SingleAsync(e => e.Id == id));

    public Task<List<OutboundEmail>> EmailsOfAsync(Guid enrolmentId) =>
        InTenantAsync(db => db.Set<OutboundEmail>().AsNoTracking().Where(e => e.SourceId == enrolmentId).ToListAsync());

    /// <summary>Plays the sender: records the outcome on the outbound email and tells the observers, in one transaction.</summary>
    public async Task RecordOutcomeAsync(Guid emailId, string status, string? error = null, bool bounced = false, string? suppressAs = null)
    {
        await using var scope = await TenantScopeAsync();
        var db = scope.ServiceProvider.GetRequiredService<SwitchboardDbContext>();
        await using var tx = await db.Database.BeginTransactionAsync();
        var email = await db.Set<OutboundEmail>().SingleAsync(e => e.Id == emailId);
        email.Status = status;
        email.Error = error;
        if (status == OutboundEmailStatus.Sent) email.SentAt = DateTimeOffset.UtcNow;
        if (bounced) email.BouncedAt = DateTimeOffset.UtcNow;
        await db.SaveChangesAsync();
        // As the sender's unsubscribe does: the suppression is added (not yet saved) before the observers hear of it.
        if (suppressAs is not null)
            db.Add(new Suppression { TenantId = email.TenantId, Address = email.ToAddress, Reason = suppressAs, OutboundEmailId = email.Id, CreatedAt = DateTimeOffset.UtcNow });
        foreach (var observer in scope.ServiceProvider.GetServices<IOutboundEmailOutcomeObserver>()) await observer.OnOutcomeAsync(email, CancellationToken.None);
        await db.SaveChangesAsync();
        await tx.CommitAsync();
    }

    /// <summary>Every day, all day: a step's email is never held for the window unless a test says so.</summary>
    public static readonly string[] EveryDay = ["mon", "tue", "wed", "thu", "fri", "sat", "sun"];

    public async Task<Guid> SequenceAsync(HttpClient client, object[] steps, Guid? mailboxId = null, string[]? windowDays = null, string windowFrom = "00:00",
        string windowTo = "23:59", string[]? stopStatuses = null, string? name = null)
    {
        var response = await client.PostAsJsonAsync("/api/v1/sequences", new
        {
            name = name ?? "Seq " + Guid.NewGuid().ToString("N")[..6], mailboxId, steps, windowDays = windowDays ?? EveryDay, windowFrom, windowTo,
            stopStatuses = stopStatuses ?? [],
        });
        if (!response.IsSuccessStatusCode) throw new InvalidOperationException($"{response.StatusCode}: {await response.Content.ReadAsStringAsync()}");
        return (await response.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("id").GetGuid();
    }

    public static async Task<JsonElement> EnrolAsync(HttpClient client, Guid sequence, object body)
    {
        var response = await client.PostAsJsonAsync($"/api/v1/sequences/{sequence}/enrolments", body);
        if (!response.IsSuccessStatusCode) throw new InvalidOperationException($"{response.StatusCode}: {await response.Content.ReadAsStringAsync()}");
        return await response.Content.ReadFromJsonAsync<JsonElement>();
    }

    /// <summary>The enrolment of <paramref name="relatedId"/> in the sequence, as the API lists it.</summary>
    public static async Task<JsonElement> EnrolmentOfAsync(HttpClient client, Guid sequence, Guid relatedId)
    {
        var list = await client.GetFromJsonAsync<JsonElement>($"/api/v1/sequences/{sequence}/enrolments");
        return list.GetProperty("items").EnumerateArray().Single(e => e.GetProperty("relatedId").GetGuid() == relatedId);
    }

    public static async Task<Guid> LeadAsync(HttpClient client, string? email, string lastName = "Lead", Guid? ownerId = null, string? timeZone = null, string? phone = null)
    {
        var response = await client.PostAsJsonAsync("/api/v1/leads", new { firstName = "Lena", lastName, email, ownerId, timeZone, phone });
        if (!response.IsSuccessStatusCode) throw new InvalidOperationException($"{response.StatusCode}: {await response.Content.ReadAsStringAsync()}");
        return (await response.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("id").GetGuid();
    }
}
