using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using XmppGroupChat.Component;

namespace XmppGroupChat.Hosting;

/// <summary>
/// Keeps every link of the program up: opens the composition root with the links' outbound ends,
/// connects each link to where its stanzas go, and on stop lets the links flush before the root (and
/// its storage) closes. A configuration error on any link ends the process.
/// </summary>
internal sealed class LinkService(
    IServiceProvider services,
    ILoggerFactory loggers,
    IHostApplicationLifetime lifetime,
    ExitCode exitCode) : BackgroundService
{
    private readonly ILogger _logger = loggers.CreateLogger("XmppGroupChat.Hosting");

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        List<ComponentLink> links;
        IComponentRoot? root = null;
        try
        {
            var storage = services.GetRequiredService<StorageSettings>();
            Log.DataDirectory(_logger, storage.Path);
            foreach (var startup in services.GetServices<StartupTask>())
                await startup.Run(services, stoppingToken);
            var definitions = services.GetServices<LinkDefinition>()
                .Concat(services.GetService<IReadOnlyList<LinkDefinition>>() ?? []).ToList();
            var senders = definitions.ToDictionary(d => d.Options.Domain, d => new LinkSender(d.Options), StringComparer.OrdinalIgnoreCase);
            if (services.GetService<ComponentRootDefinition>() is { } composition)
                root = await composition.Open(services, senders, stoppingToken);
            var group = new LinkGroup();
            links = definitions.Select(d =>
            {
                var logger = loggers.CreateLogger($"XmppGroupChat.Link.{d.Options.Domain}");
                var sender = senders[d.Options.Domain];
                IInboundStanzas inbound;
                if (d.Configure is { } configure)
                {
                    var router = new StanzaRouter(logger);
                    configure(router, sender, services);
                    inbound = router.For(sender);
                }
                else inbound = root!.InboundFor(d.Options.Domain);
                Log.Starting(_logger, d.Options.Domain, d.Options.Host, d.Options.Port);
                return new ComponentLink(d.Options, sender, inbound, logger, group);
            }).ToList();
        }
        catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
        {
            if (root != null) await root.DisposeAsync();
            return;
        }
        catch (ComponentConfigurationException ex)
        {
            Log.ConfigurationError(_logger, ex.Message);
            exitCode.Value = ComponentApp.ExitConfigurationError;
            lifetime.StopApplication();
            if (root != null) await root.DisposeAsync();
            return;
        }
        catch (Exception ex)
        {
            Log.StartupFailed(_logger, ex);
            exitCode.Value = ComponentApp.ExitFailure;
            lifetime.StopApplication();
            if (root != null) await root.DisposeAsync();
            return;
        }

        var running = links.Select(l => RunOne(l, stoppingToken)).ToList();
        if (root != null) running.Add(root.RunAsync(stoppingToken));
        await Task.WhenAll(running);
        if (root != null) await root.DisposeAsync();
    }

    private async Task RunOne(ComponentLink link, CancellationToken stoppingToken)
    {
        try
        {
            await link.RunAsync(stoppingToken);
        }
        catch (ComponentConfigurationException)
        {
            // The link has logged the reason; there is no point keeping the other links up.
            exitCode.Value = ComponentApp.ExitConfigurationError;
            lifetime.StopApplication();
        }
        catch (Exception ex)
        {
            Log.LinkFailed(_logger, ex, link.Domain.ToString());
            exitCode.Value = ComponentApp.ExitFailure;
            lifetime.StopApplication();
        }
    }
}
