using Microsoft.EntityFrameworkCore.Diagnostics;

namespace Switchboard.Platform.Database;

/// <summary>
/// An interceptor that only looks at the change tracker before SaveChanges writes: the sync and async entry points both
/// call <see cref="BeforeSave"/>, so a stamp or audit rule is written once and cannot differ between the two.
/// </summary>
public abstract class SavingChangesInterceptor : SaveChangesInterceptor
{
    public sealed override InterceptionResult<int> SavingChanges(DbContextEventData eventData, InterceptionResult<int> result)
    {
        BeforeSave(eventData.Context);
        return result;
    }

    public sealed override ValueTask<InterceptionResult<int>> SavingChangesAsync(
        DbContextEventData eventData, InterceptionResult<int> result, CancellationToken cancellationToken = default)
    {
        BeforeSave(eventData.Context);
        return ValueTask.FromResult(result);
    }

    protected abstract void BeforeSave(DbContext? context);
}
