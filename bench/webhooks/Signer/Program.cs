using System.Security.Cryptography;
using System.Text;

// Writes pre-signed Twilio status callbacks for bench/webhooks/callbacks.lua, one "signature<TAB>body" per line,
// split round-robin into <out>.0 .. <out>.(threads-1) so each wrk thread replays its own share.
// The signature is Twilio's: Base64(HMAC-SHA1(authToken, url + keys sorted ordinally, each followed by its value)).
// Calls are emitted in blocks: every call of a block gets "initiated", then every call gets "ringing", and so on,
// so 50 connections never race on the same call row and every callback applies a transition.
if (args.Length != 7)
{
    Console.Error.WriteLine("usage: Signer <authToken> <signedUrl> <accountSid> <callSidPrefix> <calls> <threads> <outPrefix>");
    return 2;
}
var (authToken, url, accountSid, prefix) = (args[0], args[1], args[2], args[3]);
var calls = int.Parse(args[4]);
var threads = int.Parse(args[5]);
var outPrefix = args[6];

const int Block = 1000;
string[] statuses = ["initiated", "ringing", "in-progress", "completed"];
var writers = Enumerable.Range(0, threads).Select(t => new StreamWriter($"{outPrefix}.{t}", false, new UTF8Encoding(false))).ToArray();
var key = Encoding.UTF8.GetBytes(authToken);
var start = new DateTimeOffset(2025, 1, 6, 9, 0, 0, TimeSpan.Zero);
var n = 0;
for (var blockStart = 0; blockStart < calls; blockStart += Block)
{
    for (var s = 0; s < statuses.Length; s++)
    {
        for (var c = blockStart; c < Math.Min(calls, blockStart + Block); c++)
        {
            var fields = new List<KeyValuePair<string, string>>
            {
                new("AccountSid", accountSid),
                new("ApiVersion", "2010-04-01"),
                new("CallSid", $"{prefix}{c:D8}"),
                new("CallStatus", statuses[s]),
                new("Called", "+15550100000"),
                new("Caller", $"+1555{2000000 + c % 1000000:D7}"),
                new("Direction", "inbound"),
                new("From", $"+1555{2000000 + c % 1000000:D7}"),
                new("SequenceNumber", s.ToString()),
                new("Timestamp", start.AddSeconds(c + s * 10).ToString("ddd, dd MMM yyyy HH:mm:ss '+0000'")),
                new("To", "+15550100000"),
            };
            if (statuses[s] == "completed") fields.Add(new("CallDuration", "20"));
            var canonical = new StringBuilder(url);
            foreach (var field in fields.OrderBy(f => f.Key, StringComparer.Ordinal)) canonical.Append(field.Key).Append(field.Value);
            var signature = Convert.ToBase64String(HMACSHA1.HashData(key, Encoding.UTF8.GetBytes(canonical.ToString())));
            var body = string.Join('&', fields.Select(f => $"{Uri.EscapeDataString(f.Key)}={Uri.EscapeDataString(f.Value)}"));
            writers[n++ % threads].Write($"{signature}\t{body}\n");
        }
    }
}
foreach (var writer in writers) writer.Dispose();
Console.WriteLine($"signed {n} callbacks for {calls} calls into {outPrefix}.0..{threads - 1}");
return 0;
