using System.Buffers;
using System.Collections.Concurrent;
using System.IO.Pipelines;
using System.Net;
using System.Net.Sockets;
using System.Security.Authentication;
using System.Security.Cryptography.X509Certificates;
using MimeKit;
using SmtpServer;
using SmtpServer.ComponentModel;
using SmtpServer.Mail;
using SmtpServer.Net;
using SmtpServer.IO;
using SmtpServer.Protocol;
using SmtpServer.Storage;

namespace PocDirectory.TestSupport;

/// <summary>
/// A real SMTP server on a loopback port, in-process, for tests. It keeps every message it accepts (parsed with
/// MimeKit) and can refuse chosen recipients with 550, as a mail server does for an unknown mailbox.
/// </summary>
public sealed class TestSmtpServer : IAsyncDisposable
{
    private readonly CancellationTokenSource _stop = new();
    private readonly Lock _messagesLock = new();
    private readonly List<MimeMessage> _messages = [];
    private readonly List<(string To, DateTimeOffset At)> _receivedAt = [];
    private readonly List<(int Count, TaskCompletionSource Signal)> _waiters = [];
    private readonly ConcurrentDictionary<string, byte> _rejectedRecipients = new(StringComparer.OrdinalIgnoreCase);
    private readonly Lock _holdLock = new();
    private (Func<MimeMessage, bool> Which, TaskCompletionSource<MimeMessage> Held)? _hold;
    private TaskCompletionSource? _heldReply;
    private Task _running = Task.CompletedTask;
    private int _sessionCount;
    private int _openSessions;

    private TestSmtpServer()
    {
    }

    /// <summary>The port the server listens on, on 127.0.0.1.</summary>
    public int Port { get; private set; }

    /// <summary>How many SMTP connections clients have opened, to check that a sender reuses its connection.</summary>
    public int SessionCount => Volatile.Read(ref _sessionCount);

    /// <summary>
    /// Connections still open. After a sender is killed, a message it had finished sending may still be in the server's
    /// hands; once this is 0, <see cref="Messages"/> holds everything the server will ever accept from it.
    /// </summary>
    public int OpenSessions => Volatile.Read(ref _openSessions);

    /// <summary>The messages received so far, in arrival order.</summary>
    public IReadOnlyList<MimeMessage> Messages
    {
        get
        {
            lock (_messagesLock)
            {
                return [.. _messages];
            }
        }
    }

    /// <summary>When each message arrived (its first recipient, and the moment it was stored), in arrival order: to measure a pace.</summary>
    public IReadOnlyList<(string To, DateTimeOffset At)> ReceivedAt
    {
        get
        {
            lock (_messagesLock)
            {
                return [.. _receivedAt];
            }
        }
    }

    /// <summary>The messages received after the first <paramref name="count"/>, copying only those (a reader that follows a long run).</summary>
    public IReadOnlyList<MimeMessage> MessagesAfter(int count)
    {
        lock (_messagesLock)
        {
            return count >= _messages.Count ? [] : _messages.GetRange(count, _messages.Count - count);
        }
    }

    /// <summary>Starts a server on the given loopback port, or on a free one when <paramref name="port"/> is 0.</summary>
    public static async Task<TestSmtpServer> StartAsync(int port = 0)
    {
        var server = new TestSmtpServer();
        await server.ListenAsync(port);
        return server;
    }

    /// <summary>Makes the server answer 550 to RCPT TO for this address (case-insensitive).</summary>
    public void RejectRecipient(string address)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(address);
        _rejectedRecipients[address] = 0;
    }

    /// <summary>
    /// Completes as soon as at least <paramref name="count"/> messages have arrived and returns all received so far;
    /// throws <see cref="TimeoutException"/> if they do not arrive in time.
    /// </summary>
    public async Task<IReadOnlyList<MimeMessage>> WaitForMessagesAsync(int count, TimeSpan timeout)
    {
        var waiter = (Count: count, Signal: new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously));
        lock (_messagesLock)
        {
            if (_messages.Count >= count)
            {
                return [.. _messages];
            }

            _waiters.Add(waiter);
        }

        try
        {
            await waiter.Signal.Task.WaitAsync(timeout);
        }
        catch (TimeoutException)
        {
            lock (_messagesLock)
            {
                _waiters.Remove(waiter);
                throw new TimeoutException($"Expected {count} message(s) within {timeout}, received {_messages.Count}.");
            }
        }

        return Messages;
    }

    /// <summary>
    /// Holds back the reply to the next accepted message that matches <paramref name="which"/>: the server has stored it,
    /// but its sender does not hear "250 OK" until <see cref="ReleaseHeldReply"/>. Completes with the message once it is
    /// held. For crash tests: a sender that dies now cannot know whether its message went out, the one moment an
    /// at-least-once sender sends again.
    /// </summary>
    public Task<MimeMessage> HoldNextReplyAsync(Func<MimeMessage, bool> which)
    {
        lock (_holdLock)
        {
            if (_hold is not null || _heldReply is not null)
            {
                throw new InvalidOperationException("A reply is already held or waited for.");
            }

            var held = new TaskCompletionSource<MimeMessage>(TaskCreationOptions.RunContinuationsAsynchronously);
            _hold = (which, held);
            return held.Task;
        }
    }

    /// <summary>Lets the held reply go (to a sender that may no longer be there).</summary>
    public void ReleaseHeldReply()
    {
        lock (_holdLock)
        {
            _heldReply?.TrySetResult();
            _heldReply = null;
            _hold = null;
        }
    }

    public async ValueTask DisposeAsync()
    {
        ReleaseHeldReply();
        // Cancelling (rather than a graceful shutdown) also ends sessions that clients keep open.
        await _stop.CancelAsync();
        try
        {
            await _running;
        }
        catch (OperationCanceledException)
        {
        }

        _stop.Dispose();
    }

    private async Task ListenAsync(int port)
    {
        var listening = new TaskCompletionSource<int>(TaskCreationOptions.RunContinuationsAsynchronously);
        var listenerFactory = new NoDelayListenerFactory(boundPort => listening.TrySetResult(boundPort));

        var options = new SmtpServerOptionsBuilder()
            .ServerName("localhost")
            .Endpoint(endpoint => endpoint.Endpoint(new IPEndPoint(IPAddress.Loopback, port)))
            .Build();

        var services = new SmtpServer.ComponentModel.ServiceProvider();
        services.Add(listenerFactory);
        services.Add(new RecipientFilter(this));
        services.Add(new CollectingStore(this));

        var server = new SmtpServer.SmtpServer(options, services);
        server.SessionCreated += (_, _) =>
        {
            Interlocked.Increment(ref _sessionCount);
            Interlocked.Increment(ref _openSessions);
        };
        server.SessionCompleted += (_, _) => Interlocked.Decrement(ref _openSessions);
        server.SessionFaulted += (_, _) => Interlocked.Decrement(ref _openSessions);
        server.SessionCancelled += (_, _) => Interlocked.Decrement(ref _openSessions);

        _running = Task.Run(() => server.StartAsync(_stop.Token));

        // The port is known only once the listener is bound; a bind failure surfaces from the server task instead.
        var first = await Task.WhenAny(listening.Task, _running);
        if (first != listening.Task)
        {
            await _running;
            throw new InvalidOperationException("The test SMTP server stopped before it started listening.");
        }

        Port = await listening.Task;
    }

    /// <summary>The task to wait on before replying, when a hold is armed and this message is the one.</summary>
    private Task? HoldFor(MimeMessage message)
    {
        lock (_holdLock)
        {
            if (_hold is not { } hold || !hold.Which(message))
            {
                return null;
            }

            _hold = null;
            _heldReply = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
            hold.Held.TrySetResult(message);
            return _heldReply.Task;
        }
    }

    private void Add(MimeMessage message)
    {
        lock (_messagesLock)
        {
            _messages.Add(message);
            _receivedAt.Add((message.To.Mailboxes.FirstOrDefault()?.Address ?? string.Empty, DateTimeOffset.UtcNow));
            foreach (var waiter in _waiters.Where(w => _messages.Count >= w.Count).ToList())
            {
                _waiters.Remove(waiter);
                waiter.Signal.TrySetResult();
            }
        }
    }

    /// <summary>
    /// Listens like the library's own listener but turns Nagle's algorithm off on each accepted connection. With it on,
    /// the server's multi-segment replies meet the client's delayed ACK and every message costs ~40 ms of waiting
    /// (measured: 47 ms a message before, see docs/performance.md), which made the server, not the code under test,
    /// the bottleneck of every campaign benchmark.
    /// </summary>
    private sealed class NoDelayListenerFactory(Action<int> started) : IEndpointListenerFactory
    {
        public IEndpointListener CreateListener(IEndpointDefinition endpointDefinition)
        {
            var listener = new TcpListener(endpointDefinition.Endpoint);
            listener.Start();
            started(((IPEndPoint)listener.LocalEndpoint).Port);
            return new Listener(listener);
        }

        private sealed class Listener(TcpListener listener) : IEndpointListener
        {
            public async Task<ISecurableDuplexPipe> GetPipeAsync(ISessionContext context, CancellationToken cancellationToken)
            {
                var client = await listener.AcceptTcpClientAsync(cancellationToken);
                client.NoDelay = true;
                context.Properties[EndpointListener.RemoteEndPointKey] = client.Client.RemoteEndPoint;
                return new PlainPipe(client);
            }

            public void Dispose() => listener.Stop();
        }

        /// <summary>A cleartext pipe over the connection; the test server never offers STARTTLS.</summary>
        private sealed class PlainPipe(TcpClient client) : ISecurableDuplexPipe
        {
            public PipeReader Input { get; } = PipeReader.Create(client.GetStream());

            public PipeWriter Output { get; } = PipeWriter.Create(client.GetStream());

            public bool IsSecure => false;

            public SslProtocols SslProtocol => SslProtocols.None;

            public Task UpgradeAsync(X509Certificate certificate, SslProtocols protocols, CancellationToken cancellationToken = default) =>
                throw new NotSupportedException("The test SMTP server does not offer TLS.");

            public void Dispose() => client.Dispose();
        }
    }

    private sealed class RecipientFilter(TestSmtpServer server) : IMailboxFilter
    {
        public Task<bool> CanAcceptFromAsync(ISessionContext context, IMailbox from, int size, CancellationToken cancellationToken) =>
            Task.FromResult(true);

        // Answering false makes the server reply 550 (mailbox unavailable).
        public Task<bool> CanDeliverToAsync(ISessionContext context, IMailbox to, IMailbox from, CancellationToken cancellationToken) =>
            Task.FromResult(!server._rejectedRecipients.ContainsKey(to.AsAddress()));
    }

    private sealed class CollectingStore(TestSmtpServer server) : MessageStore
    {
        public override async Task<SmtpResponse> SaveAsync(
            ISessionContext context,
            IMessageTransaction transaction,
            ReadOnlySequence<byte> buffer,
            CancellationToken cancellationToken)
        {
            using var stream = new MemoryStream(buffer.ToArray());
            var message = await MimeMessage.LoadAsync(stream, cancellationToken);
            server.Add(message);
            if (server.HoldFor(message) is { } release)
            {
                await release;
            }

            return SmtpResponse.Ok;
        }
    }
}
