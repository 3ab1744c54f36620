using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using XmppGroupChat.Component;

namespace XmppGroupChat.Hosting;

/// <summary>Keeps every link of the program up; a configuration error on any of them ends the process.</summary>
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
        try
        {
            var storage = services.GetRequiredService<StorageSettings>();
            Log.DataDirectory(_logger, storage.Path);
            foreach (var startup in services.GetServices<StartupTask>())
                await startup.Run(services, stoppingToken);
            var group = new LinkGroup();
            links = services.GetServices<LinkDefinition>().Select(d =>
            {
                var logger = loggers.CreateLogger($"XmppGroupChat.Link.{d.Options.Domain}");
                var router = new StanzaRouter(logger);
                var link = new ComponentLink(d.Options, router, logger, group);
                d.Configure(router, link, services);
                Log.Starting(_logger, d.Options.Domain, d.Options.Host, d.Options.Port);
                return link;
            }).ToList();
        }
        catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
        {
            return;
        }
        catch (ComponentConfigurationException ex)
        {
            Log.ConfigurationError(_logger, ex.Message);
            exitCode.Value = ComponentApp.ExitConfigurationError;
            lifetime.StopApplication();
            return;
        }
        catch (Exception ex)
        {
            Log.StartupFailed(_logger, ex);
            exitCode.Value = ComponentApp.ExitFailure;
            lifetime.StopApplication();
            return;
        }

        var running = links.Select(l => RunOne(l, stoppingToken)).ToList();
        await Task.WhenAll(running);
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
