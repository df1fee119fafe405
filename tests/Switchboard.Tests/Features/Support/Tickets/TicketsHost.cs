using System.Net.Http.Json;
using System.Text.Json;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using MimeKit;
using Npgsql;
using Switchboard.Features.Mailboxes;
using Switchboard.Features.Support.Tickets;
using Switchboard.Platform.Audit;
using Switchboard.Platform.Database;
using Switchboard.Platform.Tenancy;
using Switchboard.Testing;
using Switchboard.Tests.Features.Ai;
using Switchboard.Tests.Features.Mailboxes;

namespace Switchboard.Tests.Features.Support.Tickets;

/// <summary>
/// The mailbox host (real dovecot, a TestSmtpServer per mailbox) with quick job polling, so the inbound-email job that
/// feeds the ticket intake runs soon after a sync. Each test makes its own support inbox, so tests share the tenant
/// but never each other's tickets.
/// </summary>
public class TicketsHost : MailboxHost
{
    protected override IDictionary<string, string?> ExtraSettings => new Dictionary<string, string?>(base.ExtraSettings) { ["Jobs:PollSeconds"] = "0.2" };

    /// <summary>A shared mailbox with the agent as its member, made a support inbox for mail dated from a minute ago.</summary>
    public async Task<SupportInboxFixture> SupportInboxAsync(string name = "support")
    {
        var admin = await As("admin");
        var address = Unique(name);
        var created = await admin.PostAsJsonAsync("/api/v1/mailboxes", await MailboxBodyAsync(address, kind: "shared", memberIds: [Tenant.Users["agent"]]));
        if (!created.IsSuccessStatusCode) throw new InvalidOperationException(await created.Content.ReadAsStringAsync());
        var mailbox = (await created.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("id").GetGuid();
        var marked = await admin.PutAsJsonAsync($"/api/v1/support/inboxes/{mailbox}", new { since = DateTimeOffset.UtcNow.AddMinutes(-1) });
        if (!marked.IsSuccessStatusCode) throw new InvalidOperationException(await marked.Content.ReadAsStringAsync());
        return new SupportInboxFixture(this, mailbox, address);
    }

    public async Task<long> ScalarAsync(string sql, params (string Name, object Value)[] parameters)
    {
        await using var connection = new NpgsqlConnection(Database.SuperuserConnectionString);
        await connection.OpenAsync();
        await using var command = new NpgsqlCommand(sql, connection);
        foreach (var (name, value) in parameters) command.Parameters.AddWithValue(name, value);
        return Convert.ToInt64(await command.ExecuteScalarAsync());
    }

    /// <summary>Runs the ticket intake for a stored email as the inbound-email job does, in the fixture tenant.</summary>
    public async Task RunIntakeAsync(InboundEmail notice)
    {
        await using var scope = Services.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<SwitchboardDbContext>();
        scope.ServiceProvider.GetRequiredService<AuditActor>().ActorName = "test:intake";
        var tenant = await db.Tenants.AsNoTracking().SingleAsync(t => t.Id == Tenant.Id);
        await scope.ServiceProvider.GetRequiredService<TenantContext>().EnterTenantAsync(TenantMessages.Settings(tenant), TenantRole.Superadmin);
        await scope.ServiceProvider.GetRequiredService<TicketIntake>().OnInboundAsync(notice, CancellationToken.None);
    }
}

/// <summary>As <see cref="TicketsHost"/>, with a model configured on the local chat-completions server.</summary>
public sealed class TicketsLlmHost : TicketsHost
{
    public FakeChatCompletionsServer Model { get; private set; } = null!;

    protected override IDictionary<string, string?> ExtraSettings => new Dictionary<string, string?>(base.ExtraSettings)
    {
        ["AI:Endpoint"] = Model.BaseUrl.ToString(), ["AI:Model"] = "configured-model", ["AI:ApiKey"] = "configured-key",
        ["AI:TimeoutSeconds"] = "2", ["AI:MaxRetries"] = "1",
    };

    public override async Task InitializeAsync()
    {
        Model = await FakeChatCompletionsServer.StartAsync();
        await base.InitializeAsync();
    }

    public override async Task DisposeAsync()
    {
        await base.DisposeAsync();
        await Model.DisposeAsync();
    }
}

/// <summary>One support inbox of a test: deliver mail into it (IMAP APPEND to dovecot, then a sync) and read its tickets.</summary>
public sealed record SupportInboxFixture(TicketsHost Host, Guid MailboxId, string Address)
{
    public async Task DeliverAsync(MimeMessage message)
    {
        await Host.Imap.AppendAsync(Address, MailboxHost.ImapPassword, message);
        await MailboxHost.SyncAsync(await Host.As("admin"), MailboxId);
    }

    public async Task<List<JsonElement>> TicketsAsync(HttpClient? client = null)
    {
        var list = await (client ?? await Host.As("admin")).GetFromJsonAsync<JsonElement>("/api/v1/tickets?pageSize=200");
        return list.GetProperty("items").EnumerateArray().Where(t => t.GetProperty("mailboxId").GetGuid() == MailboxId).ToList();
    }

    public Task<List<JsonElement>> TicketsUntilAsync(int count) =>
        Eventually.Until(() => TicketsAsync(), t => t.Count >= count, Eventually.DefaultTimeout, $"{count} ticket(s) on {Address}");

    public async Task<JsonElement> DetailAsync(Guid ticket) => await (await Host.As("admin")).GetFromJsonAsync<JsonElement>($"/api/v1/tickets/{ticket}");

    public Task<JsonElement> DetailUntilAsync(Guid ticket, int messages) =>
        Eventually.Until(() => DetailAsync(ticket), d => d.GetProperty("messages").GetArrayLength() >= messages, Eventually.DefaultTimeout,
            $"{messages} message(s) on ticket {ticket}");
}
