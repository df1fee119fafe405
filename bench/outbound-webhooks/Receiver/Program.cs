// A webhook receiver for bench/outbound-webhooks: reads every POST body whole, answers 204, and counts what it got
// (GET /count). Kestrel on loopback, as a customer's endpoint would be at its fastest.
var count = 0L;
var builder = WebApplication.CreateSlimBuilder(args);
builder.Logging.ClearProviders();
var app = builder.Build();
app.MapPost("/{**path}", async (HttpRequest request) =>
{
    await request.Body.CopyToAsync(Stream.Null);
    Interlocked.Increment(ref count);
    return Results.NoContent();
});
app.MapGet("/count", () => Results.Text(Interlocked.Read(ref count).ToString()));
app.Run();
