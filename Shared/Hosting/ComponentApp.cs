using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using XmppGroupChat.Component;

namespace XmppGroupChat.Hosting;

/// <summary>How one link's handlers are set up once its router and sender exist.</summary>
public delegate void ConfigureLink(StanzaRouter router, IStanzaSender sender, IServiceProvider services);

/// <summary>Work that must finish before any link connects (opening the archive, loading rooms).</summary>
public sealed record StartupTask(Func<IServiceProvider, CancellationToken, Task> Run);

/// <summary>
/// A link the program keeps up: its options, and either the protocol logic wired to a router for it
/// alone (<see cref="Configure"/>) or, when null, the program's composition root (<see cref="ComponentRootDefinition"/>).
/// </summary>
public sealed record LinkDefinition(ComponentOptions Options, ConfigureLink? Configure);

/// <summary>How the program's composition root is opened, once every link's outbound end exists.</summary>
public sealed record ComponentRootDefinition(OpenComponentRoot Open);

/// <summary>
/// Common start-up for the three programs: configuration sources, one-line console logs,
/// the links as one hosted service, Ctrl-C/SIGTERM as a graceful stop, and the exit code
/// (0 on a normal stop, 2 on a configuration error, 1 on a crash).
/// </summary>
public static class ComponentApp
{
    public const int ExitConfigurationError = 2;
    public const int ExitFailure = 1;

    public static HostApplicationBuilder CreateBuilder(string[] args, string programName)
    {
        var builder = Host.CreateApplicationBuilder(new HostApplicationBuilderSettings
        {
            Args = args,
            // appsettings.json sits beside the program, wherever it is started from.
            ContentRootPath = AppContext.BaseDirectory,
            ApplicationName = programName,
        });
        builder.Logging.ClearProviders();
        builder.Logging.AddSimpleConsole(o =>
        {
            o.SingleLine = true;
            o.UseUtcTimestamp = true;
            o.TimestampFormat = "yyyy-MM-ddTHH:mm:ss.fffZ ";
        });
        builder.Services.Configure<HostOptions>(o => o.ShutdownTimeout = TimeSpan.FromSeconds(15));
        builder.Services.AddSingleton<ExitCode>();
        builder.Services.AddSingleton(sp => StorageSettings.Read(sp.GetRequiredService<IConfiguration>(), programName));
        builder.Services.AddHostedService<LinkService>();
        return builder;
    }

    /// <summary>Adds a link; <paramref name="options"/> is read lazily so a bad setting becomes a clean exit.</summary>
    public static HostApplicationBuilder AddLink(this HostApplicationBuilder builder,
        Func<IConfiguration, ComponentOptions> options, ConfigureLink configure)
    {
        builder.Services.AddSingleton(sp => new LinkDefinition(options(sp.GetRequiredService<IConfiguration>()), configure));
        return builder;
    }

    /// <summary>
    /// Adds the links of a program whose logic is one composition root: <paramref name="open"/> gets each
    /// link's outbound end and returns where each link's stanzas go. It runs before any link connects.
    /// </summary>
    public static HostApplicationBuilder AddComponent(this HostApplicationBuilder builder,
        Func<IConfiguration, IReadOnlyList<ComponentOptions>> links, OpenComponentRoot open)
    {
        builder.Services.AddSingleton(new ComponentRootDefinition(open));
        builder.Services.AddSingleton<IReadOnlyList<LinkDefinition>>(sp =>
            links(sp.GetRequiredService<IConfiguration>()).Select(o => new LinkDefinition(o, null)).ToList());
        return builder;
    }

    /// <summary>Adds work that completes before the links connect, so no stanza meets a half-loaded state.</summary>
    public static HostApplicationBuilder AddStartupTask(this HostApplicationBuilder builder,
        Func<IServiceProvider, CancellationToken, Task> run)
    {
        builder.Services.AddSingleton(new StartupTask(run));
        return builder;
    }

    /// <summary>Runs until Ctrl-C/SIGTERM or a fatal error, and returns the process exit code.</summary>
    public static async Task<int> RunAsync(this HostApplicationBuilder builder)
    {
        IHost host;
        try
        {
            host = builder.Build();
        }
        catch (Exception ex) when (ex is ComponentConfigurationException or InvalidOperationException)
        {
            await Console.Error.WriteLineAsync($"configuration error: {ex.Message}");
            return ExitConfigurationError;
        }
        var exitCode = host.Services.GetRequiredService<ExitCode>();
        await host.RunAsync(); // disposes the host: the exit code is read from the instance held above
        return exitCode.Value;
    }
}

/// <summary>The process exit code, set by whoever decides the process must end.</summary>
public sealed class ExitCode
{
    public int Value { get; set; }
}
