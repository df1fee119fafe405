using System.Data.Common;
using Microsoft.EntityFrameworkCore.Diagnostics;
using Npgsql;

namespace Switchboard.Platform.Database;

/// <summary>
/// Puts the scope's tenant and user on every statement EF sends, transaction-local (ADR 0062): in front of each query
/// and bulk statement outside a transaction, and once after each transaction's BEGIN. SaveChanges always runs in a
/// transaction (its row counts are read by position, so nothing goes in front of its statements). One instance serves
/// every (pooled) context: the scope's state lives in <see cref="SwitchboardDbContext.Connection"/>.
/// </summary>
[Singleton]
public sealed class TenantConnectionInterceptor : DbCommandInterceptor, IDbTransactionInterceptor
{
    public override InterceptionResult<DbDataReader> ReaderExecuting(DbCommand command, CommandEventData eventData, InterceptionResult<DbDataReader> result)
    {
        Carry(command, eventData);
        return result;
    }

    public override ValueTask<InterceptionResult<DbDataReader>> ReaderExecutingAsync(DbCommand command, CommandEventData eventData,
        InterceptionResult<DbDataReader> result, CancellationToken cancellationToken = default)
    {
        Carry(command, eventData);
        return ValueTask.FromResult(result);
    }

    public override InterceptionResult<int> NonQueryExecuting(DbCommand command, CommandEventData eventData, InterceptionResult<int> result)
    {
        Carry(command, eventData);
        return result;
    }

    public override ValueTask<InterceptionResult<int>> NonQueryExecutingAsync(DbCommand command, CommandEventData eventData,
        InterceptionResult<int> result, CancellationToken cancellationToken = default)
    {
        Carry(command, eventData);
        return ValueTask.FromResult(result);
    }

    public override InterceptionResult<object> ScalarExecuting(DbCommand command, CommandEventData eventData, InterceptionResult<object> result)
    {
        Carry(command, eventData);
        return result;
    }

    public override ValueTask<InterceptionResult<object>> ScalarExecutingAsync(DbCommand command, CommandEventData eventData,
        InterceptionResult<object> result, CancellationToken cancellationToken = default)
    {
        Carry(command, eventData);
        return ValueTask.FromResult(result);
    }

    public DbTransaction TransactionStarted(DbConnection connection, TransactionEndEventData eventData, DbTransaction result)
    {
        Of(eventData.Context).TransactionStarted(result);
        return result;
    }

    public async ValueTask<DbTransaction> TransactionStartedAsync(DbConnection connection, TransactionEndEventData eventData,
        DbTransaction result, CancellationToken cancellationToken = default)
    {
        await Of(eventData.Context).TransactionStartedAsync(result, cancellationToken);
        return result;
    }

    public DbTransaction TransactionUsed(DbConnection connection, TransactionEventData eventData, DbTransaction result)
    {
        Of(eventData.Context).TransactionStarted(result);
        return result;
    }

    public async ValueTask<DbTransaction> TransactionUsedAsync(DbConnection connection, TransactionEventData eventData,
        DbTransaction result, CancellationToken cancellationToken = default)
    {
        await Of(eventData.Context).TransactionStartedAsync(result, cancellationToken);
        return result;
    }

    public void TransactionCommitted(DbTransaction transaction, TransactionEndEventData eventData) => Of(eventData.Context).TransactionEnded();

    public Task TransactionCommittedAsync(DbTransaction transaction, TransactionEndEventData eventData, CancellationToken cancellationToken = default)
    {
        Of(eventData.Context).TransactionEnded();
        return Task.CompletedTask;
    }

    public void TransactionRolledBack(DbTransaction transaction, TransactionEndEventData eventData) => Of(eventData.Context).TransactionEnded();

    public Task TransactionRolledBackAsync(DbTransaction transaction, TransactionEndEventData eventData, CancellationToken cancellationToken = default)
    {
        Of(eventData.Context).TransactionEnded();
        return Task.CompletedTask;
    }

    public void TransactionFailed(DbTransaction transaction, TransactionErrorEventData eventData) => Of(eventData.Context).TransactionEnded();

    public Task TransactionFailedAsync(DbTransaction transaction, TransactionErrorEventData eventData, CancellationToken cancellationToken = default)
    {
        Of(eventData.Context).TransactionEnded();
        return Task.CompletedTask;
    }

    private static void Carry(DbCommand command, CommandEventData eventData)
    {
        if (eventData.CommandSource == CommandSource.SaveChanges) return;
        command.CommandText = Of(eventData.Context).Carry(command.CommandText);
    }

    private static TenantConnection Of(DbContext? context) =>
        (context as SwitchboardDbContext)?.Connection
        ?? throw new InvalidOperationException("TenantConnectionInterceptor serves SwitchboardDbContext only.");
}

/// <summary>What RLS reads for a statement: tenant, user, and whether the platform path is on.</summary>
public readonly record struct SessionSettings(Guid? TenantId, Guid? UserId, bool Platform);
