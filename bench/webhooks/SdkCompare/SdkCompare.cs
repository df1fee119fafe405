using System.Security.Cryptography;
using System.Text;
using BenchmarkDotNet.Attributes;
using BenchmarkDotNet.Configs;
using BenchmarkDotNet.Jobs;
using BenchmarkDotNet.Running;
using BenchmarkDotNet.Toolchains.InProcess.Emit;
using Switchboard.Features.Telephony;
using Switchboard.Features.Telephony.Providers.Twilio;
using SdkDial = Twilio.TwiML.Voice.Dial;
using SdkNumber = Twilio.TwiML.Voice.Number;
using SdkRequestValidator = Twilio.Security.RequestValidator;
using SdkVoiceResponse = Twilio.TwiML.VoiceResponse;

namespace Switchboard.Bench;

/// <summary>
/// What a webhook does per request with each implementation: validate one signed status callback (the hot path)
/// and write one "connect" answer (dial the lead with status and recording callbacks). Same inputs for both.
/// </summary>
[MemoryDiagnoser]
public class SdkCompare
{
    private const string AuthToken = "12345678901234567890123456789012";
    private const string Url = "https://switchboard.example.com/api/v1/telephony/twilio/0193a5c2-7e11-7d55-a3f5-3c8e1f1c0b5d/status";
    private static readonly Uri Status = new(Url);
    private static readonly Uri Recording = new(Url.Replace("/status", "/recording"));

    private readonly List<KeyValuePair<string, string>> _pairs =
    [
        new("AccountSid", "AC0123456789abcdef0123456789abcdef"), new("ApiVersion", "2010-04-01"),
        new("CallSid", "CA0123456789abcdef0123456789abcdef"), new("CallStatus", "in-progress"),
        new("Called", "+14155550100"), new("Caller", "+12125550150"), new("Direction", "outbound-api"),
        new("From", "+12125550150"), new("ParentCallSid", "CAfedcba9876543210fedcba9876543210"),
        new("SequenceNumber", "2"), new("Timestamp", "Thu, 09 Nov 2023 17:05:04 +0000"), new("To", "+14155550100"),
        new("CallbackSource", "call-progress-events"),
    ];

    private Dictionary<string, string> _dictionary = null!;
    private string _signature = null!;

    [GlobalSetup]
    public void Setup()
    {
        _dictionary = _pairs.ToDictionary(p => p.Key, p => p.Value);
        _signature = TwilioSignature.Compute(AuthToken, Url, _pairs);
        var sdk = new SdkRequestValidator(AuthToken).Validate(Url, _dictionary, _signature);
        if (!sdk || !Ours_validate() || Sdk_twiml().Length == 0 || Ours_twiml().Length == 0)
            throw new InvalidOperationException("The two implementations do not agree on the inputs.");
    }

    [Benchmark(Baseline = true), BenchmarkCategory("validate")]
    public bool Ours_validate() => TwilioSignature.IsValid(AuthToken, Url, _pairs, _signature);

    [Benchmark, BenchmarkCategory("validate")]
    public bool Sdk_validate() => new SdkRequestValidator(AuthToken).Validate(Url, _dictionary, _signature);

    [Benchmark(Baseline = true), BenchmarkCategory("twiml")]
    public string Ours_twiml() => TwiML.Of(CallAnswer.Create().Dial(
            new DialOptions { CallerId = "+12125550100", TimeoutSeconds = 30, RecordFromAnswer = true, RecordingStatusCallback = Recording },
            DialTarget.Number("+14155550150") with { StatusCallback = Status }))
        .ToXml();

    [Benchmark, BenchmarkCategory("twiml")]
    public string Sdk_twiml()
    {
        var dial = new SdkDial(callerId: "+12125550100", timeout: 30, record: SdkDial.RecordEnum.RecordFromAnswer, recordingStatusCallback: Recording);
        dial.Append(new SdkNumber(new Twilio.Types.PhoneNumber("+14155550150"),
            statusCallbackEvent: [SdkNumber.EventEnum.Initiated, SdkNumber.EventEnum.Ringing, SdkNumber.EventEnum.Answered, SdkNumber.EventEnum.Completed],
            statusCallback: Status, statusCallbackMethod: Twilio.Http.HttpMethod.Post));
        return new SdkVoiceResponse().Append(dial).ToString();
    }

    public static int Main(string[] args)
    {
        if (args.Contains("--vectors")) return SdkVectors.Run();
        var config = ManualConfig.Create(DefaultConfig.Instance)
            .AddJob(Job.Default.WithToolchain(InProcessEmitToolchain.Instance).WithWarmupCount(3).WithIterationCount(15))
            .WithOptions(ConfigOptions.DisableOptimizationsValidator)
            .AddLogicalGroupRules(BenchmarkLogicalGroupRule.ByCategory);
        BenchmarkRunner.Run<SdkCompare>(config, args);
        return 0;
    }
}
