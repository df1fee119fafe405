using Microsoft.EntityFrameworkCore.Storage;

namespace Switchboard.Platform.Database;

/// <summary>
/// A transaction scope that joins the caller's transaction when there is one, so services that need
/// atomicity can be composed (the demo seeder configures a provider inside its own transaction). Only
/// the scope that began the transaction commits it; disposing an uncommitted owner rolls back.
/// </summary>
public sealed class UnitOfWork : IAsyncDisposable
{
    private readonly IDbContextTransaction? _owned;

    private UnitOfWork(IDbContextTransaction? owned) => _owned = owned;

    public static async Task<UnitOfWork> BeginAsync(DbContext db, CancellationToken ct) =>
        new(db.Database.CurrentTransaction is null ? await db.Database.BeginTransactionAsync(ct) : null);

    public Task CommitAsync(CancellationToken ct) => _owned?.CommitAsync(ct) ?? Task.CompletedTask;

    public ValueTask DisposeAsync() => _owned?.DisposeAsync() ?? ValueTask.CompletedTask;
}

public static class UnitOfWorkExtensions
{
    public static Task<UnitOfWork> BeginUnitOfWorkAsync(this DbContext db, CancellationToken ct) => UnitOfWork.BeginAsync(db, ct);
}
