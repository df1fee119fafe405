using Npgsql;

namespace Switchboard.Testing;

/// <summary>
/// Rows for the home page's numbers, inserted directly as the database superuser (as CallReportsTests does), so a test
/// sets exactly the times, stages and amounts it asserts on.
/// </summary>
public sealed class HomeSeed(TestDatabase database, Guid tenantId)
{
    public const string Zone = "America/New_York";

    /// <summary>The start of the tenant's (New York) day containing <paramref name="now"/>, and of the next one.</summary>
    public static (DateTimeOffset Start, DateTimeOffset End) Today(DateTimeOffset now)
    {
        var zone = TimeZoneInfo.FindSystemTimeZoneById(Zone);
        var local = DateOnly.FromDateTime(TimeZoneInfo.ConvertTime(now, zone).DateTime);
        return (StartOf(local, zone), StartOf(local.AddDays(1), zone));
    }

    public static DateOnly LocalDate(DateTimeOffset instant) =>
        DateOnly.FromDateTime(TimeZoneInfo.ConvertTime(instant, TimeZoneInfo.FindSystemTimeZoneById(Zone)).DateTime);

    private static DateTimeOffset StartOf(DateOnly day, TimeZoneInfo zone)
    {
        var local = day.ToDateTime(TimeOnly.MinValue);
        return new DateTimeOffset(local, zone.GetUtcOffset(local)).ToUniversalTime();
    }

    private async Task<int> ExecuteAsync(string sql, params (string Name, object? Value)[] parameters)
    {
        await using var connection = new NpgsqlConnection(database.SuperuserConnectionString);
        await connection.OpenAsync();
        await using var command = new NpgsqlCommand(sql, connection);
        command.Parameters.AddWithValue("tenant", tenantId);
        foreach (var (name, value) in parameters) command.Parameters.AddWithValue(name, value ?? DBNull.Value);
        return await command.ExecuteNonQueryAsync();
    }

    /// <summary>A finished call; answered ones connected after 5 seconds and talked <paramref name="talkSeconds"/>.</summary>
    public Task CallAsync(Guid agentId, DateTimeOffset createdAt, bool answered, int talkSeconds = 0, string direction = "outbound") =>
        ExecuteAsync("""
            insert into calls (tenant_id, id, direction, from_number, to_number, agent_id, provider, status, created_at, answered_at, ended_at, duration_seconds, updated_at)
            values (@tenant, @id, @direction, '+12125550100', '+12125550150', @agent, 'twilio', 'completed', @created,
                    case when @answered then @created + interval '5 seconds' end, @created + interval '10 minutes',
                    case when @answered then @talk end, @created)
            """, ("id", Guid.CreateVersion7()), ("direction", direction), ("agent", agentId), ("created", createdAt), ("answered", answered), ("talk", talkSeconds));

    public Task CallbackAsync(Guid leadId, DateTimeOffset? at) =>
        ExecuteAsync("update leads set callback_at = @at where tenant_id = @tenant and id = @id", ("id", leadId), ("at", at));

    public async Task<Guid> TaskAsync(Guid assigneeId, string subject, DateTimeOffset? dueAt, Guid? leadId = null, bool completed = false)
    {
        var id = Guid.CreateVersion7();
        await ExecuteAsync("""
            insert into activities (tenant_id, id, type, subject, due_at, priority, status, assignee_id, related_type, related_id, completed_at, created_by, created_at, updated_at)
            values (@tenant, @id, 'task', @subject, @due, 'high', @status, @assignee, @relatedType, @related, @completedAt, @assignee, now(), now())
            """, ("id", id), ("subject", subject), ("due", dueAt), ("status", completed ? "completed" : "pending"), ("assignee", assigneeId),
            ("relatedType", leadId is null ? null : "lead"), ("related", leadId), ("completedAt", completed ? (object)DateTimeOffset.UtcNow : null));
        return id;
    }

    /// <summary>A pipeline with two open stages (20% and 50%), a won and a lost stage.</summary>
    public async Task<SeededPipeline> PipelineAsync(string name = "Home test pipeline")
    {
        var pipeline = new SeededPipeline(Guid.CreateVersion7(), Guid.CreateVersion7(), Guid.CreateVersion7(), Guid.CreateVersion7(), Guid.CreateVersion7());
        await ExecuteAsync("""
            insert into pipelines (tenant_id, id, name, position, is_default, created_at, updated_at) values (@tenant, @id, @name, 90, false, now(), now());
            insert into pipeline_stages (tenant_id, id, pipeline_id, name, position, probability, kind) values
              (@tenant, @discovery, @id, 'Discovery', 0, 20, 'open'),
              (@tenant, @proposal, @id, 'Proposal', 1, 50, 'open'),
              (@tenant, @won, @id, 'Closed won', 2, 100, 'won'),
              (@tenant, @lost, @id, 'Closed lost', 3, 0, 'lost');
            """, ("id", pipeline.Id), ("name", name), ("discovery", pipeline.Discovery), ("proposal", pipeline.Proposal), ("won", pipeline.Won), ("lost", pipeline.Lost));
        return pipeline;
    }

    public Task OpportunityAsync(
        SeededPipeline pipeline, Guid stageId, string name, decimal? amount, int probability, DateOnly? expectedClose = null,
        DateTimeOffset? closedAt = null, string currency = "USD", Guid? ownerId = null) =>
        ExecuteAsync("""
            insert into opportunities (tenant_id, id, name, amount, currency, pipeline_id, stage_id, probability, expected_close, owner_id, lost_reason, closed_at, created_at, updated_at)
            values (@tenant, @id, @name, @amount, @currency, @pipeline, @stage, @probability, @expected, @owner,
                    case when @stage = @lost then 'Too expensive' end, @closed, now(), now())
            """, ("id", Guid.CreateVersion7()), ("name", name), ("amount", amount), ("currency", currency), ("pipeline", pipeline.Id), ("stage", stageId),
            ("probability", probability), ("expected", expectedClose), ("owner", ownerId), ("lost", pipeline.Lost), ("closed", closedAt));
}

public sealed record SeededPipeline(Guid Id, Guid Discovery, Guid Proposal, Guid Won, Guid Lost);
