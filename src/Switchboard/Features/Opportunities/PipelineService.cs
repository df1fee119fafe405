namespace Switchboard.Features.Opportunities;

/// <summary>Pipelines and their ordered stages: the default "Sales" pipeline on first use, and admin management.</summary>
[Scoped]
public sealed class PipelineService(SwitchboardDbContext db, TenantContext ctx, TimeProvider clock) : IRecordStore<PipelineDto, PipelineWrite>
{
    private static readonly (string Name, int Probability, string Kind)[] DefaultStages =
    [
        ("Qualification", 10, StageKinds.Open), ("Needs analysis", 25, StageKinds.Open), ("Proposal", 50, StageKinds.Open),
        ("Negotiation", 75, StageKinds.Open), ("Won", 100, StageKinds.Won), ("Lost", 0, StageKinds.Lost),
    ];

    /// <summary>
    /// Creates the tenant's default pipeline when it has none. One statement, "on conflict do nothing" on the
    /// unique default index: concurrent first requests create it exactly once, and existing tenants get it lazily.
    /// </summary>
    public async Task EnsureDefaultAsync(CancellationToken ct)
    {
        if (await db.Set<Pipeline>().AnyAsync(p => p.IsDefault, ct)) return;
        var tenantId = ctx.RequiredTenantId;
        var now = clock.GetUtcNow();
        var stageIds = DefaultStages.Select(_ => Guid.CreateVersion7()).ToArray();
        await db.Database.ExecuteSqlAsync($"""
            with created as (
              insert into pipelines (tenant_id, id, name, position, is_default, created_at, updated_at)
              values ({tenantId}, {Guid.CreateVersion7()}, 'Sales', 0, true, {now}, {now})
              on conflict do nothing
              returning id)
            insert into pipeline_stages (tenant_id, id, pipeline_id, name, position, probability, kind)
            select {tenantId}, s.id, created.id, s.name, s.position, s.probability, s.kind
            from created cross join unnest({stageIds}, {DefaultStages.Select(s => s.Name).ToArray()},
                 {Enumerable.Range(0, DefaultStages.Length).ToArray()}, {DefaultStages.Select(s => s.Probability).ToArray()},
                 {DefaultStages.Select(s => s.Kind).ToArray()}) as s(id, name, position, probability, kind)
            """, ct);
        // A tenant that already named a pipeline "Sales" gets its first pipeline as the default instead.
        if (await db.Set<Pipeline>().AnyAsync(p => p.IsDefault, ct)) return;
        try
        {
            await db.Database.ExecuteSqlAsync($"""
                update pipelines set is_default = true
                where id = (select id from pipelines order by position, created_at limit 1)
                  and not exists (select 1 from pipelines where is_default)
                """, ct);
        }
        catch (Exception e) when (DatabaseErrors.IsUniqueViolation(e, out _))
        {
            // Someone else made one the default at the same moment; that is the outcome we wanted.
        }
    }

    public async Task<IReadOnlyList<PipelineDto>> ListAsync(CancellationToken ct)
    {
        await EnsureDefaultAsync(ct);
        var pipelines = await db.Set<Pipeline>().AsNoTracking().Include(p => p.Stages)
            .OrderBy(p => p.Position).ThenBy(p => p.CreatedAt).ToListAsync(ct);
        return pipelines.Select(ToDto).ToList();
    }

    public async Task<PipelineDto?> FindAsync(Guid id, CancellationToken ct) =>
        await db.Set<Pipeline>().AsNoTracking().Include(p => p.Stages).SingleOrDefaultAsync(p => p.Id == id, ct) is { } p ? ToDto(p) : null;

    /// <summary>The pipeline to use when none is named: the tenant's default (created if needed).</summary>
    public async Task<Pipeline> DefaultAsync(CancellationToken ct)
    {
        await EnsureDefaultAsync(ct);
        return await db.Set<Pipeline>().AsNoTracking().Include(p => p.Stages).SingleAsync(p => p.IsDefault, ct);
    }

    public async Task<Outcome<PipelineDto>> CreateAsync(PipelineWrite body, CancellationToken ct)
    {
        if (!OpportunityPermissions.CanManagePipelines(ctx)) return new Outcome<PipelineDto>.Forbidden("Only administrators can manage pipelines.");
        await EnsureDefaultAsync(ct);
        var errors = body.BindingErrors();
        if (body.Version.Sent) errors.Add("version", "'version' cannot be set on create.");
        if (body.IsDefault.Sent) errors.Add("isDefault", "Create the pipeline first, then make it the default with PATCH.");
        var name = body.Name.Value;
        errors.Required("name", name, "Name", 100);
        if (!body.Stages.Sent) errors.Add("stages", "A pipeline needs its stages.");
        var stages = StagesOf(body.Stages, [], errors);
        var position = body.Position is { IsSet: true, Value: { } p } ? p
            : (await db.Set<Pipeline>().MaxAsync(x => (int?)x.Position, ct) ?? -1) + 1;
        if (!errors.IsValid) return new Outcome<PipelineDto>.Invalid(errors.ToDictionary());

        var pipeline = new Pipeline { Id = Guid.CreateVersion7(), Name = name!, Position = position };
        pipeline.Stages.AddRange(stages!.Select((s, i) => new PipelineStage
        {
            Id = Guid.CreateVersion7(), PipelineId = pipeline.Id, Name = s.Name, Position = i, Probability = s.Probability, Kind = s.Kind,
        }));
        db.Add(pipeline);
        try
        {
            await db.SaveChangesAsync(ct);
        }
        catch (DbUpdateException e) when (DatabaseErrors.IsUniqueViolation(e, out _))
        {
            return new Outcome<PipelineDto>.Invalid(new Dictionary<string, string[]> { ["name"] = [$"A pipeline named '{name}' already exists."] });
        }
        return ToDto(pipeline);
    }

    public async Task<Outcome<PipelineDto>> UpdateAsync(Guid id, PipelineWrite patch, int? ifMatch, CancellationToken ct)
    {
        var pipeline = await db.Set<Pipeline>().Include(p => p.Stages).SingleOrDefaultAsync(p => p.Id == id, ct);
        if (pipeline is null) return new Outcome<PipelineDto>.NotFound();
        if (!OpportunityPermissions.CanManagePipelines(ctx)) return new Outcome<PipelineDto>.Forbidden("Only administrators can manage pipelines.");
        if (ifMatch is { } expected && expected != pipeline.Version)
            return new Outcome<PipelineDto>.PreconditionFailed($"The pipeline has changed since version {expected}; it is now at version {pipeline.Version}. Reload and retry.");
        var errors = patch.BindingErrors();
        if (patch.Version is { IsSet: true, Value: { } v } && v != pipeline.Version)
            return new Outcome<PipelineDto>.Conflict($"The pipeline has changed since version {v}; it is now at version {pipeline.Version}. Reload and retry.");
        if (patch.Name is { IsSet: true } name)
        {
            errors.Required("name", name.Value, "Name", 100);
            pipeline.Name = name.Value ?? "";
        }
        if (patch.Position is { IsSet: true, Value: { } position }) pipeline.Position = position;
        var makeDefault = patch.IsDefault is { IsSet: true, Value: true };
        if (patch.IsDefault is { IsSet: true, Value: false } && pipeline.IsDefault)
            errors.Add("isDefault", "Make another pipeline the default instead.");
        var stages = StagesOf(patch.Stages, pipeline.Stages.Select(s => s.Id).ToHashSet(), errors);
        if (!errors.IsValid) return new Outcome<PipelineDto>.Invalid(errors.ToDictionary());

        await using var unit = await db.BeginUnitOfWorkAsync(ct);
        if (stages is not null)
        {
            var keep = stages.Where(s => s.Id is not null).Select(s => s.Id!.Value).ToHashSet();
            var removed = pipeline.Stages.Where(s => !keep.Contains(s.Id)).ToList();
            var removedIds = removed.Select(s => s.Id).ToList();
            if (await db.Set<Opportunity>().AnyAsync(o => removedIds.Contains(o.StageId), ct))
                return new Outcome<PipelineDto>.Conflict("A stage that still has opportunities cannot be removed. Move them to another stage first.");
            // Positions are unique per pipeline: park the kept stages on negative positions, then renumber.
            foreach (var (stage, index) in pipeline.Stages.Where(s => keep.Contains(s.Id)).Select((s, i) => (s, i))) stage.Position = -1 - index;
            foreach (var stage in removed) pipeline.Stages.Remove(stage);
            db.RemoveRange(removed);
            await db.SaveChangesAsync(ct);
            for (var i = 0; i < stages.Count; i++)
            {
                var write = stages[i];
                var stage = write.Id is { } stageId ? pipeline.Stages.Single(s => s.Id == stageId) : null;
                if (stage is null)
                {
                    stage = new PipelineStage { Id = Guid.CreateVersion7(), PipelineId = pipeline.Id, Name = write.Name };
                    pipeline.Stages.Add(stage);
                }
                (stage.Name, stage.Position, stage.Probability, stage.Kind) = (write.Name, i, write.Probability, write.Kind);
            }
        }
        if (makeDefault && !pipeline.IsDefault)
        {
            await db.Set<Pipeline>().Where(p => p.IsDefault).ExecuteUpdateAsync(u => u.SetProperty(p => p.IsDefault, false), ct);
            pipeline.IsDefault = true;
        }
        db.Touch(pipeline); // its stages are part of it
        try
        {
            await db.SaveChangesAsync(ct);
            await unit.CommitAsync(ct);
        }
        catch (DbUpdateConcurrencyException)
        {
            return RecordSave.Conflict<PipelineDto>("pipeline");
        }
        catch (DbUpdateException e) when (DatabaseErrors.IsUniqueViolation(e, out _))
        {
            return new Outcome<PipelineDto>.Invalid(new Dictionary<string, string[]> { ["name"] = [$"A pipeline named '{pipeline.Name}' already exists."] });
        }
        return ToDto(pipeline);
    }

    public async Task<Outcome<bool>> DeleteAsync(Guid id, CancellationToken ct)
    {
        var pipeline = await db.Set<Pipeline>().SingleOrDefaultAsync(p => p.Id == id, ct);
        if (pipeline is null) return new Outcome<bool>.NotFound();
        if (!OpportunityPermissions.CanManagePipelines(ctx)) return new Outcome<bool>.Forbidden("Only administrators can manage pipelines.");
        if (pipeline.IsDefault) return new Outcome<bool>.Conflict("The default pipeline cannot be deleted. Make another pipeline the default first.");
        if (await db.Set<Opportunity>().AnyAsync(o => o.PipelineId == id, ct))
            return new Outcome<bool>.Conflict("The pipeline still has opportunities. Move or delete them first.");
        db.Remove(pipeline);
        await db.SaveChangesAsync(ct);
        return true;
    }

    /// <summary>A stage as checked: every member present (kind and probability defaulted).</summary>
    private sealed record CheckedStage(Guid? Id, string Name, int Probability, string Kind);

    /// <summary>Checks the stage list when sent: at least one open stage, exactly one won and one lost. Null when not sent or not a list.</summary>
    private static List<CheckedStage>? StagesOf(Optional<IReadOnlyList<StageWrite>?> member, HashSet<Guid> existing, ValidationErrors errors)
    {
        if (member is { IsSet: true, Value: null }) errors.Add("stages", "'stages' must be an array of { id?, name, probability, kind }.");
        if (member.Value is not { } written) return null;
        var stages = new List<CheckedStage>();
        foreach (var (item, index) in written.Select((item, index) => (item, index)))
        {
            if (item is null) continue; // reported by the reader
            var stageErrors = new ValidationErrors();
            var stageId = item.Id.Value;
            var name = item.Name.Value;
            var kind = item.Kind.OneOf("kind", StageKinds.All, stageErrors).Value ?? StageKinds.Open;
            var probability = item.Probability.Value ?? (kind == StageKinds.Won ? 100 : kind == StageKinds.Lost ? 0 : null);
            stageErrors.Required("name", name, "Name", 100);
            if (probability is null) stageErrors.Add("probability", "Probability is required for open stages.");
            else if (probability is < 0 or > 100) stageErrors.Add("probability", "Probability must be between 0 and 100.");
            if (stageId is { } sid && !existing.Contains(sid)) stageErrors.Add("id", "This stage is not part of this pipeline.");
            errors.AddNested($"stages[{index}].", stageErrors);
            stages.Add(new CheckedStage(stageId, name ?? "", probability ?? 0, kind));
        }
        if (stages.Count(s => s.Kind == StageKinds.Open) < 1) errors.Add("stages", "A pipeline needs at least one open stage.");
        if (stages.Count(s => s.Kind == StageKinds.Won) != 1) errors.Add("stages", "A pipeline needs exactly one won stage.");
        if (stages.Count(s => s.Kind == StageKinds.Lost) != 1) errors.Add("stages", "A pipeline needs exactly one lost stage.");
        if (stages.Where(s => s.Id is not null).GroupBy(s => s.Id).Any(g => g.Count() > 1)) errors.Add("stages", "A stage id appears twice.");
        return stages;
    }

    public static PipelineDto ToDto(Pipeline p) => new(
        p.Id, p.Name, p.Position, p.IsDefault,
        p.Stages.OrderBy(s => s.Position).Select(s => new StageDto(s.Id, s.Name, s.Position, s.Probability, s.Kind)).ToList(), p.Version);
}
