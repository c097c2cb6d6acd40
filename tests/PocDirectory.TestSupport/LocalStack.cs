namespace PocDirectory.TestSupport;

/// <summary>What the system needs to run locally, started together: Azurite, an SMTP server and the local runner.</summary>
public sealed class LocalStack : IAsyncDisposable
{
    private LocalStack(Azurite azurite, TestSmtpServer smtp)
    {
        Azurite = azurite;
        Smtp = smtp;
    }

    public Azurite Azurite { get; }

    /// <summary>The SMTP server the runner sends to; replaced by <see cref="WithSmtpDownAsync"/>.</summary>
    public TestSmtpServer Smtp { get; private set; }

    public LocalRunner Runner { get; private set; } = null!;

    /// <summary>
    /// Starts the stack with <see cref="RunnerSettings.For"/>, changed by <paramref name="configure"/>; with
    /// <paramref name="persistentStorage"/>, Azurite keeps its data on disk so it can be stopped and started (an outage).
    /// </summary>
    public static async Task<LocalStack> StartAsync(Action<Dictionary<string, string?>>? configure = null, bool persistentStorage = false)
    {
        var stack = new LocalStack(await Azurite.StartAsync(persistentStorage), await TestSmtpServer.StartAsync());
        var settings = RunnerSettings.For(stack.Azurite, stack.Smtp.Port);
        configure?.Invoke(settings);
        stack.Runner = await LocalRunner.StartAsync(settings);
        return stack;
    }

    /// <summary>Stops the SMTP server for the duration of <paramref name="outage"/>, then starts a new one on the same port.</summary>
    public async Task WithSmtpDownAsync(Func<Task> outage)
    {
        var port = Smtp.Port;
        await Smtp.DisposeAsync();
        try
        {
            await outage();
        }
        finally
        {
            Smtp = await TestSmtpServer.StartAsync(port);
        }
    }

    public async ValueTask DisposeAsync()
    {
        if (Runner is not null)
        {
            await Runner.DisposeAsync();
        }

        await Smtp.DisposeAsync();
        await Azurite.DisposeAsync();
    }
}
