namespace Switchboard.Features.Home;

public static class HomeApi
{
    public static IEndpointRouteBuilder MapHomeApi(this IEndpointRouteBuilder app)
    {
        app.MapTenantApi("/home", "Home").RefuseApiKeys()
            .MapGet("/", async (HomeDashboard home, CancellationToken ct) => (await home.BuildAsync(ct)).ToResult(value => Results.Ok(value)))
            .Produces<HomeDto>()
            .WithSummary("The home page's numbers for the caller: an agent's own calls today, what is due today and their dialer queues with callable counts; " +
                         "a manager's or admin's team today, pipeline by stage, won/lost this month, weighted forecast by close month and connect rate per day (30 days).");
        return app;
    }
}
