using System.Diagnostics;
using System.Net;
using System.Net.Sockets;
using Npgsql;

namespace XmppGroupChat.Tests.Unit.Archive.Engines;

/// <summary>
/// A PostgreSQL server of the tests' own, the way the integration tests run Prosody: initdb into a
/// temporary directory (owned by the <c>postgres</c> user when the tests run as root, since
/// PostgreSQL refuses to run as root), started with pg_ctl on 127.0.0.1 and a free port, password
/// authentication over TCP, stopped and deleted afterwards. <see cref="Shared"/> is one server for
/// the whole run (stopped by <see cref="PostgreSqlServerTeardown"/>); tests that stop and start the
/// server start one of their own.
/// </summary>
public sealed class PostgreSqlServer : IAsyncDisposable
{
    public const string Password = "archive-tests";
    private static readonly Lazy<Task<PostgreSqlServer>> SharedServer = new(() => StartAsync("shared"));
    private static volatile bool _sharedStarted;

    private readonly string _directory;
    private readonly string _bin;

    private PostgreSqlServer(string directory, string bin, int port)
    {
        _directory = directory;
        _bin = bin;
        Port = port;
    }

    public int Port { get; }

    private string DataDirectory => Path.Combine(_directory, "data");

    public static Task<PostgreSqlServer> Shared()
    {
        _sharedStarted = true;
        return SharedServer.Value;
    }

    internal static async Task StopSharedAsync()
    {
        if (_sharedStarted)
            await (await SharedServer.Value).DisposeAsync();
    }

    public static async Task<PostgreSqlServer> StartAsync(string name)
    {
        var bin = FindBin();
        var directory = Path.Combine(Path.GetTempPath(), $"pg-tests-{name}-{Guid.NewGuid():N}");
        Directory.CreateDirectory(directory);
        await File.WriteAllTextAsync(Path.Combine(directory, "password"), Password);
        if (RunningAsRoot)
            await RunAsync("chown", ["-R", "postgres:postgres", directory]);
        await RunPostgresAsync(bin, "initdb", ["-D", Path.Combine(directory, "data"), "-U", "postgres", "--auth-local=trust",
            "--auth-host=scram-sha-256", $"--pwfile={Path.Combine(directory, "password")}", "-E", "UTF8", "--no-locale", "--no-sync"]);
        var server = new PostgreSqlServer(directory, bin, FreePort());
        await server.StartAgainAsync();
        return server;
    }

    /// <summary>Starts the server (again, after <see cref="StopAsync"/>) and waits until it accepts connections.</summary>
    public Task StartAgainAsync() => RunPostgresAsync(_bin, "pg_ctl", ["-D", DataDirectory, "-l", Path.Combine(_directory, "server.log"), "-w", "-t", "60",
        "-o", $"-p {Port} -k {_directory} -c listen_addresses=127.0.0.1 -c max_connections=200", "start"]);

    /// <summary>Stops the server at once (fast shutdown: sessions are cut, as when the server goes away).</summary>
    public Task StopAsync() => RunPostgresAsync(_bin, "pg_ctl", ["-D", DataDirectory, "-m", "fast", "-w", "stop"]);

    public string ConnectionString(string database = "postgres", string? schema = null, string password = Password)
    {
        var builder = new NpgsqlConnectionStringBuilder
        {
            Host = "127.0.0.1", Port = Port, Database = database, Username = "postgres", Password = password,
            Timeout = 5, CommandTimeout = 60,
        };
        if (schema is not null) builder.SearchPath = schema;
        return builder.ToString();
    }

    /// <summary>A new, empty database; returns its name.</summary>
    public async Task<string> CreateDatabaseAsync()
    {
        var name = "t_" + Guid.NewGuid().ToString("N");
        await ExecuteAsync("postgres", $"CREATE DATABASE {name}");
        return name;
    }

    public async Task ExecuteAsync(string database, string sql)
    {
        await using var connection = new NpgsqlConnection(ConnectionString(database) + ";Pooling=false");
        await connection.OpenAsync();
        await using var command = new NpgsqlCommand(sql, connection);
        await command.ExecuteNonQueryAsync();
    }

    public async ValueTask DisposeAsync()
    {
        try
        {
            await RunPostgresAsync(_bin, "pg_ctl", ["-D", DataDirectory, "-m", "immediate", "-w", "stop"]);
        }
        catch (InvalidOperationException)
        {
            // Already stopped.
        }
        Directory.Delete(_directory, recursive: true);
    }

    private static bool RunningAsRoot => Environment.UserName == "root";

    private static string FindBin()
    {
        var versions = Directory.Exists("/usr/lib/postgresql")
            ? Directory.GetDirectories("/usr/lib/postgresql").Where(d => File.Exists(Path.Combine(d, "bin", "initdb"))).OrderByDescending(d => d).ToList()
            : [];
        return versions.Count > 0
            ? Path.Combine(versions[0], "bin")
            : throw new InvalidOperationException("PostgreSQL is not installed (no /usr/lib/postgresql/*/bin/initdb): apt-get install postgresql, or run Tests/run-tests.sh, which installs it.");
    }

    private static int FreePort()
    {
        var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        var port = ((IPEndPoint)listener.LocalEndpoint).Port;
        listener.Stop();
        return port;
    }

    private static Task RunPostgresAsync(string bin, string tool, string[] args) =>
        RunningAsRoot ? RunAsync("runuser", ["-u", "postgres", "--", Path.Combine(bin, tool), .. args]) : RunAsync(Path.Combine(bin, tool), args);

    private static async Task RunAsync(string file, string[] args)
    {
        var start = new ProcessStartInfo(file) { RedirectStandardOutput = true, RedirectStandardError = true, WorkingDirectory = "/" };
        foreach (var arg in args) start.ArgumentList.Add(arg);
        using var process = Process.Start(start)!;
        var output = process.StandardOutput.ReadToEndAsync();
        var error = process.StandardError.ReadToEndAsync();
        await process.WaitForExitAsync();
        if (process.ExitCode != 0)
            throw new InvalidOperationException($"{file} {string.Join(' ', args)} exited with {process.ExitCode}: {await error} {await output}");
    }
}
